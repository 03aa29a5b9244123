#include "ai/sse_parser.h"

#include <algorithm>

namespace parley::ai {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

}  // namespace

bool SseParser::Feed(std::string_view bytes, const std::function<bool(const SseEvent&)>& on_event) {
  if (failed_ || stopped_) return false;
  // A BOM may arrive split across feeds: match it byte by byte.
  while (at_start_ && !bytes.empty()) {
    if (bytes.front() == kBom[bom_matched_]) {
      bytes.remove_prefix(1);
      if (++bom_matched_ == kBom.size()) at_start_ = false;
    } else {
      at_start_ = false;
      line_.append(kBom.substr(0, bom_matched_));  // not a BOM after all: ordinary bytes
    }
  }
  while (!bytes.empty()) {
    if (after_cr_ && bytes.front() == '\n') bytes.remove_prefix(1);  // the LF of a CRLF
    after_cr_ = false;
    const size_t end = bytes.find_first_of("\r\n");
    if (end == std::string_view::npos) {
      line_.append(bytes);
      if (buffered_bytes() > max_event_bytes_) return Fail();
      return true;
    }
    after_cr_ = bytes[end] == '\r';
    if (buffered_bytes() + end > max_event_bytes_) return Fail();
    bool go_on;
    if (line_.empty()) {
      go_on = Line(bytes.substr(0, end), on_event);
    } else {
      line_.append(bytes.substr(0, end));
      std::string line = std::move(line_);
      line_.clear();
      go_on = Line(line, on_event);
    }
    if (!go_on) return false;
    bytes.remove_prefix(end + 1);
  }
  return true;
}

bool SseParser::Line(std::string_view line, const std::function<bool(const SseEvent&)>& on_event) {
  if (line.empty()) {
    // Blank line: dispatch the event being built, if it has data.
    if (has_data_) {
      const SseEvent e{.event = event_, .data = data_};
      if (!on_event(e)) stopped_ = true;
    }
    data_.clear();
    event_.clear();
    has_data_ = false;
    return !stopped_;
  }
  if (line.front() == ':') return true;  // comment (keep-alives)
  const size_t colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (has_data_) data_ += '\n';
    data_.append(value);
    has_data_ = true;
  } else if (field == "event") {
    event_.assign(value);
  }
  if (buffered_bytes() > max_event_bytes_) return Fail();
  return true;
}

bool SseParser::Fail() {
  failed_ = true;
  // Nothing more will be read: give the memory back.
  std::string().swap(line_);
  std::string().swap(data_);
  std::string().swap(event_);
  return false;
}

}  // namespace parley::ai
