// JsonWriter: appends compact JSON to a string. Hand-written because parley only ever
// writes a few fixed shapes and this is on the fan-out path: one pass, no DOM, no
// allocation beyond the output string. Not thread-safe; a plain value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace parley {

// Appends `s` as a JSON string literal (quotes included). Escapes ", \, control characters
// and U+2028/U+2029; other UTF-8 passes through unchanged. REQUIRES: `s` is valid UTF-8.
void AppendJsonString(std::string& out, std::string_view s);

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject() {
    Sep();
    out_ += '{';
    first_ = true;
    return *this;
  }
  JsonWriter& EndObject() {
    out_ += '}';
    first_ = false;
    return *this;
  }
  JsonWriter& BeginArray() {
    Sep();
    out_ += '[';
    first_ = true;
    return *this;
  }
  JsonWriter& EndArray() {
    out_ += ']';
    first_ = false;
    return *this;
  }
  JsonWriter& Key(std::string_view k);
  JsonWriter& String(std::string_view v) {
    Sep();
    AppendJsonString(out_, v);
    return *this;
  }
  JsonWriter& Int(int64_t v);
  JsonWriter& Bool(bool v) {
    Sep();
    out_ += v ? "true" : "false";
    return *this;
  }
  // A pre-encoded JSON value (REQUIRES: valid JSON).
  JsonWriter& Raw(std::string_view json) {
    Sep();
    out_ += json;
    return *this;
  }

 private:
  void Sep() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_) out_ += ',';
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
  bool after_key_ = false;
};

}  // namespace parley
