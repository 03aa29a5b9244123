#include "store/sqlite_rows.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

namespace parley::sqlite_rows {

std::string MessageColumns(std::string_view p) {
  return fmt::format(
      "{0}seq, {0}id, {0}username, {0}message, {0}timestamp, {0}client_id, {0}reply_to, "
      "{0}image_url, {0}edited_ms, {0}deleted",
      p);
}

void ReadMessage(const SqliteStmt& stmt, int first, const std::string& room, StoredMessage& m) {
  m.room = room;
  m.seq = stmt.ColumnInt64(first);
  m.id = stmt.ColumnText(first + 1);
  m.username = stmt.ColumnText(first + 2);
  m.text = stmt.ColumnText(first + 3);
  m.timestamp_ms = stmt.ColumnInt64(first + 4);
  // NULL (no client id, no reply, no image) reads as "".
  m.client_id = stmt.ColumnText(first + 5);
  m.reply_to = stmt.ColumnText(first + 6);
  m.image_url = stmt.ColumnText(first + 7);
  m.edited_ms = stmt.ColumnInt64(first + 8);
  m.deleted = stmt.ColumnInt64(first + 9) != 0;
  m.reactions.clear();
}

namespace {

// Runs `reactions` over [lo, hi] and adds each row to the message with that seq, if any.
Status ReadRange(const SqliteDb& db, SqliteStmt& reactions, const std::string& room, int64_t lo,
                 int64_t hi, const std::unordered_map<int64_t, StoredMessage*>& by_seq) {
  reactions.BindText(1, room);
  reactions.BindInt64(2, lo);
  reactions.BindInt64(3, hi);
  int rc;
  while ((rc = reactions.Step()) == SQLITE_ROW) {
    auto it = by_seq.find(reactions.ColumnInt64(0));
    if (it == by_seq.end()) continue;
    std::vector<Reaction>& list = it->second->reactions;
    std::string emoji = reactions.ColumnText(1);
    // Rows come in reaction order, so an emoji's first row is its first use.
    auto r =
        std::find_if(list.begin(), list.end(), [&](const Reaction& x) { return x.emoji == emoji; });
    if (r == list.end()) {
      list.push_back(Reaction{std::move(emoji), {}});
      r = std::prev(list.end());
    }
    r->users.push_back(reactions.ColumnText(2));
  }
  Status status = rc == SQLITE_DONE ? Status::Ok() : db.Error(rc, "read reactions");
  reactions.Reset();
  return status;
}

}  // namespace

Status AttachReactions(const SqliteDb& db, SqliteStmt& reactions, const std::string& room,
                       std::vector<StoredMessage>& messages) {
  if (messages.empty()) return Status::Ok();
  std::unordered_map<int64_t, StoredMessage*> by_seq;
  int64_t lo = messages.front().seq;
  int64_t hi = lo;
  for (StoredMessage& m : messages) {
    m.reactions.clear();
    by_seq.emplace(m.seq, &m);
    lo = std::min(lo, m.seq);
    hi = std::max(hi, m.seq);
  }
  // A page of history is one seq range: one query. Search results are scattered over the
  // room's history, where a range would read every reaction in between: one query each.
  const auto span = static_cast<size_t>(hi - lo) + 1;
  if (span <= 2 * messages.size() + 64) return ReadRange(db, reactions, room, lo, hi, by_seq);
  for (const StoredMessage& m : messages) {
    if (Status s = ReadRange(db, reactions, room, m.seq, m.seq, by_seq); !s.ok()) return s;
  }
  return Status::Ok();
}

std::string FtsMatchQuery(std::string_view text) {
  std::string query;
  size_t i = 0;
  // FTS5 reads its query up to the first NUL: a NUL separates words like a space does.
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '\0';
  };
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    if (i == text.size()) break;
    if (!query.empty()) query += ' ';
    query += '"';
    for (; i < text.size() && !is_space(text[i]); ++i) {
      if (text[i] == '"') query += '"';  // inside an FTS5 string, "" is a literal quote
      query += text[i];
    }
    query += '"';
  }
  if (!query.empty()) query += '*';
  return query;
}

}  // namespace parley::sqlite_rows
