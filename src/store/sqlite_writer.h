// SqliteWriter: the store's one read-write connection and the group commit of a batch of
// appends and mutations.
//
// Not thread-safe: SqliteStore's writer thread owns it after Open. Open also migrates the
// schema, so every other connection to the file sees the current tables.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "base/status.h"
#include "store/message.h"
#include "store/sqlite_db.h"
#include "store/store.h"
#include "store/store_options.h"

namespace parley {

// One entry of the writer's queue: an append, a mutation or AI conversation turns.
using WriteOp = std::variant<StoredMessage, Mutation, ConversationAppend>;

class SqliteWriter {
 public:
  // Opens (creating if needed) options.path in WAL mode with options.synchronous, and
  // applies any missing migrations. REQUIRES: ValidateStoreOptions(options).ok().
  static Result<SqliteWriter> Open(const StoreOptions& options);

  // Applies `batch` in order in one transaction. statuses[i] is batch[i]'s outcome and, for
  // a mutation that succeeded, mutated[i] its result. An operation that contradicts stored
  // state fails alone: an append whose seq is not the room's last + 1 or whose id is taken
  // (kConflict), a mutation of a missing message (kNotFound) or of someone else's
  // (kForbidden). Any other failure (begin, a statement, commit) rolls back and fails every
  // operation with the same Status.
  void Write(std::span<const WriteOp> batch, std::vector<Status>& statuses,
             std::vector<MutationResult>& mutated);

 private:
  // What the writer knows of a room without asking the database again: its id in `rooms`
  // (0 = none yet) and its last stored seq. Valid while batches commit; dropped when one
  // fails, since its rollback undoes what the entries saw.
  struct RoomState {
    int64_t id = 0;
    int64_t last_seq = 0;
  };
  // The message a mutation names, as far as the checks need it.
  struct Target {
    int64_t seq = 0;
    std::string username;
    bool deleted = false;
  };

  Status PrepareStatements();
  Result<RoomState*> Room(const std::string& room, bool create);
  Status Append(const StoredMessage& m);
  Status InsertMessage(const StoredMessage& m, int64_t room_id);
  Status Apply(const Mutation& m, MutationResult& out);

  // sqlite_mutations.cc
  Status PrepareMutations();
  Status Edit(const Mutation& m, MutationResult& out);
  Status Delete(const Mutation& m, MutationResult& out);
  Status ToggleReaction(const Mutation& m, MutationResult& out);
  Status MarkRead(const Mutation& m, MutationResult& out);
  Status FindTarget(const Mutation& m, Target& target);
  Status ReadBack(const std::string& room, int64_t seq, StoredMessage& out);

  // sqlite_conversations.cc
  Status PrepareConversations();
  Status AppendConversation(const ConversationAppend& a);

  Status Run(SqliteStmt& stmt, std::string_view what);

  SqliteDb db_;
  SqliteStmt begin_, commit_, rollback_;
  SqliteStmt insert_, fts_insert_, room_id_, room_insert_, max_seq_;
  SqliteStmt find_, read_one_, reactions_;
  SqliteStmt edit_, fts_update_, tombstone_, fts_delete_, drop_reactions_;
  SqliteStmt unreact_, react_, mark_read_;
  SqliteStmt turn_max_, turn_insert_, turn_trim_;
  std::unordered_map<std::string, RoomState> rooms_;
  int64_t commits_ = 0;
  int64_t fail_commit_after_ = -1;
  int64_t fail_commits_ = -1;
  int64_t failed_commits_ = 0;
};

}  // namespace parley
