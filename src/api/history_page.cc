#include "api/history_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "api/validation.h"

namespace parley::api {

Result<std::optional<int64_t>> QueryInt(const net::HttpRequest& req, std::string_view name) {
  auto v = req.Query(name);
  if (!v) return std::optional<int64_t>();
  int64_t out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size() || out < 0) {
    return Status(ErrorCode::kBadRequest,
                  fmt::format("Query parameter '{}' must be a non-negative integer.", name));
  }
  return std::optional<int64_t>(out);
}

Result<std::string> ReadableRoom(const net::HttpRequest& req, const auth::Authenticator* auth,
                                 const LimitsConfig& limits) {
  std::string room(req.Query("room").value_or("general"));
  if (Status st = ValidateRoom(room, limits.max_room_chars); !st.ok()) return st;
  if (auth == nullptr) return room;
  // Reads need no API key (the web UI's page loads send none), but a private room's
  // contents need the same user credential as its socket.
  auto who = auth->Authenticate(req, /*key_may_follow=*/true);
  if (!who.ok()) return who.status();
  if (Status st = auth->CheckRoom(*who, room); !st.ok()) return st;
  return room;
}

Result<HistoryPage> ParseHistoryPage(const net::HttpRequest& req, const Config& config) {
  auto limit = QueryInt(req, "limit");
  if (!limit.ok()) return limit.status();
  auto before = QueryInt(req, "before");
  if (!before.ok()) return before.status();
  auto after = QueryInt(req, "after");
  if (!after.ok()) return after.status();
  // Overflow rule: a limit above the maximum page is clamped to it.
  const int max_page = config.limits.max_history_page;
  const int page = static_cast<int>(
      std::clamp<int64_t>(limit->value_or(config.history.api_default), 1, max_page));
  int64_t upper = before->value_or(0);
  if (after->has_value() && **after == 0) {
    // after=0 is "from the start": the page below seq page+1 is exactly seqs 1..page.
    upper = upper > 0 ? std::min<int64_t>(upper, page + 1) : page + 1;
  }
  return HistoryPage{.before = upper, .after = after->value_or(0), .limit = page};
}

}  // namespace parley::api
