#include "net/http_response.h"

#include <fmt/format.h>

namespace parley::net {

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 426:
      return "Upgrade Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 504:
      return "Gateway Timeout";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

std::string SerializeResponse(const HttpResponse& r, bool keep_alive) {
  std::string out;
  out.reserve(160 + r.body.size());
  fmt::format_to(std::back_inserter(out),
                 "HTTP/1.1 {} {}\r\nServer: parley\r\nContent-Length: {}\r\nConnection: {}\r\n",
                 r.status, ReasonPhrase(r.status), r.body.size(),
                 keep_alive ? "keep-alive" : "close");
  if (r.status != 304 && r.status != 204) {
    fmt::format_to(std::back_inserter(out), "Content-Type: {}\r\n", r.content_type);
  }
  if (!r.etag.empty()) fmt::format_to(std::back_inserter(out), "ETag: {}\r\n", r.etag);
  if (!r.cache_control.empty()) {
    fmt::format_to(std::back_inserter(out), "Cache-Control: {}\r\n", r.cache_control);
  }
  out += "X-Content-Type-Options: nosniff\r\n";
  out += r.extra_headers;
  out += "\r\n";
  if (!r.omit_body) out += r.body;
  return out;
}

std::string SerializeStreamHead(int status, std::string_view content_type,
                                std::string_view extra_headers, bool keep_alive) {
  return fmt::format(
      "HTTP/1.1 {} {}\r\nServer: parley\r\nTransfer-Encoding: chunked\r\nConnection: {}\r\n"
      "Content-Type: {}\r\nX-Content-Type-Options: nosniff\r\n{}\r\n",
      status, ReasonPhrase(status), keep_alive ? "keep-alive" : "close", content_type,
      extra_headers);
}

std::string SerializeChunk(std::string_view data) {
  return fmt::format("{:x}\r\n{}\r\n", data.size(), data);
}

std::string SerializeUpgrade(std::string_view accept_key) {
  return fmt::format(
      "HTTP/1.1 101 Switching Protocols\r\nServer: parley\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Accept: {}\r\n\r\n",
      accept_key);
}

}  // namespace parley::net
