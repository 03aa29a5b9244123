#include "protocol/native_json.h"

#include "protocol/chat_json.h"
#include "protocol/json_writer.h"

namespace parley {

std::string EncodeJoined(std::string_view room, int64_t last_seq, const bool* recovered,
                         std::span<const ReadMarker> reads) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("joined").Key("room").String(room);
  w.Key("lastSeq").Int(last_seq);
  if (recovered != nullptr) w.Key("recovered").Bool(*recovered);
  w.Key("reads").BeginArray();
  for (const auto& r : reads) {
    w.BeginObject().Key("username").String(r.username).Key("seq").Int(r.seq).EndObject();
  }
  w.EndArray().EndObject();
  return out;
}

std::string EncodeLeft(std::string_view room) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("left").Key("room").String(room).EndObject();
  return out;
}

std::string EncodeAck(std::string_view room, std::string_view client_id, std::string_view id,
                      int64_t seq) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("ack").Key("room").String(room);
  w.Key("clientId").String(client_id).Key("id").String(id).Key("seq").Int(seq).EndObject();
  return out;
}

std::string EncodeTyping(std::string_view room, std::string_view username, bool active) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("typing").Key("room").String(room);
  w.Key("username").String(username).Key("active").Bool(active).EndObject();
  return out;
}

std::string EncodeEdit(const StoredMessage& m) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("edit").Key("room").String(m.room);
  w.Key("id").String(m.id).Key("seq").Int(m.seq).Key("message").String(m.text);
  w.Key("editedAt").Int(m.edited_ms).EndObject();
  return out;
}

std::string EncodeDelete(const StoredMessage& m) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("delete").Key("room").String(m.room);
  w.Key("id").String(m.id).Key("seq").Int(m.seq).EndObject();
  return out;
}

std::string EncodeReaction(const StoredMessage& m, std::string_view emoji,
                           std::string_view username, bool added) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("reaction").Key("room").String(m.room);
  w.Key("id").String(m.id).Key("seq").Int(m.seq).Key("emoji").String(emoji);
  w.Key("username").String(username).Key("added").Bool(added).Key("reactions");
  WriteReactions(w, m.reactions);
  w.EndObject();
  return out;
}

std::string EncodeRead(std::string_view room, std::string_view username, int64_t seq) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("read").Key("room").String(room);
  w.Key("username").String(username).Key("seq").Int(seq).EndObject();
  return out;
}

std::string EncodeHistoryPage(std::string_view room, std::span<const StoredMessage> messages,
                              bool has_more) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("history").Key("room").String(room).Key("messages");
  WriteMessages(w, messages);
  w.Key("hasMore").Bool(has_more).EndObject();
  return out;
}

std::string EncodePong() { return R"({"type":"pong"})"; }

std::string EncodeErrorFrameRef(std::string_view code, std::string_view message,
                                std::string_view ref, int64_t retry_after_ms) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("error").Key("code").String(code);
  w.Key("message").String(message);
  if (!ref.empty()) w.Key("ref").String(ref);
  if (retry_after_ms >= 0) w.Key("retryAfterMs").Int(retry_after_ms);
  w.EndObject();
  return out;
}

std::string EncodeSearchResults(std::span<const StoredMessage> messages, bool has_more) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("results");
  WriteMessages(w, messages);
  w.Key("hasMore").Bool(has_more).EndObject();
  return out;
}

}  // namespace parley
