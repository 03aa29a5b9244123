#include "api/ai_routes.h"

#include <memory>

#include "ai/ai_json.h"
#include "api/ai_exchange.h"
#include "net/shard.h"
#include "protocol/chat_json.h"

namespace parley::api {
namespace {

net::HttpResponse Error(const Status& st) {
  return net::HttpResponse{.status = Describe(st.code()).http_status,
                           .body = EncodeErrorBody(st.wire_name(), st.message()),
                           .cache_control = "no-store"};
}

}  // namespace

bool AiRoutes::Handle(net::Connection& c, net::HttpRequest& req) const {
  const bool chat = req.path == "/ai/chat";
  const bool stream = req.path == "/ai/stream";
  if (!chat && !stream) return false;
  if (req.method != "POST") {
    c.Respond(Error(Status(ErrorCode::kMethodNotAllowed, "Use POST for " + req.path + ".")));
    return true;
  }
  if (!settings_.configured) {
    c.Respond(Error(Status(ErrorCode::kAiNotConfigured,
                           "The AI assistant is not configured on this server (ai.base_url).")));
    return true;
  }
  auto ask = ai::DecodeAsk(req.body, settings_.rules);
  if (!ask.ok()) {
    c.Respond(Error(ask.status()));
    return true;
  }
  auto model = ai::ResolveModel(ask->model, settings_.model, settings_.models);
  if (!model.ok()) {
    c.Respond(Error(model.status()));
    return true;
  }
  // TODO: per-user AI rate limits belong here, before the provider is called; until they
  // exist, ai.max_inflight is the only bound on what users can make parley spend.
  if (AiExchange::InFlight() >= settings_.max_inflight) {
    c.Respond(Error(Status(ErrorCode::kUnavailable,
                           "Too many AI requests are in progress; try again shortly.")));
    return true;
  }
  // The answer may take the provider's whole time budget, beyond the request timeout.
  c.ExtendDeadline(settings_.connect_timeout_s + settings_.total_timeout_s + 5);
  auto exchange =
      std::make_shared<AiExchange>(settings_, *net::Shard::Current(), c.id(),
                                   std::move(ask.value()), std::move(model.value()), stream);
  exchange->Start();
  return true;
}

}  // namespace parley::api
