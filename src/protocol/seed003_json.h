// The JSON frames of seed 003's WebSocket vocabulary (join-room, send-message) and its
// GET / health answer, as parley writes them. Field names are the seed's; parley adds
// `roomId`, `id` and `seq` where they help a client. Timestamps are ISO 8601 UTC strings
// with milliseconds, like the seed's `new Date().toISOString()`. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "store/message.h"

namespace parley {

// "2026-12-07T18:46:24.123Z" for milliseconds since the Unix epoch.
std::string IsoTime(int64_t ms);

// {type:"joined-room", roomId, success:true, timestamp}: the answer to join-room.
std::string EncodeJoinedRoom(std::string_view room, int64_t now_ms);
// {type:"user-joined"|"user-left", roomId, userId, userName, timestamp}.
std::string EncodeSeed003Presence(std::string_view type, std::string_view room,
                                  std::string_view user_id, std::string_view user_name,
                                  int64_t now_ms);
// {type:"new-message", roomId, id, seq, message, userId, userName, timestamp}: a chat
// message as seed 003 members receive it. `user_id` is the author's join-time userId
// (their username when they joined over another protocol).
std::string EncodeNewMessage(const StoredMessage& m, std::string_view user_id);
// {type:"message-sent", success:true, roomId, id, seq, timestamp}: the sender's
// acknowledgement, sent once the message is durable.
std::string EncodeMessageSent(std::string_view room, std::string_view id, int64_t seq,
                              int64_t timestamp_ms);
// {type:"error", code, message, timestamp}: a refused seed 003 request.
std::string EncodeSeed003Error(std::string_view code, std::string_view message, int64_t now_ms);
// The same with retryAfterMs (rate_limited): {type:"error", code, message, retryAfterMs,
// timestamp}.
std::string EncodeSeed003RetryError(std::string_view code, std::string_view message,
                                    int64_t retry_after_ms, int64_t now_ms);

// The AI assistant on the seed 003 socket (conversationId only when the question had one):
// {type:"ai-response", response, model, conversationId, timestamp}: the answer to ai-chat.
std::string EncodeAiResponse(std::string_view response, std::string_view model,
                             std::string_view conversation_id, int64_t now_ms);
// {type:"ai-stream-chunk", content}: the next piece of an ai-stream answer (new text only).
std::string EncodeAiStreamChunk(std::string_view content);
// {type:"ai-stream-end", model, conversationId, length, timestamp}: the ai-stream answer is
// whole; `length` is its size in bytes (the sum of the chunks' UTF-8 bytes).
std::string EncodeAiStreamEnd(std::string_view model, std::string_view conversation_id,
                              int64_t length, int64_t now_ms);
// {status:"ok", message, timestamp, version}: GET / for clients that do not ask for HTML.
std::string EncodeRootHealth(std::string_view version, int64_t now_ms);

}  // namespace parley
