// Keeps the random 1:1 chat section of docs/protocol.md true: every example marked
// `<!-- match example: NAME -->` must have the same fields, with the same JSON types, as
// what the encoder for NAME emits, and every encoder must have an example.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "match/match_json.h"
#include "protocol/chat_json.h"

namespace parley::match {
namespace {

std::map<std::string, std::string> ReadExamples() {
  std::ifstream in(PARLEY_PROTOCOL_DOC);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  std::map<std::string, std::string> out;
  std::regex re(R"(<!-- match example: (\w+) -->\s*```json\n([\s\S]*?)\n```)");
  for (std::sregex_iterator it(doc.begin(), doc.end(), re), end; it != end; ++it) {
    out[(*it)[1]] = (*it)[2];
  }
  return out;
}

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
  simdjson::dom::element e;
  if (p.parse(json).get(e) != simdjson::SUCCESS) return "invalid JSON: " + json;
  return Shape(e);
}

std::map<std::string, std::string> EncoderOutputs() {
  PairMessage m{.from = "u-1", .text = "hi", .image_url = "https://x/y.png", .timestamp_ms = 1};
  std::vector<PairMessage> ms = {m};
  return {
      {"match_waiting", EncodeMatchWaiting("queue:emotion:x")},
      {"match_found", EncodeMatchFound(Pairing{"chat:a:b", "a", "Ann"}, "ws://h/chat")},
      {"match_error", EncodeMatchError("invalid_field", "x")},
      {"auth_success", EncodeTyped("auth_success")},
      {"auth_error", EncodeAuthError("x")},
      {"searching", EncodeTyped("searching")},
      {"matched", EncodeMatched("u-1")},
      {"message", EncodePairMessage(m)},
      {"chat_ended", EncodeTyped("chat_ended")},
      {"partner_disconnected", EncodeTyped("partner_disconnected")},
      {"pong", EncodeTyped("pong")},
      {"cancelled", EncodeTyped("cancelled")},
      {"pair_history", EncodePairHistory("chat:a:b", ms)},
      {"partner_joined", EncodePartnerJoined("a")},
      {"match_error_frame", EncodeErrorFrame("not_matched", "x")},
  };
}

TEST(MatchDocTest, EveryEncoderHasAnExampleOfTheSameShape) {
  const auto examples = ReadExamples();
  ASSERT_FALSE(examples.empty()) << "no match examples in " << PARLEY_PROTOCOL_DOC;
  for (const auto& [name, json] : EncoderOutputs()) {
    auto it = examples.find(name);
    ASSERT_NE(it, examples.end()) << "docs/protocol.md has no match example for " << name;
    EXPECT_EQ(ShapeOf(it->second), ShapeOf(json)) << "example '" << name << "' drifted";
  }
}

TEST(MatchDocTest, EveryExampleNamesAnEncoder) {
  const auto encoders = EncoderOutputs();
  for (const auto& [name, json] : ReadExamples()) {
    EXPECT_TRUE(encoders.count(name)) << "example '" << name << "' documents nothing parley sends";
  }
}

}  // namespace
}  // namespace parley::match
