// Store: where chat history lives (D1's job in the seeds). Thread-safe.
//
// SqliteStore (sqlite_store.h) is the single-node implementation: one writer thread
// doing group commit (one transaction per batch of queued appends) and `readers`
// reader threads, each with its own connection. Callbacks run on the store's own
// threads: a caller that lives on an event loop posts back to it from the callback.
// Nothing here blocks the caller except Flush() and the destructor.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/message.h"

namespace parley {

// A message's idempotency key as the room's dedupe window remembers it.
struct ClientIdEntry {
  std::string username{};
  std::string client_id{};
  std::string id{};
  int64_t seq = 0;
  int64_t timestamp_ms = 0;

  bool operator==(const ClientIdEntry&) const = default;
};

// How far a user has read a room.
struct ReadMarker {
  std::string username{};
  int64_t seq = 0;

  bool operator==(const ReadMarker&) const = default;
};

struct TailQuery {
  std::string room{};
  int recent = 256;                 // newest messages to load
  int64_t client_ids_since_ms = 0;  // load client ids of messages at or after this time
  int max_client_ids = 10000;       // at most this many, the newest
  int max_read_markers = 1000;      // at most this many, the highest seq first
};

// What a room needs to come back to life: its last sequence number, its most recent
// messages (oldest first), the client ids of its recent messages (oldest first) and the
// read markers of its users.
struct RoomTail {
  int64_t last_seq = 0;
  std::vector<StoredMessage> recent{};
  std::vector<ClientIdEntry> client_ids{};
  std::vector<ReadMarker> read_markers{};
};

struct HistoryQuery {
  std::string room{};
  int64_t before_seq = 0;  // 0 = no upper bound; otherwise only messages with seq < before_seq
  // 0 = the NEWEST `limit` messages below before_seq. Otherwise the OLDEST `limit` messages
  // with seq > after_seq (and below before_seq): the page that follows after_seq.
  int64_t after_seq = 0;
  int limit = 100;
};

struct SearchQuery {
  std::string room{};
  std::string text{};  // words as a user types them; every word must match (prefix of the last)
  int limit = 20;
  int64_t before_seq = 0;  // 0 = newest; for paging: only matches with seq < before_seq
};

// A change to a stored message or to a user's read position. Applied by the writer in
// queue order with appends, so a mutation queued after an append sees that message.
struct Mutation {
  enum class Kind { kEdit, kDelete, kToggleReaction, kReadMarker };
  Kind kind = Kind::kEdit;
  std::string room{};
  std::string message_id{};  // edit, delete, reaction
  std::string username{};    // who asks: the author for edit/delete, the reactor, the reader
  std::string text{};        // edit: the new text; reaction: the emoji
  int64_t seq = 0;           // read marker: the seq read up to
  int64_t at_ms = 0;         // edit: the edit time
};

struct MutationResult {
  // edit/delete/reaction: the message as stored after the change (reactions included).
  StoredMessage message;
  bool added = false;    // reaction: true when the toggle added it, false when it removed it
  int64_t read_seq = 0;  // read marker: the stored position (never moves backwards)
};

// One message of an AI assistant conversation (src/api/ai_routes).
struct ConversationTurn {
  std::string role{};  // "user" or "assistant"
  std::string content{};
  int64_t at_ms = 0;

  bool operator==(const ConversationTurn&) const = default;
};

// Messages to add at the end of a conversation; afterwards only its newest `keep` messages
// are kept (older ones are deleted in the same transaction), so a conversation's storage is
// bounded by ai.max_turns.
struct ConversationAppend {
  std::string conversation{};
  std::vector<ConversationTurn> turns{};
  int keep = 20;
};

class Store {
 public:
  using AppendDone = std::function<void(const Status&)>;
  using TailDone = std::function<void(Result<RoomTail>)>;
  using HistoryDone = std::function<void(Result<std::vector<StoredMessage>>)>;
  using MutateDone = std::function<void(Result<MutationResult>)>;
  using ConversationDone = std::function<void(Result<std::vector<ConversationTurn>>)>;

  virtual ~Store() = default;

  // Queues `msg` for the writer. `done` runs on the writer thread once the batch that
  // holds it is durable (ok) or failed. Appends for one room must arrive in seq order, and
  // a message is stored only when its seq is exactly one more than the room's last stored
  // seq (kConflict otherwise): the history never has a gap, even after a failed batch.
  virtual void Append(StoredMessage msg, AppendDone done) = 0;

  // Applies `m` on the writer thread, in queue order with appends; `done` runs there once
  // it is durable. kNotFound: no such message in the room (or it is deleted, for an edit
  // or a reaction); kForbidden: an edit or delete by someone other than the author.
  virtual void Mutate(Mutation m, MutateDone done) = 0;

  // Reads what a room needs to come back to life (see RoomTail), on a reader thread. An
  // unknown room is last_seq 0 and nothing else.
  virtual void LoadTail(TailQuery query, TailDone done) = 0;

  // A page of history, oldest first, on a reader thread.
  virtual void ReadHistory(HistoryQuery query, HistoryDone done) = 0;

  // Full-text search in one room's messages (deleted ones excluded, edits included),
  // newest first, on a reader thread.
  virtual void Search(SearchQuery query, HistoryDone done) = 0;

  // Adds turns to an AI conversation on the writer thread, in queue order with the other
  // writes; `done` runs there once durable.
  virtual void AppendConversation(ConversationAppend a, AppendDone done) = 0;

  // The newest `max_turns` messages of an AI conversation, oldest first, on a reader thread.
  // An unknown conversation is an empty list.
  virtual void LoadConversation(std::string conversation, int max_turns, ConversationDone done) = 0;

  // Blocks until every append queued before the call is durable (or failed).
  virtual void Flush() = 0;

  // Writes (appends and mutations) queued and not yet finished. Any thread; a snapshot.
  virtual int64_t backlog() const = 0;
};

}  // namespace parley
