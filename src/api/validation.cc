#include "api/validation.h"

#include <fmt/format.h>

#include "protocol/ws/utf8.h"

namespace parley::api {
namespace {

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

}  // namespace

Status ValidateUsername(std::string_view name, int max_chars) {
  if (Status st = ValidateNameChars(name, max_chars); !st.ok()) return st;
  return CheckNotReserved(name);
}

Status ValidateNameChars(std::string_view name, int max_chars) {
  auto bad = [&] {
    return Status(
        ErrorCode::kInvalidUsername,
        fmt::format("A username is 1 to {} characters, without control characters.", max_chars));
  };
  if (name.empty() || IsBlank(name) || !ws::IsValidUtf8(name)) return bad();
  int chars = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if ((c & 0xC0) != 0x80) ++chars;  // count code points, not bytes
    if (c < 0x20 || c == 0x7F) return bad();
    // C1 controls U+0080..U+009F are encoded as C2 80..C2 9F.
    if (c == 0xC2 && i + 1 < name.size() && static_cast<unsigned char>(name[i + 1]) < 0xA0) {
      return bad();
    }
  }
  if (chars > max_chars) return bad();
  return Status::Ok();
}

Status CheckNotReserved(std::string_view username) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  if (username.size() == kAiUsername.size() && lower(username[0]) == kAiUsername[0] &&
      lower(username[1]) == kAiUsername[1]) {
    return Status(ErrorCode::kInvalidUsername,
                  "The name 'ai' is reserved for parley's assistant; choose another.");
  }
  return Status::Ok();
}

Status ValidateRoom(std::string_view room, int max_chars) {
  auto bad = [&] {
    return Status(ErrorCode::kInvalidRoom,
                  fmt::format("A room name is 1 to {} characters: letters, digits, '-', '_' "
                              "or '.'.",
                              max_chars));
  };
  if (room.empty() || room.size() > static_cast<size_t>(max_chars)) return bad();
  for (char c : room) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return bad();
  }
  return Status::Ok();
}

Status ValidateMessage(std::string_view text, int max_bytes) {
  if (text.size() > static_cast<size_t>(max_bytes)) {
    return Status(
        ErrorCode::kMessageTooLarge,
        fmt::format("A message is at most {} bytes; this one has {}.", max_bytes, text.size()));
  }
  if (IsBlank(text)) return Status(ErrorCode::kEmptyMessage, "A message cannot be empty.");
  return Status::Ok();
}

}  // namespace parley::api
