// Test support for src/store: a temporary directory and blocking wrappers around the
// Store's callback API. Test-only; not part of parley_store.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "store/store.h"

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

inline Result<RoomTail> LoadTailSync(Store& store, const std::string& room, int recent) {
  return Await<Result<RoomTail>>([&](auto done) { store.LoadTail(room, recent, done); }, Timeout());
}

inline Result<std::vector<StoredMessage>> HistorySync(Store& store, const std::string& room,
                                                      int64_t before_seq, int limit) {
  return Await<Result<std::vector<StoredMessage>>>(
      [&](auto done) {
        store.ReadHistory(HistoryQuery{room, before_seq, limit}, done);
      },
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
  return m;
}

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
