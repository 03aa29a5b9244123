#include "guard/origin_policy.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace parley::guard {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status Bad(std::string_view text, std::string_view why) {
  return Status(ErrorCode::kBadRequest,
                "origin \"" + std::string(text.substr(0, 80)) + "\": " + std::string(why));
}

bool HostChar(char ch) {
  const auto u = static_cast<unsigned char>(ch);
  return std::isalnum(u) || ch == '-' || ch == '.' || ch == '_';
}

// Splits "host[:port]" (host may be a bracketed IPv6 address). Port -1 = "*", 0 = absent.
bool SplitAuthority(std::string_view a, bool allow_any_port, std::string& host, int& port) {
  size_t host_end;
  if (a.starts_with('[')) {
    host_end = a.find(']');
    if (host_end == std::string_view::npos || host_end < 2) return false;
    for (char ch : a.substr(1, host_end - 1)) {
      if (!std::isxdigit(static_cast<unsigned char>(ch)) && ch != ':' && ch != '.') return false;
    }
    ++host_end;
  } else {
    host_end = std::min(a.find(':'), a.size());
    if (host_end == 0) return false;
    if (!std::all_of(a.begin(), a.begin() + static_cast<ptrdiff_t>(host_end), HostChar)) {
      return false;
    }
  }
  host = Lower(a.substr(0, host_end));
  port = 0;
  std::string_view rest = a.substr(host_end);
  if (rest.empty()) return true;
  if (rest.front() != ':' || rest.size() < 2) return false;
  rest.remove_prefix(1);
  if (rest == "*") {
    port = -1;
    return allow_any_port;
  }
  if (rest.size() > 5) return false;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), port);
  return ec == std::errc() && end == rest.data() + rest.size() && port >= 1 && port <= 65535;
}

}  // namespace

Result<Origin> ParseOrigin(std::string_view text, bool allow_any_port) {
  Origin o;
  const size_t sep = text.find("://");
  if (sep == std::string_view::npos) return Bad(text, "expected scheme://host[:port]");
  o.scheme = Lower(text.substr(0, sep));
  if (o.scheme != "http" && o.scheme != "https") return Bad(text, "scheme must be http or https");
  if (!SplitAuthority(text.substr(sep + 3), allow_any_port, o.host, o.port)) {
    return Bad(text, "expected scheme://host[:port] with nothing after the port");
  }
  return o;
}

Result<OriginPolicy> OriginPolicy::Parse(std::string_view list) {
  OriginPolicy p;
  while (!list.empty()) {
    const size_t comma = std::min(list.find(','), list.size());
    const std::string_view item = Trim(list.substr(0, comma));
    list.remove_prefix(std::min(comma + 1, list.size()));
    if (item.empty()) continue;
    if (item == "*") {
      p.any_ = true;
      continue;
    }
    auto o = ParseOrigin(item, /*allow_any_port=*/true);
    if (!o.ok()) return o.status();
    p.allowed_.push_back(std::move(*o));
  }
  return p;
}

bool OriginPolicy::Allows(std::string_view origin, std::string_view host) const {
  if (any_) return true;
  auto o = ParseOrigin(origin);
  if (!o.ok()) return false;  // "null" and anything malformed
  // Same origin: the page was served by this server under this Host.
  std::string h;
  int port = 0;
  if (SplitAuthority(host, false, h, port)) {
    if (port == 0) port = o->effective_port();
    if (h == o->host && port == o->effective_port()) return true;
  }
  return std::any_of(allowed_.begin(), allowed_.end(), [&](const Origin& a) {
    return a.scheme == o->scheme && a.host == o->host &&
           (a.port == -1 || a.effective_port() == o->effective_port());
  });
}

}  // namespace parley::guard
