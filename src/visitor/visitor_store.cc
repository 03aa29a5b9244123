#include "visitor/visitor_store.h"

#include "base/log.h"

namespace parley::visitor {

Result<std::unique_ptr<VisitorStore>> VisitorStore::Open(const std::string& path,
                                                         int busy_timeout_ms) {
  Result<SqliteDb> db = SqliteDb::Open(path, SQLITE_OPEN_READWRITE);
  if (!db.ok()) return db.status();
  if (Status s = db->SetBusyTimeout(busy_timeout_ms); !s.ok()) return s;
  std::unique_ptr<VisitorStore> store(new VisitorStore(std::move(db.value())));
  Status s = store->db_.PrepareAll({
      {&store->count_, "SELECT count(*) FROM visitors WHERE domain = ?"},
      {&store->today_, "SELECT visitor_id FROM visitors WHERE domain = ? AND last_ms >= ?"},
      {&store->insert_,
       "INSERT OR IGNORE INTO visitors (domain, visitor_id, first_ms, last_ms) VALUES (?, ?, ?, "
       "?)"},
      {&store->touch_, "UPDATE visitors SET last_ms = ? WHERE domain = ? AND visitor_id = ?"},
  });
  if (!s.ok()) return s;
  store->thread_ = std::thread([raw = store.get()] { raw->Run(); });
  return store;
}

VisitorStore::~VisitorStore() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void VisitorStore::Enqueue(std::function<void()> job) {
  {
    std::lock_guard lock(mu_);
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void VisitorStore::Run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and everything queued is done
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

void VisitorStore::Load(std::string domain, int64_t day_start_ms, LoadDone done) {
  Enqueue([this, domain = std::move(domain), day_start_ms, done = std::move(done)] {
    done(DoLoad(domain, day_start_ms));
  });
}

void VisitorStore::Seen(std::string domain, std::string visitor_id, int64_t now_ms, SeenDone done) {
  Enqueue([this, domain = std::move(domain), id = std::move(visitor_id), now_ms,
           done = std::move(done)] {
    Result<bool> r = DoSeen(domain, id, now_ms);
    if (!r.ok()) PARLEY_LOG_ERROR("visitor_store_failed error=\"{}\"", r.status().message());
    done(std::move(r));
  });
}

Result<DomainHistory> VisitorStore::DoLoad(const std::string& domain, int64_t day_start_ms) {
  DomainHistory h;
  count_.BindText(1, domain);
  int rc = count_.Step();
  if (rc != SQLITE_ROW) {
    count_.Reset();
    return db_.Error(rc, "count visitors");
  }
  h.total_unique = count_.ColumnInt64(0);
  count_.Reset();
  today_.BindText(1, domain);
  today_.BindInt64(2, day_start_ms);
  while ((rc = today_.Step()) == SQLITE_ROW) h.seen_today.push_back(today_.ColumnText(0));
  today_.Reset();
  if (rc != SQLITE_DONE) return db_.Error(rc, "read today's visitors");
  return h;
}

Result<bool> VisitorStore::DoSeen(const std::string& domain, const std::string& id,
                                  int64_t now_ms) {
  // One statement each, in autocommit: the insert either creates the row (a first visit
  // ever) or changes nothing, and then the update records the visit.
  insert_.BindText(1, domain);
  insert_.BindText(2, id);
  insert_.BindInt64(3, now_ms);
  insert_.BindInt64(4, now_ms);
  int rc = insert_.Step();
  insert_.Reset();
  if (rc != SQLITE_DONE) return db_.Error(rc, "record visitor");
  if (sqlite3_changes(db_.get()) == 1) return true;
  touch_.BindInt64(1, now_ms);
  touch_.BindText(2, domain);
  touch_.BindText(3, id);
  rc = touch_.Step();
  touch_.Reset();
  if (rc != SQLITE_DONE) return db_.Error(rc, "update visitor");
  return false;
}

}  // namespace parley::visitor
