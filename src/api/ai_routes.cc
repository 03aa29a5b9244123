#include "api/ai_routes.h"

#include <fmt/format.h>

#include <memory>

#include "ai/ai_json.h"
#include "api/ai_exchange.h"
#include "api/guard_routes.h"
#include "api/http_answer.h"
#include "auth/authenticator.h"
#include "net/shard.h"
#include "protocol/chat_json.h"
#include "protocol/json_writer.h"

namespace parley::api {
namespace {

// 429 rate_limited with Retry-After (whole seconds) and retryAfterMs in the body.
void RespondRateLimited(net::Connection& c, int64_t retry_after_ms) {
  c.AddResponseHeaders(fmt::format("Retry-After: {}\r\n", RetryAfterSeconds(retry_after_ms)));
  std::string body;
  JsonWriter w(body);
  w.BeginObject().Key("error").String(Describe(ErrorCode::kRateLimited).wire_name);
  w.Key("message").String(fmt::format("Too many AI requests; retry in {} ms.", retry_after_ms));
  w.Key("retryAfterMs").Int(retry_after_ms).EndObject();
  c.Respond(net::HttpResponse{.status = Describe(ErrorCode::kRateLimited).http_status,
                              .body = std::move(body),
                              .cache_control = "no-store"});
}

// The HTTP client's answer (MakeHttpAiReply).
class HttpAiReply final : public AiReply {
 public:
  HttpAiReply(net::Shard& shard, uint64_t conn_id, bool stream)
      : shard_(shard), conn_id_(conn_id), stream_(stream) {}

  bool Alive() override {
    net::Connection* c = shard_.FindConnection(conn_id_);
    return c != nullptr && c->is_open();
  }
  void Started() override {
    Client().BeginStream(200, "text/event-stream; charset=utf-8", "Cache-Control: no-store\r\n");
    streaming_ = true;
  }
  void Token(std::string_view text) override {
    Client().StreamWrite(ai::SseFrame(ai::EncodeStreamToken(text)));
  }
  void Done(const std::string& answer, const std::string& model,
            const std::string& conversation_id) override {
    if (stream_) {
      Client().StreamWrite(ai::SseFrame(ai::EncodeStreamDone(answer, model, conversation_id)));
      Client().EndStream();
      return;
    }
    Client().Respond(net::HttpResponse{.body = ai::EncodeAnswer(answer, model, conversation_id),
                                       .cache_control = "no-store"});
  }
  void Failed(const Status& st) override {
    if (streaming_) {
      Client().StreamWrite(ai::SseFrame(ai::EncodeStreamError(st.wire_name(), st.message())));
      Client().EndStream();
      return;
    }
    Client().Respond(ErrorAnswer(st));
  }

 private:
  // REQUIRES: Alive() (the exchange asks before every other call).
  net::Connection& Client() { return *shard_.FindConnection(conn_id_); }

  net::Shard& shard_;
  const uint64_t conn_id_;
  const bool stream_;
  bool streaming_ = false;  // the SSE head is sent
};

}  // namespace

std::unique_ptr<AiReply> MakeHttpAiReply(net::Shard& shard, uint64_t conn_id, bool stream) {
  return std::make_unique<HttpAiReply>(shard, conn_id, stream);
}

Result<AiQuestion> CheckAiQuestion(const AiSettings& settings, std::string_view body) {
  if (!settings.configured) {
    return Status(ErrorCode::kAiNotConfigured,
                  "The AI assistant is not configured on this server (ai.base_url).");
  }
  auto ask = ai::DecodeAsk(body, settings.rules);
  if (!ask.ok()) return ask.status();
  auto model = ai::ResolveModel(ask->model, settings.model, settings.models);
  if (!model.ok()) return model.status();
  if (AiExchange::InFlight() >= settings.max_inflight) {
    return Status(ErrorCode::kUnavailable,
                  "Too many AI requests are in progress; try again shortly.");
  }
  return AiQuestion{.ask = std::move(ask.value()), .model = std::move(model.value())};
}

int64_t TakeAiToken(const AiSettings& settings, const guard::RateKeys& keys) {
  if (settings.limiter == nullptr) return 0;
  return settings.limiter->Take(guard::Action::kAi, keys).retry_after_ms;
}

bool AiRoutes::Handle(net::Connection& c, net::HttpRequest& req) const {
  const bool chat = req.path == "/ai/chat";
  const bool stream = req.path == "/ai/stream";
  if (!chat && !stream) return false;
  if (req.method != "POST") {
    c.Respond(ErrorAnswer(Status(ErrorCode::kMethodNotAllowed, "Use POST for " + req.path + ".")));
    return true;
  }
  auto question = CheckAiQuestion(settings_, req.body);
  if (!question.ok()) {
    c.Respond(ErrorAnswer(question.status()));
    return true;
  }
  // Per user when the request names one with a valid user token; a request without one
  // (or with a bad one: these routes need no identity) is limited by its IP address alone.
  std::string user;
  if (settings_.auth != nullptr) {
    auto who = settings_.auth->Authenticate(req, /*key_may_follow=*/true);
    if (who.ok() && who->is_user()) user = who->user_id;
  }
  if (const int64_t wait = TakeAiToken(settings_, {.user = user, .ip = c.remote_ip()}); wait > 0) {
    RespondRateLimited(c, wait);
    return true;
  }
  // The answer may take the provider's whole time budget, beyond the request timeout.
  c.ExtendDeadline(settings_.connect_timeout_s + settings_.total_timeout_s + 5);
  net::Shard& shard = *net::Shard::Current();
  auto exchange = std::make_shared<AiExchange>(settings_, shard, std::move(question->ask),
                                               std::move(question->model), stream,
                                               MakeHttpAiReply(shard, c.id(), stream));
  exchange->Start();
  return true;
}

}  // namespace parley::api
