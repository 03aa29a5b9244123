// SseParser: turns a server-sent-events byte stream (text/event-stream, as an
// OpenAI-compatible provider streams a chat completion) into whole events. Pure: no I/O,
// fed whatever bytes arrived, in any chunking; fuzzed (sse_fuzz_driver.cc).
//
// Follows the WHATWG event-stream rules parley needs: lines end in CRLF, LF or CR; a blank
// line ends an event; "data:" lines are joined with "\n"; a line starting with ':' is a
// comment; "event:" names the event; other fields (id, retry) are ignored. A UTF-8 BOM at
// the very start is skipped. An event without data lines is not reported.
//
// Limit: once an event's data and name plus the line being read pass max_event_bytes, the
// parser fails (and ignores further input), so a provider that never ends a line or an
// event cannot grow memory. The outcome does not depend on how the bytes were chunked.
// Not thread-safe; one owner feeds it.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace parley::ai {

struct SseEvent {
  std::string_view event;  // "" when the event had no "event:" field
  std::string_view data;   // the data lines joined with "\n"
  // Both views are valid only during the on_event call.
};

class SseParser {
 public:
  explicit SseParser(size_t max_event_bytes) : max_event_bytes_(max_event_bytes) {}

  // Feeds `bytes`; calls `on_event` for each event completed by them, in order. Returns
  // false once the parser has failed (a limit was passed); `on_event` may stop early by
  // returning false, which also stops the parser for good.
  bool Feed(std::string_view bytes, const std::function<bool(const SseEvent&)>& on_event);

  bool failed() const { return failed_; }
  bool stopped() const { return stopped_; }
  // Bytes buffered for an unfinished line or event.
  size_t buffered_bytes() const { return line_.size() + data_.size() + event_.size(); }

 private:
  // Handles one complete line; false to stop.
  bool Line(std::string_view line, const std::function<bool(const SseEvent&)>& on_event);
  // Marks the parser failed and frees its buffers; returns false.
  bool Fail();

  const size_t max_event_bytes_;
  std::string line_;   // the unfinished line
  std::string data_;   // data of the event being built
  std::string event_;  // its "event:" value
  bool has_data_ = false;
  bool after_cr_ = false;   // the last byte was CR: an LF right after it ends nothing
  bool at_start_ = true;    // still where a BOM may be
  size_t bom_matched_ = 0;  // bytes of a BOM seen so far at the start
  bool failed_ = false;
  bool stopped_ = false;
};

}  // namespace parley::ai
