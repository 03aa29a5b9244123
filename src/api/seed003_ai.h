// Seed 003's ai-chat and ai-stream on its JSON socket: the reply that turns an AiExchange's
// answer into socket frames (protocol/seed003_json.h):
//
//   ai-chat   -> {type:"ai-response", response, model, conversationId?, timestamp}
//   ai-stream -> {type:"ai-stream-chunk", content} per piece (only the new text), then
//                {type:"ai-stream-end", model, conversationId?, length, timestamp}
//   failure   -> {type:"error", code:"ai_*"|..., message, timestamp}: ends the answer (a
//                stream may have sent chunks before it)
//
// A socket asks one question at a time, so chunks never interleave: `busy` is set while
// the reply lives and cleared when it is destroyed (possibly on a store thread, hence
// atomic). Lives on the socket's shard thread; holds only the connection's id.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "api/ai_exchange.h"
#include "base/clock.h"

namespace parley::api {

std::unique_ptr<AiReply> MakeSocketAiReply(net::Shard& shard, uint64_t conn_id, bool stream,
                                           const Clock& clock,
                                           std::shared_ptr<std::atomic<bool>> busy);

}  // namespace parley::api
