// What GET /api/history and GET /api/messages share: the room they read, who may read it,
// and the page the query asks for (before, after, limit), with one set of rules and limits.
// Pure functions of the request; they run on the request's shard thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/authenticator.h"
#include "base/config.h"
#include "base/status.h"
#include "net/http_request.h"

namespace parley::api {

// Parses a non-negative integer query parameter; nullopt when absent, bad_request when
// malformed.
Result<std::optional<int64_t>> QueryInt(const net::HttpRequest& req, std::string_view name);

// The room a read names (?room=, default "general"), when `auth` (null: every room is open)
// lets the request's credentials read it. Errors: invalid_room, private_room and the
// credential refusals of Authenticator::Authenticate.
Result<std::string> ReadableRoom(const net::HttpRequest& req, const auth::Authenticator* auth,
                                 const LimitsConfig& limits);

// The page a history read asks for, ready for ChatService::History.
struct HistoryPage {
  int64_t before = 0;  // 0: no upper bound
  int64_t after = 0;   // 0: the newest page
  int limit = 0;       // 1..limits.max_history_page
};
// From ?before=, ?after= and ?limit=. Overflow rule: a limit above max_history_page is
// clamped to it; no limit means history.api_default. after=0 means "from the start".
Result<HistoryPage> ParseHistoryPage(const net::HttpRequest& req, const Config& config);

}  // namespace parley::api
