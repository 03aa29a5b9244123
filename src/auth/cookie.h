// HTTP cookies, both ways: reading one cookie's value out of a request's Cookie header
// (RFC 6265 section 4.2 and 5.4) and writing the Set-Cookie value of parley's session
// cookie. Pure functions, no I/O; fuzzed by cookie_fuzz_driver.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::auth {

// The session cookie's name.
inline constexpr std::string_view kSessionCookie = "parley_session";

// The value of the first cookie called `name` in a Cookie header value
// ("a=1; parley_session=xyz"). Pairs are split on ';', blanks around names and values are
// ignored, a value in double quotes is unquoted, pairs without '=' are skipped. Names
// compare exactly (cookie names are case-sensitive). nullopt when there is none; an empty
// value is returned as "" (the caller decides what that means).
std::optional<std::string_view> FindCookie(std::string_view header, std::string_view name);

// True when `value` may appear in a cookie as is: RFC 6265 cookie-octets (printable ASCII
// without blanks, '"', ',', ';' and '\').
bool IsCookieValue(std::string_view value);

struct SetCookie {
  std::string_view name = kSessionCookie;
  std::string_view value{};  // REQUIRES: IsCookieValue(value)
  int64_t max_age_s = 0;     // 0 deletes the cookie in the browser
  bool secure = false;       // only sent back over https
};

// The Set-Cookie header value: `NAME=VALUE; Path=/; Max-Age=N; HttpOnly; SameSite=Lax`
// and `; Secure` when asked. HttpOnly keeps page scripts away from the token; Lax keeps it
// off cross-site POSTs (CSRF) while a link into parley still arrives signed in.
std::string FormatSetCookie(const SetCookie& c);

}  // namespace parley::auth
