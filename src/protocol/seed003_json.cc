#include "protocol/seed003_json.h"

#include <fmt/format.h>

#include <ctime>

#include "protocol/json_writer.h"

namespace parley {

std::string IsoTime(int64_t ms) {
  // Floor division, so times before 1970 keep a positive millisecond part.
  int64_t secs = ms / 1000;
  int64_t rem = ms % 1000;
  if (rem < 0) {
    rem += 1000;
    secs -= 1;
  }
  const std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return "1970-01-01T00:00:00.000Z";
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, rem);
}

std::string EncodeJoinedRoom(std::string_view room, int64_t now_ms) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("joined-room").Key("roomId").String(room);
  w.Key("success").Bool(true).Key("timestamp").String(IsoTime(now_ms)).EndObject();
  return out;
}

std::string EncodeSeed003Presence(std::string_view type, std::string_view room,
                                  std::string_view user_id, std::string_view user_name,
                                  int64_t now_ms) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String(type).Key("roomId").String(room);
  w.Key("userId").String(user_id).Key("userName").String(user_name);
  w.Key("timestamp").String(IsoTime(now_ms)).EndObject();
  return out;
}

std::string EncodeNewMessage(const StoredMessage& m, std::string_view user_id) {
  std::string out;
  out.reserve(128 + m.text.size() + m.username.size() + m.room.size() + user_id.size());
  JsonWriter w(out);
  w.BeginObject().Key("type").String("new-message").Key("roomId").String(m.room);
  w.Key("id").String(m.id).Key("seq").Int(m.seq).Key("message").String(m.text);
  w.Key("userId").String(user_id).Key("userName").String(m.username);
  w.Key("timestamp").String(IsoTime(m.timestamp_ms)).EndObject();
  return out;
}

std::string EncodeMessageSent(std::string_view room, std::string_view id, int64_t seq,
                              int64_t timestamp_ms) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("message-sent").Key("success").Bool(true);
  w.Key("roomId").String(room).Key("id").String(id).Key("seq").Int(seq);
  w.Key("timestamp").String(IsoTime(timestamp_ms)).EndObject();
  return out;
}

std::string EncodeSeed003Error(std::string_view code, std::string_view message, int64_t now_ms) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("error").Key("code").String(code);
  w.Key("message").String(message).Key("timestamp").String(IsoTime(now_ms)).EndObject();
  return out;
}

std::string EncodeSeed003RetryError(std::string_view code, std::string_view message,
                                    int64_t retry_after_ms, int64_t now_ms) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("error").Key("code").String(code);
  w.Key("message").String(message).Key("retryAfterMs").Int(retry_after_ms);
  w.Key("timestamp").String(IsoTime(now_ms)).EndObject();
  return out;
}

std::string EncodeAiResponse(std::string_view response, std::string_view model,
                             std::string_view conversation_id, int64_t now_ms) {
  std::string out;
  out.reserve(96 + response.size());
  JsonWriter w(out);
  w.BeginObject().Key("type").String("ai-response").Key("response").String(response);
  w.Key("model").String(model);
  if (!conversation_id.empty()) w.Key("conversationId").String(conversation_id);
  w.Key("timestamp").String(IsoTime(now_ms)).EndObject();
  return out;
}

std::string EncodeAiStreamChunk(std::string_view content) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("ai-stream-chunk").Key("content").String(content);
  w.EndObject();
  return out;
}

std::string EncodeAiStreamEnd(std::string_view model, std::string_view conversation_id,
                              int64_t length, int64_t now_ms) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("ai-stream-end").Key("model").String(model);
  if (!conversation_id.empty()) w.Key("conversationId").String(conversation_id);
  w.Key("length").Int(length).Key("timestamp").String(IsoTime(now_ms)).EndObject();
  return out;
}

std::string EncodeRootHealth(std::string_view version, int64_t now_ms) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("status").String("ok").Key("message").String("parley is running");
  w.Key("timestamp").String(IsoTime(now_ms)).Key("version").String(version).EndObject();
  return out;
}

}  // namespace parley
