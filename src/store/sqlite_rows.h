// How the store's rows map to values, shared by the writer's and the readers' connections:
// the columns of a message row, reactions grouped onto messages, the search-index key of a
// message, and a user's search words made into a safe FTS5 query. Stateless functions;
// each runs on the thread that owns the statement it is given.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/message.h"
#include "store/sqlite_db.h"

namespace parley::sqlite_rows {

// A message's rowid in messages_fts is (room id << kSeqBits) | seq, so one room's index
// entries are one rowid range. 36 bits of seq (68 billion messages in a room) leave 27 bits
// of room id (134 million rooms).
inline constexpr int kSeqBits = 36;
inline constexpr int64_t kMaxSeq = (int64_t{1} << kSeqBits) - 1;
inline constexpr int64_t kMaxRoomId = (int64_t{1} << (63 - kSeqBits)) - 1;

// seq may be kMaxSeq + 1, as the exclusive end of a room's range.
constexpr int64_t FtsRowid(int64_t room_id, int64_t seq) { return (room_id << kSeqBits) + seq; }

// The columns a message read selects, in the order ReadMessage expects; `prefix` names the
// table ("m." in a join).
std::string MessageColumns(std::string_view prefix = "");

// Fills `m` from the current row of `stmt`, whose columns from `first` on are
// MessageColumns(). REQUIRES: the last Step() returned SQLITE_ROW.
void ReadMessage(const SqliteStmt& stmt, int first, const std::string& room, StoredMessage& m);

// The statement AttachReactions expects: ?1 room, ?2 lowest seq, ?3 highest seq.
inline constexpr std::string_view kReactionsSql =
    "SELECT seq, emoji, username FROM reactions WHERE room = ?1 AND seq BETWEEN ?2 AND ?3 "
    "ORDER BY seq, ord";

// Replaces the reactions of every message in `messages` (all of `room`, any order) with the
// stored ones: emojis in the order each was first used, users in the order they reacted.
Status AttachReactions(const SqliteDb& db, SqliteStmt& reactions, const std::string& room,
                       std::vector<StoredMessage>& messages);

// The FTS5 query for words as a user types them: each whitespace-separated word becomes a
// quoted phrase (so `"`, `*`, `OR`, `NEAR(` and `:` are plain text), all must match, and
// the last matches as a prefix. Empty when `text` has no word.
std::string FtsMatchQuery(std::string_view text);

}  // namespace parley::sqlite_rows
