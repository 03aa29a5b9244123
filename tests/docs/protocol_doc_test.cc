// Keeps docs/protocol.md true: every example marked `<!-- example: NAME -->` must have the
// same fields, with the same JSON types, as what parley's encoder emits for NAME.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "match/match_json.h"
#include "protocol/chat_json.h"
#include "protocol/native_json.h"
#include "protocol/packet.h"
#include "protocol/rest_json.h"

namespace parley {
namespace {

std::map<std::string, std::string> ReadExamples() {
  std::ifstream in(PARLEY_PROTOCOL_DOC);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  std::map<std::string, std::string> out;
  std::regex re(R"(<!-- example: (\w+) -->\s*```json\n([\s\S]*?)\n```)");
  for (std::sregex_iterator it(doc.begin(), doc.end(), re), end; it != end; ++it) {
    out[(*it)[1]] = (*it)[2];
  }
  return out;
}

// The shape of a JSON value: object keys with their shapes, array element shape, or type.
std::string Shape(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
      std::set<std::string> fields;
      for (auto [k, v] : simdjson::dom::object(e)) fields.insert(std::string(k) + ":" + Shape(v));
      std::string s = "{";
      for (const auto& f : fields) s += f + ",";
      return s + "}";
    }
    case simdjson::dom::element_type::ARRAY: {
      simdjson::dom::array a(e);
      return a.size() == 0 ? "[]" : "[" + Shape(a.at(0)) + "]";
    }
    case simdjson::dom::element_type::STRING:
      return "string";
    case simdjson::dom::element_type::BOOL:
      return "bool";
    case simdjson::dom::element_type::NULL_VALUE:
      return "null";
    default:
      return "number";
  }
}

std::string ShapeOf(const std::string& json) {
  simdjson::dom::parser p;
  return Shape(p.parse(json));
}

std::map<std::string, std::string> EncoderOutputs() {
  StoredMessage m{
      .room = "general", .seq = 1, .id = "x", .username = "alice", .text = "hi", .timestamp_ms = 1};
  std::vector<StoredMessage> ms = {m};
  std::vector<std::string> users = {"alice"};
  match::PairMessage pm{
      .from = "u-1", .text = "hi", .image_url = "https://x/y.png", .timestamp_ms = 1};
  std::vector<match::PairMessage> pms = {pm};
  // A message using every optional field, as the native protocol shows it.
  StoredMessage full = m;
  full.client_id = "c";
  full.reply_to = "y";
  full.image_url = "/files/z";
  full.edited_ms = 2;
  full.reactions = {Reaction{.emoji = "👍", .users = {"bob"}}};
  StoredMessage full_rest = m;
  full_rest.client_id = "c";
  StoredMessage gone = m;
  gone.deleted = true;
  const bool recovered = true;
  std::vector<ReadMarker> reads = {{"bob", 1}};
  return {
      {"native_chat", EncodeChat(full)},
      {"native_joined", EncodeJoined("general", 41, &recovered, reads)},
      {"native_left", EncodeLeft("general")},
      {"native_ack", EncodeAck("general", "c", "x", 1)},
      {"native_typing", EncodeTyping("general", "alice", true)},
      {"native_edit", EncodeEdit(full)},
      {"native_delete", EncodeDelete(gone)},
      {"native_reaction", EncodeReaction(full, "👍", "bob", true)},
      {"native_read", EncodeRead("general", "bob", 1)},
      {"native_history", EncodeHistoryPage("general", ms, true)},
      {"native_pong", EncodePong()},
      {"native_error", EncodeErrorFrameRef("forbidden", "x", "r")},
      {"native_rate_limited", EncodeErrorFrameRef("rate_limited", "x", "r", 100)},
      {"search", EncodeSearchResults(ms, false)},
      {"rest_message", EncodeRestMessage(full_rest)},
      {"rest_messages", EncodeRestMessagePage("general", ms, true)},
      // The random 1:1 chat (seeds 000 and 001).
      {"match_waiting", match::EncodeMatchWaiting("queue:emotion:x")},
      {"match_found",
       match::EncodeMatchFound(match::Pairing{"chat:a:b", "a", "Ann"}, "ws://h/chat")},
      {"match_error", match::EncodeMatchError("invalid_field", "x")},
      {"auth_success", match::EncodeTyped("auth_success")},
      {"auth_error", match::EncodeAuthError("x")},
      {"searching", match::EncodeTyped("searching")},
      {"matched", match::EncodeMatched("u-1")},
      {"message", match::EncodePairMessage(pm)},
      {"chat_ended", match::EncodeTyped("chat_ended")},
      {"partner_disconnected", match::EncodeTyped("partner_disconnected")},
      {"pong", match::EncodeTyped("pong")},
      {"cancelled", match::EncodeTyped("cancelled")},
      {"pair_history", match::EncodePairHistory("chat:a:b", pms)},
      {"partner_joined", match::EncodePartnerJoined("a")},
      {"partner_left", match::EncodePartnerLeft("a")},
      {"match_error_frame", EncodeErrorFrame("not_matched", "x")},
      {"chat", EncodeChat(m)},
      {"history", EncodeHistoryFrame("general", ms)},
      {"history_array", EncodeHistoryArray(ms)},
      {"presence_snapshot", EncodePresenceSnapshot("general", users, 1)},
      {"presence_event", EncodePresenceEvent("user_joined", "general", "alice", 1)},
      {"users", EncodeUsers("general", users, 1)},
      {"health", EncodeHealth(HealthInfo{.version = "1"})},
      {"error_frame", EncodeErrorFrame("bad_request", "x")},
      {"http_error", EncodeErrorBody("bad_request", "x")},
      {"rate_limited_frame", EncodeErrorFrameRef("rate_limited", "x", "", 180)},
  };
}

