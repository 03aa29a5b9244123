#include "gen_message.h"

#include <fmt/format.h>

#include <charconv>
#include <cstring>
#include <iterator>

namespace parley::bench {
namespace {

constexpr std::string_view kMessageKey = "\"message\":\"";

// Reads a decimal number followed by `sep` from the front of `s`.
bool TakeNumber(std::string_view& s, char sep, uint64_t* v) {
  auto [next, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  if (ec != std::errc() || next == s.data() + s.size() || *next != sep) return false;
  s.remove_prefix(static_cast<size_t>(next - s.data()) + 1);
  return true;
}

}  // namespace

void FormatGenMessage(const GenMessage& m, size_t size, std::string* out) {
  out->clear();
  fmt::format_to(std::back_inserter(*out), "B{}:{}:{}:", m.send_ns, m.sender, m.seq);
  // Letters only, so the text needs no JSON escaping and its size on the wire is `size`.
  static constexpr char kPad[] = "abcdefghijklmnopqrstuvwxyz";
  for (size_t i = out->size(); i < size; ++i) out->push_back(kPad[i % 26]);
}

std::optional<GenMessage> ParseGenMessage(std::string_view text) {
  if (text.empty() || text[0] != 'B') return std::nullopt;
  text.remove_prefix(1);
  GenMessage m;
  uint64_t sender = 0;
  if (!TakeNumber(text, ':', &m.send_ns) || !TakeNumber(text, ':', &sender) ||
      !TakeNumber(text, ':', &m.seq) || sender > UINT32_MAX) {
    return std::nullopt;
  }
  m.sender = static_cast<uint32_t>(sender);
  return m;
}

std::optional<std::string_view> FindMessageField(std::string_view json) {
  return FindStringField(json, kMessageKey);
}

std::optional<std::string_view> FindStringField(std::string_view json,
                                                std::string_view quoted_key) {
  const size_t key = json.find(quoted_key);
  if (key == std::string_view::npos) return std::nullopt;
  const size_t start = key + quoted_key.size();
  size_t pos = start;
  while (true) {
    const void* q = std::memchr(json.data() + pos, '"', json.size() - pos);
    if (q == nullptr) return std::nullopt;
    const size_t quote = static_cast<size_t>(static_cast<const char*>(q) - json.data());
    // The quote is escaped when an odd number of backslashes precede it.
    size_t backslashes = 0;
    while (quote - backslashes > start && json[quote - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return json.substr(start, quote - start);
    pos = quote + 1;
  }
}

std::optional<GenMessage> ParseChatFrame(std::string_view json) {
  auto text = FindMessageField(json);
  if (!text) return std::nullopt;
  return ParseGenMessage(*text);
}

}  // namespace parley::bench
