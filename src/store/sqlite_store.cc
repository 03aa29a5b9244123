#include "store/sqlite_store.h"

#include <fmt/format.h>
#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <system_error>

#include "base/log.h"
#include "base/metrics.h"
#include "store/sqlite_reader.h"
#include "store/sqlite_writer.h"

namespace parley {
namespace {

metrics::Histogram& BatchSizes() {
  static auto& h = metrics::Default().AddHistogram(
      "parley_store_batch_messages", "Messages per group-commit transaction.",
      {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096});
  return h;
}

metrics::Histogram& CommitSeconds() {
  static auto& h = metrics::Default().AddHistogram(
      "parley_store_commit_seconds", "Time to write and commit one batch.",
      {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1});
  return h;
}

}  // namespace

namespace {

Status ShuttingDown() { return Status(ErrorCode::kShuttingDown, "the store is shutting down"); }

void NameThisThread(const std::string& name) {
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());  // Linux limit: 15 chars
}

Status CreateParentDir(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return Status::Ok();
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (!ec) return Status::Ok();
  return Status(ErrorCode::kUnavailable,
                fmt::format("cannot create directory '{}' for database '{}': {}", parent.string(),
                            path, ec.message()));
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const StoreOptions& options) {
  if (Status s = ValidateStoreOptions(options); !s.ok()) return s;
  if (Status s = CreateParentDir(options.path); !s.ok()) return s;

  std::unique_ptr<SqliteStore> store(new SqliteStore(options));
  // The writer first: it creates and migrates the file the readers open read-only.
  Result<SqliteWriter> writer = SqliteWriter::Open(options);
  if (!writer.ok()) return writer.status();
  store->writer_ = std::make_unique<SqliteWriter>(std::move(writer).value());
  for (int i = 0; i < options.readers; ++i) {
    Result<SqliteReader> reader = SqliteReader::Open(options);
    if (!reader.ok()) return reader.status();
    store->readers_.push_back(std::make_unique<SqliteReader>(std::move(reader).value()));
  }

  // Threads start last: every early return above destroys a store that has none.
  store->writer_thread_ = std::thread([s = store.get()] { s->WriterLoop(); });
  for (int i = 0; i < options.readers; ++i) {
    store->reader_threads_.emplace_back(
        [s = store.get(), i] { s->ReaderLoop(i, *s->readers_[static_cast<size_t>(i)]); });
  }
  PARLEY_LOG_INFO("store_opened path={} synchronous={} readers={} max_batch={}", options.path,
                  options.synchronous, options.readers, options.max_batch);
  return store;
}

SqliteStore::SqliteStore(StoreOptions options) : options_(std::move(options)) {}

SqliteStore::~SqliteStore() {
  // The writer first: its callbacks may still post reads, which the readers then finish.
  {
    std::lock_guard lock(write_mu_);
    write_stopping_ = true;
  }
  write_cv_.notify_all();
  if (writer_thread_.joinable()) writer_thread_.join();
  {
    std::lock_guard lock(read_mu_);
    read_stopping_ = true;
  }
  read_cv_.notify_all();
  for (auto& t : reader_threads_) t.join();
}

bool SqliteStore::PostWrite(WriteOp op, WriteDone& done) {
  std::lock_guard lock(write_mu_);
  if (write_closed_) return false;
  write_queue_.emplace_back(std::move(op), std::move(done));
  ++queued_;
  backlog_.fetch_add(1, std::memory_order_relaxed);
  // Wake the writer only when it can act: it sleeps on an empty queue, or waits out a
  // commit window that a full batch ends early. One futex wake per append would cost more
  // than the insert.
  if (write_queue_.size() == 1 || write_queue_.size() == static_cast<size_t>(options_.max_batch)) {
    write_cv_.notify_one();
  }
  return true;
}

void SqliteStore::Append(StoredMessage msg, AppendDone done) {
  WriteDone write_done(std::move(done));
  if (!PostWrite(std::move(msg), write_done)) std::get<AppendDone>(write_done)(ShuttingDown());
}

void SqliteStore::Mutate(Mutation m, MutateDone done) {
  WriteDone write_done(std::move(done));
  if (!PostWrite(std::move(m), write_done)) std::get<MutateDone>(write_done)(ShuttingDown());
}

void SqliteStore::AppendConversation(ConversationAppend a, AppendDone done) {
  WriteDone write_done(std::move(done));
  if (!PostWrite(std::move(a), write_done)) std::get<AppendDone>(write_done)(ShuttingDown());
}

void SqliteStore::LoadConversation(std::string conversation, int max_turns, ConversationDone done) {
  max_turns = std::clamp(max_turns, 0, kMaxReadRows);
  auto shared_done = std::make_shared<ConversationDone>(std::move(done));
  bool posted =
      PostRead([conversation = std::move(conversation), max_turns, shared_done](SqliteReader& r) {
        (*shared_done)(r.LoadConversation(conversation, max_turns));
      });
  if (!posted) (*shared_done)(ShuttingDown());
}

void SqliteStore::Flush() {
  std::unique_lock lock(write_mu_);
  const uint64_t target = queued_;
  flush_cv_.wait(lock, [&] { return finished_ >= target; });
}

void SqliteStore::WriterLoop() {
  NameThisThread("parley-store-w");
  std::vector<WriteOp> batch;
  std::vector<WriteDone> callbacks;
  std::vector<Status> statuses;
  std::vector<MutationResult> mutated;
  const auto max_batch = static_cast<size_t>(options_.max_batch);
  for (;;) {
    {
      std::unique_lock lock(write_mu_);
      write_cv_.wait(lock, [&] { return !write_queue_.empty() || write_stopping_; });
      if (options_.commit_window_us > 0 && !write_stopping_) {
        // Group commit: gather what arrives within the window into the same transaction.
        write_cv_.wait_for(lock, std::chrono::microseconds(options_.commit_window_us),
                           [&] { return write_queue_.size() >= max_batch || write_stopping_; });
      }
      if (write_queue_.empty()) {
        write_closed_ = true;  // decided under the lock: no write can slip in after this
        return;
      }
      const size_t n = std::min(write_queue_.size(), max_batch);
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(write_queue_.front().first));
        callbacks.push_back(std::move(write_queue_.front().second));
        write_queue_.pop_front();
      }
    }
    // Writes queued while this batch commits form the next batch: that is the group.
    const auto started = std::chrono::steady_clock::now();
    writer_->Write(batch, statuses, mutated);
    BatchSizes().Observe(static_cast<double>(batch.size()));
    CommitSeconds().Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    for (size_t i = 0; i < callbacks.size(); ++i) {
      if (auto* append_done = std::get_if<AppendDone>(&callbacks[i])) {
        (*append_done)(statuses[i]);
      } else if (statuses[i].ok()) {
        std::get<MutateDone>(callbacks[i])(std::move(mutated[i]));
      } else {
        std::get<MutateDone>(callbacks[i])(std::move(statuses[i]));
      }
    }
    {
      std::lock_guard lock(write_mu_);
      finished_ += batch.size();
      backlog_.fetch_sub(static_cast<int64_t>(batch.size()), std::memory_order_relaxed);
    }
    flush_cv_.notify_all();
    batch.clear();
    callbacks.clear();
  }
}

