#include "protocol/chat_json.h"

#include "protocol/json_writer.h"

namespace parley {

void WriteReactions(JsonWriter& w, std::span<const Reaction> reactions) {
  w.BeginArray();
  for (const auto& r : reactions) {
    w.BeginObject().Key("emoji").String(r.emoji).Key("users").BeginArray();
    for (const auto& u : r.users) w.String(u);
    w.EndArray().EndObject();
  }
  w.EndArray();
}

void WriteMessageFields(JsonWriter& w, const StoredMessage& m) {
  w.Key("room").String(m.room);
  w.Key("id").String(m.id);
  w.Key("seq").Int(m.seq);
  w.Key("username").String(m.username);
  w.Key("message").String(m.text);
  w.Key("timestamp").Int(m.timestamp_ms);
  // The native protocol's fields, present only when set so a seed 004 frame stays small.
  if (!m.client_id.empty()) w.Key("clientId").String(m.client_id);
  if (!m.reply_to.empty()) w.Key("replyTo").String(m.reply_to);
  if (!m.image_url.empty()) w.Key("imageUrl").String(m.image_url);
  if (m.edited_ms != 0) w.Key("editedAt").Int(m.edited_ms);
  if (m.deleted) w.Key("deleted").Bool(true);
  if (!m.reactions.empty()) {
    w.Key("reactions");
    WriteReactions(w, m.reactions);
  }
}

void WriteMessages(JsonWriter& w, std::span<const StoredMessage> messages) {
  w.BeginArray();
  for (const auto& m : messages) {
    w.BeginObject();
    WriteMessageFields(w, m);
    w.EndObject();
  }
  w.EndArray();
}

namespace {

void WriteUsers(JsonWriter& w, std::span<const std::string> users) {
  w.BeginArray();
  for (const auto& u : users) w.String(u);
  w.EndArray();
}

}  // namespace

std::string EncodeChat(const StoredMessage& m) {
  std::string out;
  out.reserve(96 + m.text.size() + m.username.size() + m.room.size());
  JsonWriter w(out);
  w.BeginObject().Key("type").String("chat");
  WriteMessageFields(w, m);
  w.EndObject();
  return out;
}

std::string EncodeHistoryFrame(std::string_view room, std::span<const StoredMessage> messages) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("history").Key("room").String(room).Key("messages");
  WriteMessages(w, messages);
  w.EndObject();
  return out;
}

std::string EncodeHistoryArray(std::span<const StoredMessage> messages) {
  std::string out;
  JsonWriter w(out);
  WriteMessages(w, messages);
  return out;
}

std::string EncodePresenceSnapshot(std::string_view room, std::span<const std::string> users,
                                   int user_count) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("presence").Key("event").String("snapshot");
  w.Key("room").String(room).Key("users");
  WriteUsers(w, users);
  w.Key("userCount").Int(user_count).EndObject();
  return out;
}

std::string EncodePresenceEvent(std::string_view event, std::string_view room,
                                std::string_view username, int user_count) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("presence").Key("event").String(event);
  w.Key("room").String(room).Key("username").String(username);
  w.Key("userCount").Int(user_count).EndObject();
  return out;
}

std::string EncodeUsers(std::string_view room, std::span<const std::string> users, int user_count) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("room").String(room).Key("users");
  WriteUsers(w, users);
  w.Key("userCount").Int(user_count).EndObject();
  return out;
}

std::string EncodeHealth(const HealthInfo& h) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("status").String("ok").Key("version").String(h.version);
  w.Key("uptimeSeconds").Int(h.uptime_seconds).Key("connections").Int(h.connections);
  w.Key("websockets").Int(h.websockets).Key("rooms").Int(h.rooms).EndObject();
  return out;
}

std::string EncodeErrorFrame(std::string_view code, std::string_view message) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("error").Key("code").String(code);
  w.Key("message").String(message).EndObject();
  return out;
}

std::string EncodeErrorBody(std::string_view code, std::string_view message) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("error").String(code).Key("message").String(message).EndObject();
  return out;
}

}  // namespace parley
