#include "protocol/json_writer.h"

#include <charconv>

namespace parley {

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  size_t run_start = 0;
  auto flush = [&](size_t end) { out.append(s.data() + run_start, end - run_start); };
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const char* esc = nullptr;
    char buf[6];
    if (c == '"') {
      esc = "\\\"";
    } else if (c == '\\') {
      esc = "\\\\";
    } else if (c == '\n') {
      esc = "\\n";
    } else if (c == '\r') {
      esc = "\\r";
    } else if (c == '\t') {
      esc = "\\t";
    } else if (c < 0x20) {
      buf[0] = '\\', buf[1] = 'u', buf[2] = '0', buf[3] = '0', buf[4] = kHex[c >> 4],
      buf[5] = kHex[c & 0xF];
      flush(i);
      out.append(buf, 6);
      run_start = i + 1;
      continue;
    } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xA8) {
      // U+2028/U+2029 are valid JSON but break JavaScript string literals.
      flush(i);
      out += (s[i + 2] == '\xA8') ? "\\u2028" : "\\u2029";
      i += 2;
      run_start = i + 1;
      continue;
    } else {
      continue;
    }
    flush(i);
    out += esc;
    run_start = i + 1;
  }
  flush(s.size());
  out += '"';
}

JsonWriter& JsonWriter::Key(std::string_view k) {
  Sep();
  AppendJsonString(out_, k);
  out_ += ':';
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t v) {
  Sep();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out_.append(buf, end);
  return *this;
}

}  // namespace parley
