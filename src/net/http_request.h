// HttpRequest: a parsed HTTP/1.1 request as parley's routes see it. The network layer
// fills it from Beast's parser, so nothing above net/ depends on Beast. Plain value.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::net {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: "/api/history?room=a&limit=5"
  std::string path;    // percent-decoded path part of target: "/api/history"
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent
  std::string body;
  bool keep_alive = true;
  // A valid RFC 6455 upgrade request (GET, Upgrade: websocket, Connection: upgrade,
  // version 13, a well-formed key); ws_key holds the key.
  bool websocket_upgrade = false;
  std::string ws_key;

  // First value of the query parameter `name`, if present.
  std::optional<std::string_view> Query(std::string_view name) const;
  // First value of the header `name` (case-insensitive), if present.
  std::optional<std::string_view> Header(std::string_view name) const;
};

// Percent-decodes `in` ('+' becomes a space when `plus_is_space`). Returns nullopt on a
// malformed escape.
std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space);

// Splits `target` into a decoded path and decoded query pairs. False on malformed escapes.
bool ParseTarget(std::string_view target, std::string& path,
                 std::vector<std::pair<std::string, std::string>>& query);

}  // namespace parley::net
