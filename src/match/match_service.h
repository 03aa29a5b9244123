// MatchService: the random 1:1 chat across shards. One Matchmaker lives on its home shard
// (shard 0) and serves both flows, so an HTTP user (POST /api/match) and a socket user
// (/ws search) with compatible filters are matched with each other. Each PairRoom lives on
// its own home shard (a hash of its session id). Every operation is posted to the home
// shard and runs there, in order, so neither needs locks.
//
// Thread: every method is called on the caller's shard thread; callbacks and socket events
// come back on the socket's own shard thread. Sockets register themselves (Register) so
// that a late frame for a chat they have left is dropped instead of leaking into their
// next chat.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "match/matchmaker.h"
#include "match/pair_room.h"
#include "net/connection.h"
#include "net/shard.h"

namespace parley::match {

// A WebSocket that can be in a pair room: the /ws search socket or a /chat socket.
class MatchSocket {
 public:
  virtual ~MatchSocket() = default;
  // The chat this socket is in now, or "".
  virtual const std::string& session() const = 0;
  // A frame from its pair room; `ends` = the chat is over for this socket.
  virtual void OnPairFrame(net::Connection& c, const SharedFrame& frame, bool ends) = 0;
  // Someone else's request matched this waiting socket. False when it is no longer
  // searching (it cancelled meanwhile): the match is then abandoned.
  virtual bool OnMatched(net::Connection& c, const Pairing& pairing) = 0;
};

struct MatchServiceOptions {
  MatchmakerOptions matchmaker;
  PairOptions pair;
  int64_t pair_idle_ms = 300000;
  int64_t max_pairs = 100000;
};

class MatchService {
 public:
  using RequestDone = std::function<void(Outcome)>;

  MatchService(std::vector<net::Shard*> shards, const Clock& clock, MatchServiceOptions options);
  ~MatchService();

  // Installs the per-shard sweepers (queue expiry, idle pair rooms). Call once shards run.
  void Start();

  // Asks the matchmaker for a partner; `done` runs on the caller's shard.
  void Request(Seeker seeker, RequestDone done);
  // Takes `user_id` out of the queue.
  void Cancel(const std::string& user_id);

  void Register(net::Connection& c, MatchSocket* socket);
  void Unregister(net::Connection& c);
  // Pair room operations for the socket `c` as `user_id` in `session`.
  void Join(net::Connection& c, const std::string& session, const std::string& user_id,
            SocketKind kind);
  void Message(net::Connection& c, const std::string& session, const std::string& user_id,
               PairMessage m);
  void End(net::Connection& c, const std::string& session, const std::string& user_id);
  void Leave(net::Connection& c, const std::string& session, const std::string& user_id);
  // `user_id` was matched into `session` but is gone before joining: its partner is told.
  void Abandon(const std::string& session, const std::string& user_id);

  int64_t live_pairs() const { return live_pairs_.load(std::memory_order_relaxed); }
  int64_t waiting() const { return waiting_.load(std::memory_order_relaxed); }
  int64_t matches() const { return matches_.load(std::memory_order_relaxed); }

 private:
  class PerShard;
  int HomeOf(const std::string& session) const;
  // Runs `fn(room)` on the session's home shard (nullptr when there is no such room).
  void OnRoom(const std::string& session, std::function<void(PairRoom*)> fn);
  void Open(const std::string& session);

  std::vector<net::Shard*> shards_;
  const Clock& clock_;
  const MatchServiceOptions options_;
  std::vector<std::unique_ptr<PerShard>> per_shard_;
  std::unique_ptr<Matchmaker> matchmaker_;  // shard 0's thread only
  std::atomic<int64_t> live_pairs_{0};
  std::atomic<int64_t> waiting_{0};
  std::atomic<int64_t> matches_{0};
};

}  // namespace parley::match
