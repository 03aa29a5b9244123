#include "api/auth_request.h"

#include <fmt/format.h>
#include <simdjson.h>

#include "api/validation.h"

namespace parley::api {
namespace {

namespace dom = simdjson::dom;

Status FieldError(std::string_view field, std::string_view rule) {
  return Status(ErrorCode::kInvalidField, fmt::format("Field '{}' {}.", field, rule));
}

// The string field `key`: nullopt when absent or null, an error when not a string.
Result<std::optional<std::string_view>> StringField(dom::object obj, std::string_view key) {
  dom::element el;
  if (obj.at_key(key).get(el) != simdjson::SUCCESS || el.is_null()) {
    return std::optional<std::string_view>();
  }
  std::string_view v;
  if (el.get_string().get(v) != simdjson::SUCCESS) return FieldError(key, "must be a string");
  return std::optional<std::string_view>(v);
}

Status CheckDisplayName(std::string_view v, const AccountLimits& limits) {
  if (v.empty()) return Status::Ok();
  if (!CheckNotReserved(v).ok()) {
    return FieldError("displayName", "must not be 'ai', the assistant's name");
  }
  if (!ValidateUsername(v, limits.max_username_chars).ok()) {
    return FieldError("displayName", fmt::format("is 1 to {} characters without control characters",
                                                 limits.max_username_chars));
  }
  return Status::Ok();
}

Status CheckAvatarUrl(std::string_view v, const AccountLimits& limits) {
  if (v.empty()) return Status::Ok();
  if (v.size() > static_cast<size_t>(limits.max_avatar_url_bytes)) {
    return FieldError("avatarUrl", fmt::format("is at most {} bytes", limits.max_avatar_url_bytes));
  }
  if (!v.starts_with("https://") && !v.starts_with("http://") && !v.starts_with("/files/")) {
    return FieldError("avatarUrl", "starts with https://, http:// or /files/");
  }
  for (unsigned char c : v) {
    if (c <= 0x20 || c == 0x7F)
      return FieldError("avatarUrl", "has no blanks or control characters");
  }
  return Status::Ok();
}

// Parses `body` into `parser` and returns its top-level object.
Result<dom::object> ParseObject(dom::parser& parser, std::string_view body) {
  dom::element root;
  if (body.empty() || parser.parse(body.data(), body.size(), true).get(root) != simdjson::SUCCESS) {
    return Status(ErrorCode::kBadRequest, "The body must be a JSON object.");
  }
  dom::object obj;
  if (root.get_object().get(obj) != simdjson::SUCCESS) {
    return Status(ErrorCode::kBadRequest, "The body must be a JSON object.");
  }
  return obj;
}

}  // namespace

Result<CredentialsRequest> ParseCredentialsRequest(std::string_view body,
                                                   const AccountLimits& limits, bool with_profile) {
  dom::parser parser;
  auto obj = ParseObject(parser, body);
  if (!obj.ok()) return obj.status();
  CredentialsRequest out;
  auto username = StringField(*obj, "username");
  if (!username.ok()) return username.status();
  if (!username->has_value()) return FieldError("username", "is required");
  if (Status st = ValidateUsername(**username, limits.max_username_chars); !st.ok()) return st;
  out.username.assign(**username);

  auto password = StringField(*obj, "password");
  if (!password.ok()) return password.status();
  if (!password->has_value()) return FieldError("password", "is required");
  const size_t n = (*password)->size();
  if (n < static_cast<size_t>(limits.min_password_bytes) ||
      n > static_cast<size_t>(limits.max_password_bytes)) {
    return Status(ErrorCode::kInvalidPassword,
                  fmt::format("A password is {} to {} bytes long.", limits.min_password_bytes,
                              limits.max_password_bytes));
  }
  out.password.assign(**password);
  if (!with_profile) return out;

  auto profile = ParseProfileRequest(body, limits);
  if (!profile.ok()) return profile.status();
  out.display_name = profile->display_name.value_or("");
  out.avatar_url = profile->avatar_url.value_or("");
  return out;
}

Result<ProfileRequest> ParseProfileRequest(std::string_view body, const AccountLimits& limits) {
  dom::parser parser;
  auto obj = ParseObject(parser, body);
  if (!obj.ok()) return obj.status();
  ProfileRequest out;
  auto name = StringField(*obj, "displayName");
  if (!name.ok()) return name.status();
  if (name->has_value()) {
    if (Status st = CheckDisplayName(**name, limits); !st.ok()) return st;
    out.display_name = std::string(**name);
  }
  auto avatar = StringField(*obj, "avatarUrl");
  if (!avatar.ok()) return avatar.status();
  if (avatar->has_value()) {
    if (Status st = CheckAvatarUrl(**avatar, limits); !st.ok()) return st;
    out.avatar_url = std::string(**avatar);
  }
  return out;
}

}  // namespace parley::api
