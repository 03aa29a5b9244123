// The frames parley's native protocol v1 adds to the seed 004 vocabulary (chat_json.h):
// join replies, acknowledgements, typing, edits, deletes, reactions, read markers, history
// pages and errors that point at the request they answer. Pure functions; docs/protocol.md
// shows an example of each.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "store/message.h"
#include "store/store.h"

namespace parley {

// {"type":"joined","room":..,"lastSeq":N[,"recovered":bool],"reads":[{"username","seq"}..]}
// `recovered` is present only when the join asked to resume (`since`).
std::string EncodeJoined(std::string_view room, int64_t last_seq, const bool* recovered,
                         std::span<const ReadMarker> reads);
// {"type":"left","room":..}
std::string EncodeLeft(std::string_view room);
// {"type":"ack","room":..,"clientId":..,"id":..,"seq":N}
std::string EncodeAck(std::string_view room, std::string_view client_id, std::string_view id,
                      int64_t seq);
// {"type":"typing","room":..,"username":..,"active":bool}
std::string EncodeTyping(std::string_view room, std::string_view username, bool active);
// {"type":"edit","room":..,"id":..,"seq":N,"message":..,"editedAt":T}
std::string EncodeEdit(const StoredMessage& m);
// {"type":"delete","room":..,"id":..,"seq":N}
std::string EncodeDelete(const StoredMessage& m);
// {"type":"reaction","room":..,"id":..,"seq":N,"emoji":..,"username":..,"added":bool,
//  "reactions":[..]}  (reactions: the message's full set after the change)
std::string EncodeReaction(const StoredMessage& m, std::string_view emoji,
                           std::string_view username, bool added);
// {"type":"read","room":..,"username":..,"seq":N}
std::string EncodeRead(std::string_view room, std::string_view username, int64_t seq);
// {"type":"history","room":..,"messages":[..],"hasMore":bool} answering a history request
std::string EncodeHistoryPage(std::string_view room, std::span<const StoredMessage> messages,
                              bool has_more);
// {"type":"pong"}
std::string EncodePong();
// {"type":"error","code":..,"message":..[,"ref":..][,"retryAfterMs":N]}  (ref: the
// request's ref or clientId; retryAfterMs with rate_limited, when >= 0)
std::string EncodeErrorFrameRef(std::string_view code, std::string_view message,
                                std::string_view ref, int64_t retry_after_ms = -1);
// {"results":[M..],"hasMore":bool} for GET /api/search
std::string EncodeSearchResults(std::span<const StoredMessage> messages, bool has_more);

}  // namespace parley