TEST(ProtocolDocTest, EveryEncoderHasAnExampleOfTheSameShape) {
  const auto examples = ReadExamples();
  ASSERT_FALSE(examples.empty()) << "no examples found in " << PARLEY_PROTOCOL_DOC;
  for (const auto& [name, json] : EncoderOutputs()) {
    auto it = examples.find(name);
    ASSERT_NE(it, examples.end()) << "docs/protocol.md has no example for " << name;
    EXPECT_EQ(ShapeOf(it->second), ShapeOf(json)) << "example '" << name << "' drifted";
  }
}

TEST(ProtocolDocTest, EveryExampleNamesAnEncoder) {
  const auto encoders = EncoderOutputs();
  for (const auto& [name, json] : ReadExamples()) {
    EXPECT_TRUE(encoders.count(name)) << "example '" << name << "' documents nothing parley sends";
  }
}

struct PacketExample {
  std::string bytes;  // the hex block, as bytes
  std::string json;   // the JSON block that follows it
};

// Every `<!-- packet: NAME -->` hex block with the first JSON block after it.
std::map<std::string, PacketExample> ReadPacketExamples() {
  std::ifstream in(PARLEY_PROTOCOL_DOC);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  std::map<std::string, PacketExample> out;
  std::regex re(
      R"(<!-- packet: (\w+) -->\s*```hex\n([\s\S]*?)\n```[\s\S]*?```json\n([\s\S]*?)\n```)");
  for (std::sregex_iterator it(doc.begin(), doc.end(), re), end; it != end; ++it) {
    PacketExample ex;
    std::istringstream hex((*it)[2]);
    std::string byte;
    while (hex >> byte) ex.bytes += static_cast<char>(std::stoi(byte, nullptr, 16));
    ex.json = (*it)[3];
    out[(*it)[1]] = ex;
  }
  return out;
}

TEST(ProtocolDocTest, EveryPacketExampleDecodesToTheJsonShownWithIt) {
  const auto examples = ReadPacketExamples();
  ASSERT_TRUE(examples.count("ping")) << "docs/protocol.md lost its uncompressed packet example";
  ASSERT_TRUE(examples.count("message_lz4")) << "docs/protocol.md lost its LZ4 packet example";
  for (const auto& [name, ex] : examples) {
    Result<std::string> json = packet::DecodePacket(ex.bytes, 65536);
    ASSERT_TRUE(json.ok()) << name << ": " << json.status().message();
    EXPECT_EQ(*json, ex.json) << name;
  }
  // The uncompressed form is exactly what parley's encoder writes.
  EXPECT_EQ(packet::EncodePacket(examples.at("ping").json, 512), examples.at("ping").bytes);
  packet::Header h;
  ASSERT_TRUE(packet::ReadHeader(examples.at("message_lz4").bytes, &h));
  EXPECT_EQ(h.flags, packet::kFlagLz4);
}

}  // namespace
}  // namespace parley
