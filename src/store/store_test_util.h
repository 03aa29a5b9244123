// Test support for src/store: a temporary directory and blocking wrappers around the
// Store's callback API. Test-only; not part of parley_store.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "store/sqlite_store.h"
#include "store/store.h"

namespace parley {

// Readable failure messages for the store's values (found by GoogleTest through ADL).
inline void PrintTo(const Reaction& r, std::ostream* os) {
  *os << r.emoji << ":[";
  for (const auto& u : r.users) *os << u << (&u == &r.users.back() ? "" : ",");
  *os << "]";
}

inline void PrintTo(const StoredMessage& m, std::ostream* os) {
  *os << "{" << m.room << "#" << m.seq << " id=" << m.id << " user=" << m.username << " text='"
      << m.text << "' ts=" << m.timestamp_ms << " client_id=" << m.client_id
      << " reply_to=" << m.reply_to << " image=" << m.image_url << " edited=" << m.edited_ms
      << " deleted=" << m.deleted << " reactions=" << ::testing::PrintToString(m.reactions) << "}";
}

}  // namespace parley

namespace parley::testing_util {

// A fresh directory under GoogleTest's temp dir, removed with everything in it.
class ScopedTempDir {
 public:
  ScopedTempDir() {
    std::string tmpl = ::testing::TempDir() + "parley_store_XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed for " << tmpl;
    path_ = tmpl;
  }
  ~ScopedTempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Generous: the store answers in milliseconds, but sanitizer builds on a busy machine are slow.
inline constexpr auto kDeadline = std::chrono::seconds(60);

// Waits for the callback of `start(done)` and returns what it was given. The promise is
// shared so a callback that arrives after a failed wait does not touch a dead frame.
template <typename T, typename Start>
T Await(Start start, T on_timeout) {
  auto promise = std::make_shared<std::promise<T>>();
  std::future<T> future = promise->get_future();
  start([promise](T value) { promise->set_value(std::move(value)); });
  if (future.wait_for(kDeadline) != std::future_status::ready) {
    ADD_FAILURE() << "store callback did not run before the deadline";
    return on_timeout;
  }
  return future.get();
}

inline Status Timeout() { return Status(ErrorCode::kInternal, "timed out"); }

inline Status AppendSync(Store& store, StoredMessage msg) {
  return Await<Status>(
      [&](auto done) { store.Append(std::move(msg), [done](const Status& s) { done(s); }); },
      Timeout());
}

inline Result<RoomTail> LoadTailSync(Store& store, TailQuery query) {
  return Await<Result<RoomTail>>([&](auto done) { store.LoadTail(std::move(query), done); },
                                 Timeout());
}

inline Result<RoomTail> LoadTailSync(Store& store, const std::string& room, int recent) {
  return LoadTailSync(store, TailQuery{.room = room, .recent = recent});
}

inline Result<std::vector<StoredMessage>> HistorySync(Store& store, HistoryQuery query) {
  return Await<Result<std::vector<StoredMessage>>>(
      [&](auto done) { store.ReadHistory(std::move(query), done); }, Timeout());
}

inline Result<std::vector<StoredMessage>> HistorySync(Store& store, const std::string& room,
                                                      int64_t before_seq, int limit) {
  return HistorySync(store, HistoryQuery{.room = room, .before_seq = before_seq, .limit = limit});
}

inline Result<std::vector<StoredMessage>> SearchSync(Store& store, SearchQuery query) {
  return Await<Result<std::vector<StoredMessage>>>(
      [&](auto done) { store.Search(std::move(query), done); }, Timeout());
}

inline Result<MutationResult> MutateSync(Store& store, Mutation m) {
  return Await<Result<MutationResult>>([&](auto done) { store.Mutate(std::move(m), done); },
                                       Timeout());
}

// A message with every field set from (room, seq).
inline StoredMessage Msg(const std::string& room, int64_t seq, std::string text = "") {
  StoredMessage m;
  m.room = room;
  m.seq = seq;
  m.id = room + "-" + std::to_string(seq);
  m.username = "user" + std::to_string(seq % 7);
  m.text = text.empty() ? "message " + std::to_string(seq) : std::move(text);
  m.timestamp_ms = 1'700'000'000'000 + seq;
  m.client_id = seq % 2 == 0 ? "c" + std::to_string(seq) : "";
  m.reply_to = seq % 3 == 0 ? room + "-" + std::to_string(seq - 1) : "";
  m.image_url = seq % 3 == 2 ? "/files/" + std::to_string(seq) + ".png" : "";
  return m;
}

// Mutations of `target` by `username` (text: the new text for an edit, the emoji for a
// reaction), and a read marker.
inline Mutation Change(Mutation::Kind kind, const StoredMessage& target, std::string username,
                       std::string text = "", int64_t at_ms = 0) {
  Mutation m;
  m.kind = kind;
  m.room = target.room;
  m.message_id = target.id;
  m.username = std::move(username);
  m.text = std::move(text);
  m.at_ms = at_ms;
  return m;
}

inline Mutation MarkRead(const std::string& room, const std::string& username, int64_t seq) {
  Mutation m;
  m.kind = Mutation::Kind::kReadMarker;
  m.room = room;
  m.username = username;
  m.seq = seq;
  return m;
}

// A test with a SqliteStore on a file in a fresh temp dir, which it can close and reopen.
class SqliteStoreFixture : public ::testing::Test {
 protected:
  StoreOptions Options() const {
    StoreOptions o;
    o.path = dir_.File("parley.db");
    o.readers = 2;
    return o;
  }
  // Opens (or reopens) store_; false with a test failure if it cannot.
  bool Open(const StoreOptions& o) {
    store_.reset();  // one writer per file: close the old one first
    auto opened = SqliteStore::Open(o);
    EXPECT_TRUE(opened.ok()) << opened.status().message();
    if (opened.ok()) store_ = std::move(opened).value();
    return store_ != nullptr;
  }
  bool Open() { return Open(Options()); }

  ScopedTempDir dir_;
  std::unique_ptr<SqliteStore> store_;
};

inline std::vector<int64_t> Seqs(const std::vector<StoredMessage>& messages) {
  std::vector<int64_t> seqs;
  for (const auto& m : messages) seqs.push_back(m.seq);
  return seqs;
}

inline std::vector<int64_t> Range(int64_t first, int64_t last) {
  std::vector<int64_t> seqs;
  for (int64_t s = first; s <= last; ++s) seqs.push_back(s);
  return seqs;
}

}  // namespace parley::testing_util
