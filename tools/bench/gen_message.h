// The text parley-bench sends as a chat message, and how a receiver finds it again in
// whatever JSON frame the server under test wraps it in.
//
// A generated message is `B<send_ns>:<sender_id>:<seq>:<padding>`: the scheduled send time
// (CLOCK_MONOTONIC ns, the generator and server share the machine), the sender's id and
// its per-sender sequence number, so a receiver can compute latency and spot drops and
// reorders per sender. Pure functions; no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::bench {

struct GenMessage {
  uint64_t send_ns = 0;
  uint32_t sender = 0;
  uint64_t seq = 0;
};

// Writes the message text for `m`, padded with letters to `size` bytes (or longer when the
// fields alone do not fit).
void FormatGenMessage(const GenMessage& m, size_t size, std::string* out);

// Parses a message text as FormatGenMessage wrote it; nullopt for any other text.
std::optional<GenMessage> ParseGenMessage(std::string_view text);

// Finds the string value of the first `"message":"` in a JSON frame, in any field order,
// and returns its raw (still escaped) contents up to the next unescaped quote; nullopt
// when there is none or it is unterminated.
std::optional<std::string_view> FindMessageField(std::string_view json);

// The same for any string field: `quoted_key` is the key with its quotes and colon, e.g.
// `"clientId":"`.
std::optional<std::string_view> FindStringField(std::string_view json, std::string_view quoted_key);

// Both steps: the generated message carried by a chat frame.
std::optional<GenMessage> ParseChatFrame(std::string_view json);

}  // namespace parley::bench
