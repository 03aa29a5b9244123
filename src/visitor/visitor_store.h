// VisitorStore: what survives a restart of the visitor analytics: for each domain, every
// visitor id ever seen with its first and last visit (table `visitors`, migration in
// src/store/migrations.cc). Current visitors are not stored: they heart-beat again.
//
// Threads: one thread owns its own read-write connection to parley's database (WAL lets it
// work beside the message store's writer; a lock held by that writer is waited for, up to
// the busy timeout) and runs jobs in the order they were queued. Every public method is
// thread-safe; callbacks run on the store's thread and must not block.
//
// Lifetime: the destructor finishes every queued job (each callback runs), then joins.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/status.h"
#include "store/sqlite_db.h"
#include "visitor/domain_visitors.h"

namespace parley::visitor {

class VisitorStore {
 public:
  using LoadDone = std::function<void(Result<DomainHistory>)>;
  using SeenDone = std::function<void(Result<bool> first_ever)>;

  // Opens `path` (created and migrated by the message store, which opens first).
  static Result<std::unique_ptr<VisitorStore>> Open(const std::string& path, int busy_timeout_ms);
  ~VisitorStore();
  VisitorStore(const VisitorStore&) = delete;
  VisitorStore& operator=(const VisitorStore&) = delete;

  // The domain's distinct visitor count and the ids last seen on or after `day_start_ms`.
  void Load(std::string domain, int64_t day_start_ms, LoadDone done);
  // Records a visit at `now_ms`; `done` says whether the id was never seen before.
  void Seen(std::string domain, std::string visitor_id, int64_t now_ms, SeenDone done);

 private:
  explicit VisitorStore(SqliteDb db) : db_(std::move(db)) {}
  void Run();
  void Enqueue(std::function<void()> job);
  Result<DomainHistory> DoLoad(const std::string& domain, int64_t day_start_ms);
  Result<bool> DoSeen(const std::string& domain, const std::string& id, int64_t now_ms);

  SqliteDb db_;  // the store thread's only
  SqliteStmt count_, today_, insert_, touch_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;  // guarded by mu_
  bool stopping_ = false;                   // guarded by mu_
  std::thread thread_;
};

}  // namespace parley::visitor
