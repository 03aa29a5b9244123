#include "protocol/json_writer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace parley {
namespace {

// Parses `json` with simdjson and returns the string at `key` of the top object.
std::string ParseStringField(const std::string& json, const char* key) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(json);
  return std::string(std::string_view(doc[key]));
}

TEST(JsonWriterTest, EscapesWhatJsonRequiresAndRoundTrips) {
  const std::string tricky = "quote\" backslash\\ nl\n tab\t bell\x07 nul-free é 😀 </script>";
  std::string out;
  JsonWriter(out).BeginObject().Key("s").String(tricky).EndObject();
  EXPECT_EQ(ParseStringField(out, "s"), tricky);
  EXPECT_EQ(out.find('\n'), std::string::npos) << "raw newline leaked into JSON";
  EXPECT_NE(out.find("\\u0007"), std::string::npos);
}

TEST(JsonWriterTest, EscapesLineSeparators) {
  const std::string s =
      "a\xE2\x80\xA8"
      "b\xE2\x80\xA9"
      "c";
  std::string out;
  AppendJsonString(out, s);
  EXPECT_EQ(out, "\"a\\u2028b\\u2029c\"");
}

TEST(JsonWriterTest, CommasBetweenMembersAndElements) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("a").Int(-5).Key("b").BeginArray().Int(1).String("x").Bool(true);
  w.EndArray().Key("c").BeginObject().EndObject().EndObject();
  EXPECT_EQ(out, R"({"a":-5,"b":[1,"x",true],"c":{}})");
}

}  // namespace
}  // namespace parley
