// JSON access for tests: a parsed document (simdjson DOM) with short accessors for the
// fields parley's frames and responses carry. Missing or mistyped fields read as empty /
// -1 so an assertion reports the value rather than the test crashing.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::testing {

class JsonDoc {
 public:
  // Parses `json`; nullopt when it is not valid JSON.
  static std::optional<JsonDoc> Parse(std::string_view json);

  simdjson::dom::element root() const { return root_; }
  bool IsObject() const { return root_.is_object(); }
  bool IsArray() const { return root_.is_array(); }
  bool Has(std::string_view key) const;
  // Top-level string field, "" when absent or not a string.
  std::string Str(std::string_view key) const;
  // Top-level integer field, -1 when absent or not an integer.
  int64_t Int(std::string_view key) const;
  // Top-level array of strings, empty when absent.
  std::vector<std::string> StrList(std::string_view key) const;
  // Each element of a top-level array (or of the array at `key`) re-serialized, to be
  // parsed again as a JsonDoc.
  std::vector<std::string> Items(std::string_view key = "") const;

 private:
  std::unique_ptr<simdjson::dom::parser> parser_;
  simdjson::dom::element root_;
};

// Same accessors on any element.
std::string StrOf(simdjson::dom::element e, std::string_view key);
int64_t IntOf(simdjson::dom::element e, std::string_view key);

// `s` as a JSON string literal, for building expected bodies.
std::string JsonQuote(std::string_view s);

}  // namespace parley::testing
