// The seed 004 chat vocabulary as JSON: the frames and API bodies parley sends.
// Pure functions; docs/protocol.md shows an example of each.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/message.h"

namespace parley {

class JsonWriter;

// The fields of a message object (inside an open object): room, id, seq, username,
// message, timestamp, then clientId, replyTo, imageUrl, editedAt, deleted and reactions
// when set. Shared by every frame that carries messages.
void WriteMessageFields(JsonWriter& w, const StoredMessage& m);
// [M, ...]: message objects without "type".
void WriteMessages(JsonWriter& w, std::span<const StoredMessage> messages);
// [{"emoji":..,"users":[..]}, ...]
void WriteReactions(JsonWriter& w, std::span<const Reaction> reactions);

// {"type":"chat","room":..,"id":..,"seq":..,"username":..,"message":..,"timestamp":..}
std::string EncodeChat(const StoredMessage& m);
// {"type":"history","room":..,"messages":[M...]}  (M without "type")
std::string EncodeHistoryFrame(std::string_view room, std::span<const StoredMessage> messages);
// [M...] for GET /api/history
std::string EncodeHistoryArray(std::span<const StoredMessage> messages);
// {"type":"presence","event":"snapshot","room":..,"users":[..],"userCount":N}
std::string EncodePresenceSnapshot(std::string_view room, std::span<const std::string> users,
                                   int user_count);
// {"type":"presence","event":"user_joined"|"user_left","room":..,"username":..,"userCount":N}
std::string EncodePresenceEvent(std::string_view event, std::string_view room,
                                std::string_view username, int user_count);
// {"room":..,"users":[..],"userCount":N} for GET /api/users
std::string EncodeUsers(std::string_view room, std::span<const std::string> users, int user_count);
struct HealthInfo {
  std::string_view version;
  int64_t uptime_seconds = 0;
  int64_t connections = 0;
  int64_t websockets = 0;
  int64_t rooms = 0;
};
// {"status":"ok","version":..,"uptimeSeconds":..,"connections":..,"websockets":..,"rooms":..}
std::string EncodeHealth(const HealthInfo& h);
// {"type":"error","code":..,"message":..}
std::string EncodeErrorFrame(std::string_view code, std::string_view message);
// {"error":..,"message":..} for HTTP error bodies
std::string EncodeErrorBody(std::string_view code, std::string_view message);

}  // namespace parley
