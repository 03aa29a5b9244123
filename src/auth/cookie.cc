#include "auth/cookie.h"

namespace parley::auth {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsCookieOctet(unsigned char c) {
  return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
         (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

}  // namespace

std::optional<std::string_view> FindCookie(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const size_t semi = header.find(';');
    const std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (Trim(pair.substr(0, eq)) != name) continue;
    std::string_view value = Trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return std::nullopt;
}

bool IsCookieValue(std::string_view value) {
  for (char ch : value) {
    if (!IsCookieOctet(static_cast<unsigned char>(ch))) return false;
  }
  return true;
}

std::string FormatSetCookie(const SetCookie& c) {
  std::string out;
  out.reserve(c.name.size() + c.value.size() + 64);
  out.append(c.name).append("=").append(c.value);
  out.append("; Path=/; Max-Age=").append(std::to_string(c.max_age_s > 0 ? c.max_age_s : 0));
  out.append("; HttpOnly; SameSite=Lax");
  if (c.secure) out.append("; Secure");
  return out;
}

}  // namespace parley::auth