bool SqliteStore::PostRead(ReadJob job) {
  std::lock_guard lock(read_mu_);
  if (read_closed_) return false;
  read_queue_.push_back(std::move(job));
  read_cv_.notify_one();
  return true;
}

void SqliteStore::ReaderLoop(int index, SqliteReader& reader) {
  NameThisThread(fmt::format("parley-store-r{}", index));
  for (;;) {
    ReadJob job;
    {
      std::unique_lock lock(read_mu_);
      read_cv_.wait(lock, [&] { return !read_queue_.empty() || read_stopping_; });
      if (read_queue_.empty()) {
        read_closed_ = true;
        return;
      }
      job = std::move(read_queue_.front());
      read_queue_.pop_front();
    }
    job(reader);
  }
}

// The callback is shared between the job and this frame so that it still runs, with
// kShuttingDown, when the readers have stopped and the job is dropped unposted.
void SqliteStore::LoadTail(TailQuery query, TailDone done) {
  query.recent = std::clamp(query.recent, 0, kMaxReadRows);
  query.max_client_ids = std::clamp(query.max_client_ids, 0, kMaxTailEntries);
  query.max_read_markers = std::clamp(query.max_read_markers, 0, kMaxTailEntries);
  auto shared_done = std::make_shared<TailDone>(std::move(done));
  bool posted = PostRead([query = std::move(query), shared_done](SqliteReader& r) {
    (*shared_done)(r.LoadTail(query));
  });
  if (!posted) (*shared_done)(ShuttingDown());
}

void SqliteStore::ReadHistory(HistoryQuery query, HistoryDone done) {
  query.limit = std::clamp(query.limit, 1, kMaxReadRows);
  auto shared_done = std::make_shared<HistoryDone>(std::move(done));
  bool posted = PostRead([query = std::move(query), shared_done](SqliteReader& r) {
    (*shared_done)(r.ReadHistory(query));
  });
  if (!posted) (*shared_done)(ShuttingDown());
}

// The text is checked on the reader thread too, so every answer arrives the same way.
void SqliteStore::Search(SearchQuery query, HistoryDone done) {
  query.limit = std::clamp(query.limit, 1, kMaxReadRows);
  auto shared_done = std::make_shared<HistoryDone>(std::move(done));
  bool posted = PostRead([query = std::move(query), shared_done](SqliteReader& r) {
    (*shared_done)(r.Search(query));
  });
  if (!posted) (*shared_done)(ShuttingDown());
}

}  // namespace parley
