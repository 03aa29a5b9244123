#include "http_client.h"

#include <strings.h>

#include <charconv>

namespace parley::testing {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

constexpr size_t kNeedMore = 0;
constexpr size_t kMalformed = std::string::npos;

// Decodes a chunked body starting at `data`. Returns bytes used, kNeedMore or kMalformed.
size_t ParseChunked(std::string_view data, std::string* body) {
  size_t pos = 0;
  body->clear();
  for (;;) {
    size_t eol = data.find("\r\n", pos);
    if (eol == std::string_view::npos) return kNeedMore;
    std::string_view line = data.substr(pos, eol - pos);
    line = line.substr(0, line.find(';'));  // chunk extensions
    line = Trim(line);
    size_t size = 0;
    auto [p, ec] = std::from_chars(line.data(), line.data() + line.size(), size, 16);
    if (ec != std::errc() || p != line.data() + line.size()) return kMalformed;
    pos = eol + 2;
    if (size == 0) {
      // Trailers end with an empty line.
      for (;;) {
        size_t end = data.find("\r\n", pos);
        if (end == std::string_view::npos) return kNeedMore;
        bool empty = end == pos;
        pos = end + 2;
        if (empty) return pos;
      }
    }
    if (data.size() < pos + size + 2) return kNeedMore;
    body->append(data.substr(pos, size));
    if (data.substr(pos + size, 2) != "\r\n") return kMalformed;
    pos += size + 2;
  }
}

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (IEquals(k, name)) return v;
  }
  return "";
}

bool HttpResponse::HasHeader(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (IEquals(k, name)) return true;
  }
  return false;
}

size_t ParseHttpResponse(std::string_view data, bool eof, bool head_only, HttpResponse* out) {
  size_t head_end = data.find("\r\n\r\n");
  if (head_end == std::string_view::npos) {
    if (eof) {
      out->error = data.empty() ? "connection closed before a response"
                                : "connection closed inside the response head";
      return kMalformed;
    }
    return kNeedMore;
  }
  std::string_view head = data.substr(0, head_end);
  size_t line_end = head.find("\r\n");
  std::string_view status_line = head.substr(0, line_end);
  // "HTTP/1.1 200 OK"
  if (status_line.substr(0, 5) != "HTTP/" || status_line.size() < 12) {
    out->error = "bad status line: " + std::string(status_line);
    return kMalformed;
  }
  size_t sp = status_line.find(' ');
  std::string_view code = status_line.substr(sp + 1, 3);
  int status = 0;
  auto [p, ec] = std::from_chars(code.data(), code.data() + code.size(), status);
  if (ec != std::errc()) {
    out->error = "bad status code: " + std::string(status_line);
    return kMalformed;
  }
  out->status = status;
  out->reason = std::string(Trim(status_line.substr(std::min(sp + 5, status_line.size()))));
  out->headers.clear();
  size_t pos = line_end == std::string_view::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t end = head.find("\r\n", pos);
    if (end == std::string_view::npos) end = head.size();
    std::string_view line = head.substr(pos, end - pos);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      out->error = "bad header line: " + std::string(line);
      return kMalformed;
    }
    out->headers.emplace_back(std::string(Trim(line.substr(0, colon))),
                              std::string(Trim(line.substr(colon + 1))));
    pos = end + 2;
  }
  size_t body_start = head_end + 4;
  std::string_view rest = data.substr(body_start);
  bool no_body = head_only || status == 204 || status == 304 || (status >= 100 && status < 200);
  if (no_body) {
    out->body.clear();
    return body_start;
  }
  if (IEquals(out->Header("Transfer-Encoding"), "chunked")) {
    size_t used = ParseChunked(rest, &out->body);
    if (used == kMalformed) {
      out->error = "bad chunked body";
      return kMalformed;
    }
    if (used == kNeedMore) {
      if (eof) {
        out->error = "connection closed inside a chunked body";
        return kMalformed;
      }
      return kNeedMore;
    }
    return body_start + used;
  }
  if (out->HasHeader("Content-Length")) {
    std::string cl = out->Header("Content-Length");
    size_t len = 0;
    auto [q, ec2] = std::from_chars(cl.data(), cl.data() + cl.size(), len);
    if (ec2 != std::errc() || q != cl.data() + cl.size()) {
      out->error = "bad Content-Length: " + cl;
      return kMalformed;
    }
    if (rest.size() < len) {
      if (eof) {
        out->error = "connection closed inside the body";
        return kMalformed;
      }
      return kNeedMore;
    }
    out->body = std::string(rest.substr(0, len));
    return body_start + len;
  }
  // No length: the body runs to the end of the connection.
  if (!eof) return kNeedMore;
  out->body = std::string(rest);
  return data.size();
}

bool HttpClient::Connect(Deadline deadline) { return conn_.Connect(port_, deadline); }

HttpResponse HttpClient::Get(std::string_view target, const Headers& headers, Deadline deadline) {
  HttpResponse failed;
  if ((!conn_.connected() || conn_.peer_closed()) && !Connect(deadline)) {
    failed.error = "connect failed";
    return failed;
  }
  std::string req = "GET " + std::string(target) +
                    " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) + "\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  req += "\r\n";
  if (!SendRaw(req, deadline)) {
    failed.error = "write failed";
    return failed;
  }
  return ReadResponse(deadline);
}

bool HttpClient::SendRaw(std::string_view bytes, Deadline deadline) {
  if (!conn_.connected() && !Connect(deadline)) return false;
  return conn_.WriteAll(bytes, deadline);
}

HttpResponse HttpClient::ReadResponse(Deadline deadline, bool head_only) {
  return ReadHttpResponse(conn_, deadline, head_only);
}

HttpResponse ReadHttpResponse(TcpConn& conn_, Deadline deadline, bool head_only) {
  for (;;) {
    HttpResponse r;
    size_t used = ParseHttpResponse(conn_.buffer(), conn_.peer_closed(), head_only, &r);
    if (used == kMalformed) return r;
    if (used != kNeedMore) {
      conn_.Consume(used);
      return r;
    }
    ReadStatus s = conn_.Fill(deadline);
    if (s == ReadStatus::kTimeout || s == ReadStatus::kError) {
      HttpResponse failed;
      failed.error = std::string("no complete response: ") + ToString(s) + " after " +
                     std::to_string(conn_.buffer().size()) + " bytes";
      return failed;
    }
  }
}

bool HttpClient::WaitClosed(Deadline deadline) {
  for (;;) {
    conn_.buffer().clear();
    ReadStatus s = conn_.Fill(deadline);
    if (s == ReadStatus::kEof) return true;
    if (s != ReadStatus::kData) return false;
  }
}

HttpResponse HttpGet(uint16_t port, std::string_view target, const Headers& headers) {
  HttpClient client(port);
  return client.Get(target, headers);
}

}  // namespace parley::testing
