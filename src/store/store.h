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

// What a room needs to come back to life: its last sequence number and its most
// recent messages, oldest first.
struct RoomTail {
  int64_t last_seq = 0;
  std::vector<StoredMessage> recent;
};

struct HistoryQuery {
  std::string room;
  int64_t before_seq = 0;  // 0 = newest; otherwise only messages with seq < before_seq
  int limit = 100;
};

class Store {
 public:
  using AppendDone = std::function<void(const Status&)>;
  using TailDone = std::function<void(Result<RoomTail>)>;
  using HistoryDone = std::function<void(Result<std::vector<StoredMessage>>)>;

  virtual ~Store() = default;

  // Queues `msg` for the writer. `done` runs on the writer thread once the batch that
  // holds it is durable (ok) or failed. Appends for one room must arrive in seq order.
  virtual void Append(StoredMessage msg, AppendDone done) = 0;

  // Reads the room's last seq and up to `recent` newest messages (oldest first),
  // on a reader thread. An unknown room is last_seq 0 and no messages.
  virtual void LoadTail(std::string room, int recent, TailDone done) = 0;

  // A page of history, oldest first, on a reader thread.
  virtual void ReadHistory(HistoryQuery query, HistoryDone done) = 0;

  // Blocks until every append queued before the call is durable (or failed).
  virtual void Flush() = 0;
};

}  // namespace parley
