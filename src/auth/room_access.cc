#include "auth/room_access.h"

#include <fmt/format.h>

#include <algorithm>

namespace parley::auth {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Splits on `sep`, trimming spaces and dropping empty parts.
std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const size_t at = s.find(sep);
    std::string_view part = Trim(s.substr(0, at));
    if (!part.empty()) out.push_back(part);
    s = at == std::string_view::npos ? std::string_view() : s.substr(at + 1);
  }
  return out;
}

bool Contains(const std::vector<std::string>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

Result<RoomAccess> RoomAccess::Parse(std::string_view setting) {
  RoomAccess out;
  for (std::string_view entry : Split(setting, ',')) {
    const size_t eq = entry.find('=');
    const std::string_view room = Trim(entry.substr(0, eq));
    if (eq == std::string_view::npos || room.empty()) {
      return Status(
          ErrorCode::kBadRequest,
          fmt::format("config: auth.private_rooms entry \"{}\" must be ROOM=USER|USER...", entry));
    }
    auto& members = out.members_[std::string(room)];
    for (std::string_view user : Split(entry.substr(eq + 1), '|')) members.emplace_back(user);
  }
  return out;
}

bool RoomAccess::IsPrivate(std::string_view room) const {
  return members_.find(std::string(room)) != members_.end();
}

Status RoomAccess::Check(const Identity& who, std::string_view room) const {
  const bool granted_by_token = who.rooms && Contains(*who.rooms, room);
  if (who.rooms && !granted_by_token) {
    return Status(ErrorCode::kPrivateRoom,
                  fmt::format("Your token does not grant room \"{}\".", room));
  }
  auto it = members_.find(std::string(room));
  if (it == members_.end() || granted_by_token) return Status::Ok();
  if (who.is_user() && Contains(it->second, who.user_id)) return Status::Ok();
  return Status(ErrorCode::kPrivateRoom,
                fmt::format("Room \"{}\" is private: sign in as one of its members.", room));
}

}  // namespace parley::auth
