// SqliteStore: the single-node Store, one SQLite file in WAL mode.
//
// Threads: one writer thread owns the read-write connection and commits queued appends in
// groups (one transaction per batch of up to max_batch, the leveldb DBImpl::Write pattern:
// while one batch commits, the next one queues). `readers` reader threads each own a
// read-only connection and take LoadTail/ReadHistory/Search jobs from one shared queue.
// Appends and mutations share the writer's queue: they apply in the order they were queued
// and commit in the same batches. Every public method is thread-safe. Callbacks run on the
// writer thread (Append, Mutate) or a reader thread (reads); they must not block for long,
// and must not call Flush().
//
// Lifetime: the destructor stops taking work, finishes everything already queued (every
// callback runs), then joins the threads and closes the connections. A write or read
// that arrives after that point fails at once, on the caller's thread, with kShuttingDown.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "base/status.h"
#include "store/sqlite_writer.h"
#include "store/store.h"
#include "store/store_options.h"

namespace parley {

class SqliteReader;

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) and migrates the database, then starts the threads.
  // Fails with a Status naming the path and SQLite's error on any problem: bad options,
  // an uncreatable directory, an unopenable file, WAL unavailable, a newer schema.
  static Result<std::unique_ptr<SqliteStore>> Open(const StoreOptions& options);

  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // Store. An append out of seq order, or whose id is already stored, fails with
  // kConflict and does not affect the rest of its batch; a mutation refused for its message
  // (kNotFound, kForbidden) likewise. Any other failure fails the whole batch.
  void Append(StoredMessage msg, AppendDone done) override;
  void Mutate(Mutation m, MutateDone done) override;
  // `recent` is clamped to [0, kMaxReadRows], the other counts to [0, kMaxTailEntries].
  void LoadTail(TailQuery query, TailDone done) override;
  // `limit` is clamped to [1, kMaxReadRows]; before_seq and after_seq <= 0 mean "none".
  void ReadHistory(HistoryQuery query, HistoryDone done) override;
  // `limit` is clamped to [1, kMaxReadRows]; a text without a word is kInvalidField.
  void Search(SearchQuery query, HistoryDone done) override;
  void AppendConversation(ConversationAppend a, AppendDone done) override;
  // `max_turns` is clamped to [0, kMaxReadRows].
  void LoadConversation(std::string conversation, int max_turns, ConversationDone done) override;
  // Waits for the mutations queued before it too.
  void Flush() override;
  int64_t backlog() const override { return backlog_.load(std::memory_order_relaxed); }

  static constexpr int kMaxReadRows = 1000;
  static constexpr int kMaxTailEntries = 100000;

 private:
  using ReadJob = std::function<void(SqliteReader&)>;
  using WriteDone = std::variant<AppendDone, MutateDone>;

  explicit SqliteStore(StoreOptions options);

  void WriterLoop();
  void ReaderLoop(int index, SqliteReader& reader);
  // Queues an append or a mutation for the writer; false once it has stopped.
  bool PostWrite(WriteOp op, WriteDone& done);
  // Posts `job` to the readers; false once they have stopped.
  bool PostRead(ReadJob job);

  const StoreOptions options_;
  std::unique_ptr<SqliteWriter> writer_;
  std::vector<std::unique_ptr<SqliteReader>> readers_;

  // Writer queue. queued_/finished_ count operations so Flush() can wait for a point in it.
  std::mutex write_mu_;
  std::condition_variable write_cv_;  // the writer waits for work
  std::condition_variable flush_cv_;  // Flush() waits for finished_
  std::deque<std::pair<WriteOp, WriteDone>> write_queue_;
  uint64_t queued_ = 0;
  uint64_t finished_ = 0;
  std::atomic<int64_t> backlog_{0};  // queued_ - finished_, readable without the lock
  bool write_stopping_ = false;
  bool write_closed_ = false;  // the writer has exited: no write can run any more

  // Reader queue.
  std::mutex read_mu_;
  std::condition_variable read_cv_;
  std::deque<ReadJob> read_queue_;
  bool read_stopping_ = false;
  bool read_closed_ = false;

  std::thread writer_thread_;
  std::vector<std::thread> reader_threads_;
};

}  // namespace parley
