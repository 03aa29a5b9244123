// MatchWorker: one thread of the `match` scenario. Its clients speak the random-chat socket
// (/ws without a username): auth, then in a closed loop search -> matched -> one of the two
// ends the chat (end_chat -> chat_ended; the partner gets partner_disconnected) -> both
// search again, always with mode "text". Latency is from sending a search to its `matched`.
//
// Who ends a chat must be decided without a round trip, or both would end it at once. Each
// client learns its own user id first (the server never tells a socket its id, but its
// partner sees it): pairs of clients are matched one pair at a time across the whole
// generator (MatchSetup's lock keeps every other client out of the queue), so each learns
// the other's id from `matched`. Afterwards the client with the lower id ends each chat.
//
// Threads: Run() is the worker thread's body; everything else belongs to that thread except
// the atomics, which the coordinator reads, and TakeResult(), which the coordinator calls
// once `reported` is set.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "loop.h"
#include "options.h"
#include "phase.h"
#include "tally.h"
#include "text_conn.h"

namespace parley::bench {

// Shared by every MatchWorker of a run.
struct MatchSetup {
  std::mutex queue_lock;  // held while a worker's pairs learn their ids
  std::string path = "/ws";
};

class MatchWorker final : public TextConn::Observer {
 public:
  // `sources`: one source address (network order) per client; an even number of them.
  MatchWorker(const Options& options, const sockaddr_in& server, std::vector<uint32_t> sources,
              MatchSetup* setup, PhaseControl* control);
  ~MatchWorker() override;

  void Run();

  // Published for the coordinator.
  std::atomic<bool> ready{false};      // connected, authenticated and ids learnt (or failed)
  std::atomic<uint64_t> authed{0};     // clients that authenticated
  std::atomic<uint64_t> known{0};      // clients that know their own id
  std::atomic<uint64_t> busy{0};       // clients in a search or a chat (after the window)
  std::atomic<uint64_t> searching{0};  // clients still waiting for a match at the end
  std::atomic<bool> reported{false};

  // REQUIRES: reported (acquire).
  Tally TakeResult() { return std::move(result_); }

  void OnOpen(TextConn& c, int64_t now_ns) override;
  void OnText(TextConn& c, std::string_view payload, int64_t now_ns) override;
  void OnClosed(TextConn& c, bool was_open, bool by_server) override;

 private:
  enum class State : uint8_t {
    kConnecting,
    kAuthing,
    kReady,      // authenticated, not searching
    kSearching,  // sent search, waiting for matched
    kEnding,     // sent end_chat, waiting for chat_ended
    kAwaitEnd,   // matched; the partner ends the chat
    kClosed
  };
  struct Client {
    std::unique_ptr<TextConn> conn;
    State state = State::kConnecting;
    std::string own_id;   // learnt in setup; "" when it could not be
    std::string partner;  // of the current chat
    int64_t search_ns = 0;
  };
  void Connect();
  void LearnIds();
  void RunUntil(const std::function<bool()>& done, int64_t deadline_ns);
  void Search(Client& c, int64_t now);
  void ChatOver(Client& c, int64_t now);
  void OnMatched(Client& c, std::string_view partner, int64_t now);

  const Options& options_;
  MatchSetup* setup_;
  PhaseControl* control_;
  Loop loop_;
  sockaddr_in server_;
  std::string host_header_;
  std::vector<uint32_t> sources_;
  std::vector<Client> clients_;
  size_t settled_ = 0;  // authenticated or failed
  bool learning_ = false;
  PhaseCommand phase_;
  bool running_ = false;  // inside [start, window end): ended chats search again
  // Clients whose search was refused (queue_full, pair_limit), with when to search again.
  std::deque<std::pair<int64_t, uint32_t>> retry_;
  Tally tally_;
  Tally result_;  // tally_ as it was when the coordinator asked for it
};

}  // namespace parley::bench
