#include "auth/credentials.h"

#include <strings.h>

#include "auth/cookie.h"
#include "auth/jwt.h"

namespace parley::auth {

std::optional<std::string_view> BearerCredential(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size() ||
      strncasecmp(authorization.data(), kScheme.data(), kScheme.size()) != 0) {
    return std::nullopt;
  }
  std::string_view cred = authorization.substr(kScheme.size());
  while (!cred.empty() && cred.front() == ' ') cred.remove_prefix(1);
  while (!cred.empty() && cred.back() == ' ') cred.remove_suffix(1);
  if (cred.empty()) return std::nullopt;
  return cred;
}

Credentials ReadCredentials(const net::HttpRequest& req) {
  Credentials out;
  if (auto header = req.Header("Authorization")) {
    if (auto bearer = BearerCredential(*header)) {
      if (bearer->starts_with(kSessionTokenPrefix)) {
        out.session = std::string(*bearer);
      } else {
        (LooksLikeJwt(*bearer) ? out.token : out.api_key) = std::string(*bearer);
      }
    }
  }
  // A browser may split cookies over several Cookie headers (HTTP/2 proxies do).
  for (const auto& [name, value] : req.headers) {
    if (!out.session.empty()) break;
    if (name.size() != 6 || strncasecmp(name.data(), "cookie", 6) != 0) continue;
    if (auto v = FindCookie(value, kSessionCookie); v && !v->empty()) out.session = std::string(*v);
  }
  if (out.token.empty()) {
    if (auto t = req.Query("token")) out.token = std::string(*t);
  }
  if (out.api_key.empty()) {
    if (auto k = req.Query("apiKey")) out.api_key = std::string(*k);
  }
  return out;
}

}  // namespace parley::auth
