// AiRoutes: seed 003's AI assistant over HTTP. POST /ai/chat answers with the provider's
// whole answer as JSON; POST /ai/stream relays it as server-sent events, token by token.
// Both keep a conversation's memory in the store when the request names a conversationId
// (shared with the seed 003 socket's ai-chat / ai-stream). Every question takes a token of
// the "ai" rate rule first (per user when the request carries a user token, and per IP
// address); over it: 429 rate_limited with Retry-After and retryAfterMs. Stateless past
// its settings, so one instance serves every shard; each call runs on the shard of the
// connection that asked (ai_exchange.h).
#pragma once

#include <string>
#include <vector>

#include "ai/ai_json.h"
#include "guard/rate_limiter.h"
#include "net/connection.h"
#include "store/store.h"

namespace parley::auth {
class Authenticator;
}

namespace parley::api {

// What the routes need from [ai], resolved at startup (app/main.cc).
struct AiSettings {
  bool configured = false;  // ai.base_url set
  ai::ProviderUrl provider{};
  std::string api_key{};  // secret: only ever put in the Authorization header
  std::string ca_file{};  // https: trusted CAs (PEM); "" = the system's
  std::string model{};
  std::vector<std::string> models{};
  std::string system_prompt{};
  int connect_timeout_s = 10;
  int total_timeout_s = 120;
  int idle_timeout_s = 30;
  int max_tokens = 1024;
  int max_response_bytes = 1 << 20;
  int max_turns = 20;
  int max_inflight = 1024;
  ai::AskRules rules{};
  Store* store = nullptr;
  guard::RateLimiter* limiter = nullptr;      // Action::kAi; nullptr = no AI rate limits
  const auth::Authenticator* auth = nullptr;  // names an HTTP request's user; may be null
};

// A question that passed every check before the provider is called.
struct AiQuestion {
  ai::Ask ask;
  std::string model;
};

// The checks every AI question passes, in order: a provider is configured
// (ai_not_configured), `body` decodes (ai::DecodeAsk's errors), the model is allowed
// (unknown_model), fewer than ai.max_inflight exchanges run (unavailable). Rate limits are
// the caller's (TakeAiToken), after these, so a refused request costs no token.
Result<AiQuestion> CheckAiQuestion(const AiSettings& settings, std::string_view body);

// Takes one "ai" token from the buckets `keys` names: 0 when allowed, else the wait in ms.
int64_t TakeAiToken(const AiSettings& settings, const guard::RateKeys& keys);

class AiRoutes {
 public:
  explicit AiRoutes(const AiSettings& settings) : settings_(settings) {}

  // Answers `req` when it is one of these routes and returns true; false leaves it to the
  // caller.
  bool Handle(net::Connection& c, net::HttpRequest& req) const;

 private:
  const AiSettings& settings_;
};

}  // namespace parley::api
