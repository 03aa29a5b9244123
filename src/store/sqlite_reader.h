// SqliteReader: one read-only connection with the store's read queries prepared.
//
// Not thread-safe: each of SqliteStore's reader threads owns one. In WAL mode readers never
// block the writer, and each query reads one consistent snapshot.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/sqlite_db.h"
#include "store/store.h"
#include "store/store_options.h"

namespace parley {

class SqliteReader {
 public:
  // REQUIRES: the database exists and is migrated (SqliteWriter::Open ran).
  static Result<SqliteReader> Open(const StoreOptions& options);

  // What a room needs to come back to life, from one snapshot. REQUIRES: every count in
  // `query` is >= 0.
  Result<RoomTail> LoadTail(const TailQuery& query);
  // The page of history `query` names (see HistoryQuery), oldest first, with reactions.
  // REQUIRES: query.limit >= 1.
  Result<std::vector<StoredMessage>> ReadHistory(const HistoryQuery& query);
  // Matches of query.text in the room, newest first, with reactions. kInvalidField for a
  // text without a word. REQUIRES: query.limit >= 1.
  Result<std::vector<StoredMessage>> Search(const SearchQuery& query);
  // The newest `max_turns` messages of an AI conversation, oldest first
  // (sqlite_conversations.cc). REQUIRES: max_turns >= 0.
  Result<std::vector<ConversationTurn>> LoadConversation(const std::string& conversation,
                                                         int max_turns);

 private:
  // Runs `read` inside one read transaction, so its queries share a snapshot even while the
  // writer commits between them; logs a failure.
  template <typename T, typename Read>
  Result<T> InSnapshot(Read read);

  // Appends up to `limit` messages of `room` with seq < before, newest first.
  Status ReadPageDesc(const std::string& room, int64_t before, int limit,
                      std::vector<StoredMessage>& out);
  // Appends up to `limit` messages of `room` with after < seq < before, oldest first.
  Status ReadPageAsc(const std::string& room, int64_t after, int64_t before, int limit,
                     std::vector<StoredMessage>& out);
  Status ReadRows(SqliteStmt& stmt, const std::string& room, std::vector<StoredMessage>& out);
  Status ReadClientIds(const TailQuery& query, std::vector<ClientIdEntry>& out);
  Status ReadMarkers(const TailQuery& query, std::vector<ReadMarker>& out);
  Status SearchInSnapshot(const SearchQuery& query, const std::string& match,
                          std::vector<StoredMessage>& out);

  SqliteDb db_;
  SqliteStmt begin_, end_, max_seq_, page_desc_, page_asc_, reactions_;
  SqliteStmt client_ids_, markers_, room_id_, search_;
  SqliteStmt turns_;
};

}  // namespace parley
