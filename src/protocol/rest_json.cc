#include "protocol/rest_json.h"

#include "protocol/chat_json.h"
#include "protocol/json_writer.h"

namespace parley {
namespace {

void WriteRestMessage(JsonWriter& w, const StoredMessage& m) {
  w.BeginObject();
  WriteMessageFields(w, m);
  w.Key("room_id").String(m.room);
  w.Key("user_id").String(m.username);
  w.Key("content").String(m.text);
  w.Key("created_at").Int(m.timestamp_ms);
  w.Key("updated_at").Int(m.edited_ms != 0 ? m.edited_ms : m.timestamp_ms);
  w.EndObject();
}

}  // namespace

std::string EncodeRestMessage(const StoredMessage& m) {
  std::string out;
  out.reserve(192 + 2 * (m.text.size() + m.username.size() + m.room.size()));
  JsonWriter w(out);
  WriteRestMessage(w, m);
  return out;
}

std::string EncodeRestMessagePage(std::string_view room, std::span<const StoredMessage> messages,
                                  bool has_more) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("room").String(room).Key("messages").BeginArray();
  for (const auto& m : messages) WriteRestMessage(w, m);
  w.EndArray().Key("hasMore").Bool(has_more).EndObject();
  return out;
}

}  // namespace parley
