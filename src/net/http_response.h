// Builds complete HTTP/1.1 responses as bytes. Pure; the caller writes them.
#pragma once

#include <string>
#include <string_view>

namespace parley::net {

struct HttpResponse {
  int status = 200;
  std::string_view content_type = "application/json";
  std::string body{};
  std::string_view etag{};           // emitted when non-empty
  std::string_view cache_control{};  // emitted when non-empty
  std::string_view extra_headers{};  // preformatted "Name: value\r\n" lines
  bool omit_body = false;            // HEAD: Content-Length of `body`, but no body bytes
};

std::string_view ReasonPhrase(int status);

// Serializes `r` with Content-Length, Date-free (deterministic), and Connection: keep-alive
// or close. With omit_body (HEAD) it keeps Content-Length but sends no body.
std::string SerializeResponse(const HttpResponse& r, bool keep_alive);

// The head of a streamed answer: Transfer-Encoding: chunked instead of Content-Length.
std::string SerializeStreamHead(int status, std::string_view content_type,
                                std::string_view extra_headers, bool keep_alive);
// One chunk of a chunked body (REQUIRES: !data.empty(); an empty chunk ends the body).
std::string SerializeChunk(std::string_view data);
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

// The 101 answer to a WebSocket upgrade.
std::string SerializeUpgrade(std::string_view accept_key);

}  // namespace parley::net
