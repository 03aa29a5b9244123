// OriginPolicy: which web origins may open parley's WebSockets and call its HTTP API from a
// browser (security.allowed_origins). Pure: parses the setting once and then answers from
// any thread (read-only after construction).
//
// The request's own origin (an Origin whose host and port equal the Host header) is always
// allowed. The list adds origins, comma-separated, each one of:
//   https://chat.example.com      exactly this origin (default port of the scheme)
//   http://localhost:8080         exactly this origin
//   http://localhost:*            this scheme and host, any port
//   *                             any origin (turns the check off; not for public servers)
// A missing Origin header is not a browser (curl, mobile apps, bots): callers decide; the
// literal "null" (sandboxed frames, file: pages) matches only "*".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace parley::guard {

// An origin split into its parts, lowercased. port 0 = the scheme's default.
struct Origin {
  std::string scheme;  // "http" or "https"
  std::string host;    // "example.com", "127.0.0.1", "[::1]"
  int port = 0;

  int effective_port() const { return port != 0 ? port : (scheme == "https" ? 443 : 80); }
};

// Parses "scheme://host[:port]" (what browsers send). Nothing may follow the port.
// `allow_any_port` accepts ":*" as port (stored as -1).
Result<Origin> ParseOrigin(std::string_view text, bool allow_any_port = false);

class OriginPolicy {
 public:
  // The default list: same origin plus local development pages.
  static constexpr std::string_view kDefaultList = "http://localhost:*,http://127.0.0.1:*";

  // Parses security.allowed_origins; "" = same origin only. Fails on a malformed entry,
  // naming it.
  static Result<OriginPolicy> Parse(std::string_view list);

  // True when a browser page from `origin` may use parley reached as `host` (the Host
  // header, "example.com:8787").
  bool Allows(std::string_view origin, std::string_view host) const;

 private:
  bool any_ = false;
  std::vector<Origin> allowed_;  // port -1: any port
};

}  // namespace parley::guard
