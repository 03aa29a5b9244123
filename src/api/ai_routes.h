// AiRoutes: seed 003's AI assistant over HTTP. POST /ai/chat answers with the provider's
// whole answer as JSON; POST /ai/stream relays it as server-sent events, token by token.
// Both keep a conversation's memory in the store when the request names a conversationId.
// Stateless past its settings, so one instance serves every shard; each call runs on the
// shard of the connection that asked (ai_exchange.h).
#pragma once

#include <string>
#include <vector>

#include "ai/ai_json.h"
#include "net/connection.h"
#include "store/store.h"

namespace parley::api {

// What the routes need from [ai], resolved at startup (app/main.cc).
struct AiSettings {
  bool configured = false;  // ai.base_url set
  ai::ProviderUrl provider{};
  std::string api_key{};  // secret: only ever put in the Authorization header
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
};

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
