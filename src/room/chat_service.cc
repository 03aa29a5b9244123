#include "room/chat_service.h"

#include <algorithm>
#include <iterator>
#include <mutex>
#include <tuple>
#include <unordered_map>

#include "base/hash.h"
#include "base/log.h"
#include "base/metrics.h"
#include "protocol/chat_json.h"
#include "protocol/native_json.h"
#include "room/hub.h"

namespace parley::room {
namespace {

constexpr uint64_t kSweepEveryTicks = 5;

metrics::Counter& StoreBusy() {
  static auto& c = metrics::Default().AddCounter(
      "parley_store_busy_rejections_total",
      "Messages refused because store.max_backlog writes were already waiting.");
  return c;
}

// Runs `part(shard index)` on every shard and calls `done` on the caller's shard with all
// the parts joined. The joined list is only touched on the caller's shard.
template <typename T>
void Gather(const std::vector<net::Shard*>& shards, std::function<std::vector<T>(size_t)> part,
            std::function<void(std::vector<T>)> done) {
  struct State {
    std::vector<T> all;
    size_t remaining = 0;
    std::function<void(std::vector<T>)> done;
  };
  net::Shard* caller = net::Shard::Current();
  auto state = std::make_shared<State>();
  state->remaining = shards.size();
  state->done = std::move(done);
  for (size_t i = 0; i < shards.size(); ++i) {
    shards[i]->Post([i, part, caller, state] {
      caller->Dispatch([state, mine = part(i)]() mutable {
        std::move(mine.begin(), mine.end(), std::back_inserter(state->all));
        if (--state->remaining == 0) state->done(std::move(state->all));
      });
    });
  }
}

}  // namespace

// Everything ChatService keeps for one shard: its hub, and the rooms whose home it is.
// Touched only on that shard's thread.
class ChatService::PerShard final : public RoomEffects, public net::TimerNode {
 public:
  using RoomOp = std::function<void(Room*)>;

  PerShard(ChatService& svc, net::Shard& shard) : svc_(svc), shard_(shard) {}

  Hub hub;

  // Runs `op` on the room once it is loaded. With `create`, an unknown room is loaded from
  // the store first, and `op` gets nullptr when that fails or the room limit is reached;
  // without it, `op` gets nullptr for a room that is not live.
  void WithRoom(const std::string& name, RoomOp op, bool create) {
    auto it = rooms_.find(name);
    if (it != rooms_.end()) {
      Slot& slot = it->second;
      if (slot.room) return op(slot.room.get());
      slot.pending.push_back(std::move(op));
      return;
    }
    if (!create) return op(nullptr);
    if (svc_.live_rooms_.load(std::memory_order_relaxed) >= svc_.options_.max_rooms) {
      PARLEY_LOG_WARN("room_limit room_count={}", svc_.live_rooms_.load());
      return op(nullptr);
    }
    svc_.live_rooms_.fetch_add(1, std::memory_order_relaxed);
    rooms_[name].pending.push_back(std::move(op));
    const RoomOptions& ro = svc_.options_.room;
    TailQuery query{.room = name,
                    .recent = ro.ring_size,
                    .client_ids_since_ms = svc_.clock_.NowMs() - ro.dedupe_window_ms,
                    .max_client_ids = ro.dedupe_max_entries};
    svc_.store_.LoadTail(std::move(query), [this, name](Result<RoomTail> tail) {
      shard_.Post(
          [this, name, tail = std::move(tail)]() mutable { OnLoaded(name, std::move(tail)); });
    });
  }

  // RoomEffects, called by rooms living on this shard.
  void Welcome(const MemberRef& to, const std::string& room,
               std::vector<SharedFrame> frames) override {
    ChatService& svc = svc_;
    svc.shards_[to.shard]->Dispatch([&svc, to, room, frames = std::move(frames)] {
      net::Connection* c = svc.shards_[to.shard]->FindConnection(to.conn);
      if (c == nullptr) return;  // it left meanwhile; its Leave is on the way
      svc.per_shard_[to.shard]->hub.Subscribe(room, c);
      for (const auto& f : frames) c->Send(f);
    });
  }

  void Send(const MemberRef& to, std::vector<SharedFrame> frames) override {
    ChatService& svc = svc_;
    svc.shards_[to.shard]->Dispatch([&svc, to, frames = std::move(frames)] {
      net::Connection* c = svc.shards_[to.shard]->FindConnection(to.conn);
      if (c == nullptr) return;
      for (const auto& f : frames) c->Send(f);
    });
  }

  void Deliver(int shard, const std::string& room, SharedFrame frame, bool droppable) override {
    ChatService& svc = svc_;
    svc.shards_[shard]->Dispatch([&svc, shard, room, frame = std::move(frame), droppable] {
      svc.per_shard_[shard]->hub.Deliver(room, frame, droppable);
    });
  }

  void Persist(const StoredMessage& m, uint64_t epoch) override {
    svc_.store_.Append(m, [this, room = m.room, seq = m.seq, epoch](const Status& st) {
      if (!st.ok()) {
        PARLEY_LOG_ERROR("persist_failed room_len={} seq={} error=\"{}\"", room.size(), seq,
                         st.message());
      }
      Completed(Completion{room, seq, epoch, st});
    });
  }

  void Mutate(Mutation mutation, uint64_t token) override {
    std::string room = mutation.room;
    svc_.store_.Mutate(std::move(mutation),
                       [this, room = std::move(room), token](Result<MutationResult> r) {
                         shard_.Post([this, room, token, r = std::move(r)]() mutable {
                           if (Room* live = Live(room)) live->OnMutated(token, std::move(r));
                         });
                       });
  }

  void Read(HistoryQuery query, uint64_t token) override {
    std::string room = query.room;
    svc_.store_.ReadHistory(std::move(query), [this, room = std::move(room),
                                               token](Result<std::vector<StoredMessage>> r) {
      shard_.Post([this, room, token, r = std::move(r)]() mutable {
        if (Room* live = Live(room)) live->OnRead(token, std::move(r));
      });
    });
  }

  void Answer(uint64_t waiter, Result<RoomAnswer> answer) override {
    auto it = waiters_.find(waiter);
    if (it == waiters_.end()) return;
    Waiter w = std::move(it->second);
    waiters_.erase(it);
    w.caller->Dispatch([done = std::move(w.done), answer = std::move(answer)]() mutable {
      done(std::move(answer));
    });
  }

  // Keeps `done` until a room on this shard answers the returned waiter.
  uint64_t AddWaiter(net::Shard* caller, AnswerDone done) {
    const uint64_t id = next_waiter_++;
    waiters_.emplace(id, Waiter{caller, std::move(done)});
    return id;
  }

  // Called on the store's writer thread for each durable (or failed) append. The results
  // gather in an inbox that one shard task drains, so a committed batch of N messages costs
  // the shard one wake-up instead of N.
  struct Completion {
    std::string room;
    int64_t seq;
    uint64_t epoch;
    Status status;
  };
  void Completed(Completion c) {
    bool first = false;
    {
      std::lock_guard lock(completed_mu_);
      first = completed_.empty();
      completed_.push_back(std::move(c));
    }
    if (first) shard_.Post([this] { DrainCompleted(); });
  }
  void DrainCompleted() {
    std::vector<Completion> batch;
    {
      std::lock_guard lock(completed_mu_);
      batch.swap(completed_);
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      const Completion& c = batch[i];
      // A run of successes for one room publishes up to its last seq in one call.
      if (c.status.ok() && i + 1 < batch.size() && batch[i + 1].status.ok() &&
          batch[i + 1].room == c.room && batch[i + 1].epoch == c.epoch) {
        continue;
      }
      if (Room* r = Live(c.room)) r->OnPersisted(c.seq, c.epoch, c.status);
    }
  }

  // The loaded room called `name`, or nullptr.
  Room* Live(const std::string& name) {
    auto it = rooms_.find(name);
    return it == rooms_.end() ? nullptr : it->second.room.get();
  }

  void StartSweeping() { shard_.wheel().Schedule(*this, kSweepEveryTicks); }

  // The loaded rooms whose home is this shard.
  std::vector<RoomSummary> RoomSummaries() const {
    std::vector<RoomSummary> out;
    for (const auto& [name, slot] : rooms_) {
      if (!slot.room) continue;
      out.push_back(RoomSummary{.name = name,
                                .users = slot.room->Usernames(),
                                .connections = slot.room->connection_count(),
                                .last_seq = slot.room->durable_seq()});
    }
    return out;
  }

  // This shard's open connections and the rooms each is subscribed to here.
  std::vector<ConnectionSummary> ConnectionSummaries() {
    const auto topics = hub.TopicsByConnection();
    std::vector<ConnectionSummary> out;
    for (net::Connection* c : shard_.OpenConnections()) {
      ConnectionSummary s{.id = c->id(),
                          .shard = c->shard(),
                          .ip = c->remote_ip(),
                          .user = c->user(),
                          .rooms = {},
                          .websocket = c->is_websocket(),
                          .opened_at_ms = c->opened_at_ms()};
      if (auto it = topics.find(c); it != topics.end()) {
        for (const std::string& topic : it->second) {
          // A seed 003 member's topic names its room before the '\n'.
          std::string room = topic.substr(0, topic.find('\n'));
          if (std::find(s.rooms.begin(), s.rooms.end(), room) == s.rooms.end()) {
            s.rooms.push_back(std::move(room));
          }
        }
        std::sort(s.rooms.begin(), s.rooms.end());
      }
      out.push_back(std::move(s));
    }
    return out;
  }

 private:
  struct Slot {
    std::unique_ptr<Room> room;    // null while loading
    std::vector<RoomOp> pending;   // operations waiting for the load
    uint64_t idle_since_tick = 0;  // 0 = not idle
  };

  void OnLoaded(const std::string& name, Result<RoomTail> tail) {
    auto it = rooms_.find(name);
    if (it == rooms_.end()) return;
    auto pending = std::move(it->second.pending);
    if (!tail.ok()) {
      PARLEY_LOG_ERROR("room_load_failed error=\"{}\"", tail.status().message());
      rooms_.erase(it);
      svc_.live_rooms_.fetch_sub(1, std::memory_order_relaxed);
      for (auto& op : pending) op(nullptr);
      return;
    }
    it->second.room = std::make_unique<Room>(name, svc_.options_.room, svc_.clock_, *this);
    it->second.room->Restore(std::move(tail.value()));
    Room* room = it->second.room.get();
    for (auto& op : pending) op(room);
  }

  // Unloads rooms that stayed idle (no members, everything persisted) long enough: they
  // come back from the store on next use, so memory follows the live rooms only.
  void OnTimeout() override {
    const uint64_t now = shard_.wheel().now();
    for (auto it = rooms_.begin(); it != rooms_.end();) {
      Slot& slot = it->second;
      if (!slot.room || !slot.room->idle()) {
        slot.idle_since_tick = 0;
        ++it;
      } else if (slot.idle_since_tick == 0) {
        slot.idle_since_tick = now;
        ++it;
      } else if (now - slot.idle_since_tick >= static_cast<uint64_t>(svc_.options_.idle_unload_s)) {
        it = rooms_.erase(it);
        svc_.live_rooms_.fetch_sub(1, std::memory_order_relaxed);
      } else {
        ++it;
      }
    }
    StartSweeping();
  }

  // An HTTP request waiting for a room's answer, and the shard it came from.
  struct Waiter {
    net::Shard* caller;
    AnswerDone done;
  };

  ChatService& svc_;
  net::Shard& shard_;
  std::unordered_map<std::string, Slot> rooms_;
  std::unordered_map<uint64_t, Waiter> waiters_;
  uint64_t next_waiter_ = 1;
  std::mutex completed_mu_;  // guards completed_: filled by the store's writer thread
  std::vector<Completion> completed_;
};

ChatService::ChatService(std::vector<net::Shard*> shards, Store& store, const Clock& clock,
                         ChatOptions options)
    : shards_(std::move(shards)), store_(store), clock_(clock), options_(std::move(options)) {
  for (net::Shard* s : shards_) per_shard_.push_back(std::make_unique<PerShard>(*this, *s));
}

ChatService::~ChatService() = default;

void ChatService::Start() {
  for (size_t i = 0; i < shards_.size(); ++i) {
    PerShard* ps = per_shard_[i].get();
    shards_[i]->Post([ps] { ps->StartSweeping(); });
  }
}

int ChatService::home_shard(const std::string& room) const {
  return static_cast<int>(Fnv1a(room) % shards_.size());
}

ChatService::PerShard& ChatService::Local() { return *per_shard_[net::Shard::Current()->index()]; }

void ChatService::OnRoom(const std::string& room, std::function<void(Room*)> op, bool create) {
  const int home = home_shard(room);
  PerShard* ps = per_shard_[home].get();
  shards_[home]->Dispatch([ps, room, op = std::move(op), create]() mutable {
    ps->WithRoom(room, std::move(op), create);
  });
}

void ChatService::Join(net::Connection& c, const std::string& room, std::string username,
                       bool native, std::optional<int64_t> since) {
  const MemberRef who{c.shard(), c.id()};
  OnRoom(
      room,
      [this, who, username = std::move(username), native, since](Room* r) mutable {
        if (r != nullptr) return r->Join(who, std::move(username), native, since);
        RefuseJoin(who);
      },
      /*create=*/true);
}

void ChatService::JoinSeed003(net::Connection& c, const std::string& room, std::string user_id,
                              std::string user_name) {
  const MemberRef who{c.shard(), c.id()};
  OnRoom(
      room,
      [this, who, user_id = std::move(user_id), user_name = std::move(user_name)](Room* r) mutable {
        if (r != nullptr) return r->JoinSeed003(who, std::move(user_id), std::move(user_name));
        RefuseJoin(who);
      },
      /*create=*/true);
}

void ChatService::RefuseJoin(const MemberRef& who) {
  // The room could not be opened: tell the joiner why and let it go.
  const bool at_limit = live_rooms() >= options_.max_rooms;
  shards_[who.shard]->Dispatch([this, who, at_limit] {
    net::Connection* c = shards_[who.shard]->FindConnection(who.conn);
    if (c == nullptr) return;
    const ErrorCode code = at_limit ? ErrorCode::kRoomLimit : ErrorCode::kUnavailable;
    c->SendText(EncodeErrorFrame(Describe(code).wire_name,
                                 at_limit ? "The server has reached its room limit."
                                          : "The room could not be opened; try again."));
    c->Close(Describe(code).ws_close_code, Describe(code).wire_name);
  });
}

void ChatService::Leave(net::Connection& c, const std::string& room) {
  Local().hub.Unsubscribe(room, &c);
  Local().hub.Unsubscribe(Seed003Topic(room), &c);
  const MemberRef who{c.shard(), c.id()};
  OnRoom(room, [who](Room* r) {
    if (r != nullptr) r->Leave(who);
  });
}

bool ChatService::RefuseIfStoreBusy(net::Connection& c, std::string_view ref) {
  if (store_.backlog() < options_.max_store_backlog) return false;
  // Clients send faster than the disk commits: refuse instead of queueing without bound.
  // Nothing was stored, so the client sends it again (same clientId) a little later.
  StoreBusy().Add();
  c.SendText(EncodeErrorFrameRef(Describe(ErrorCode::kUnavailable).wire_name,
                                 "The server is busy storing messages; send it again in a moment.",
                                 ref));
  return true;
}

void ChatService::Post(net::Connection& c, const std::string& room, PostRequest request) {
  if (RefuseIfStoreBusy(c, request.client_id)) return;
  const MemberRef who{c.shard(), c.id()};
  OnRoom(room, [who, request = std::move(request)](Room* r) mutable {
    if (r != nullptr) r->Post(who, std::move(request));
  });
}

void ChatService::PostOwn(const std::string& room, std::string username, std::string text) {
  OnRoom(
      room,
      [username = std::move(username), text = std::move(text)](Room* r) mutable {
        if (r != nullptr) r->PostOwn(std::move(username), std::move(text));
      },
      /*create=*/true);
}

void ChatService::Relay(const std::string& room, SharedFrame frame, SharedFrame seed003_frame) {
  OnRoom(room, [frame = std::move(frame), seed003_frame = std::move(seed003_frame)](Room* r) {
    if (r != nullptr) r->Relay(frame, seed003_frame);
  });
}

void ChatService::Typing(net::Connection& c, const std::string& room, bool active) {
  const MemberRef who{c.shard(), c.id()};
  OnRoom(room, [who, active](Room* r) {
    if (r != nullptr) r->Typing(who, active);
  });
}

void ChatService::Edit(net::Connection& c, const std::string& room, std::string message_id,
                       std::string text, std::string ref) {
  if (RefuseIfStoreBusy(c, ref)) return;
  const MemberRef who{c.shard(), c.id()};
  OnRoom(room, [who, id = std::move(message_id), text = std::move(text),
                ref = std::move(ref)](Room* r) mutable {
    if (r != nullptr) r->Edit(who, std::move(id), std::move(text), std::move(ref));
  });
}

void ChatService::Delete(net::Connection& c, const std::string& room, std::string message_id,
                         std::string ref) {
  if (RefuseIfStoreBusy(c, ref)) return;
  const MemberRef who{c.shard(), c.id()};
  OnRoom(room, [who, id = std::move(message_id), ref = std::move(ref)](Room* r) mutable {
    if (r != nullptr) r->Delete(who, std::move(id), std::move(ref));
  });
}

void ChatService::React(net::Connection& c, const std::string& room, std::string message_id,
                        std::string emoji, std::string ref) {
  if (RefuseIfStoreBusy(c, ref)) return;
  const MemberRef who{c.shard(), c.id()};
  OnRoom(room, [who, id = std::move(message_id), emoji = std::move(emoji),
                ref = std::move(ref)](Room* r) mutable {
    if (r != nullptr) r->React(who, std::move(id), std::move(emoji), std::move(ref));
  });
}

void ChatService::MarkRead(net::Connection& c, const std::string& room, int64_t seq,
                           std::string ref) {
  if (RefuseIfStoreBusy(c, ref)) return;
  const MemberRef who{c.shard(), c.id()};
  OnRoom(room, [who, seq, ref = std::move(ref)](Room* r) mutable {
    if (r != nullptr) r->MarkRead(who, seq, std::move(ref));
  });
}

void ChatService::History(net::Connection& c, const std::string& room, int64_t before, int limit,
                          std::string ref) {
  const MemberRef who{c.shard(), c.id()};
  OnRoom(room, [who, before, limit, ref = std::move(ref)](Room* r) mutable {
    if (r != nullptr) r->History(who, before, limit, std::move(ref));
  });
}

void ChatService::Users(const std::string& room, UsersDone done) {
  net::Shard* caller = net::Shard::Current();
  OnRoom(room, [caller, done = std::move(done)](Room* r) mutable {
    std::vector<std::string> users = r ? r->Usernames() : std::vector<std::string>{};
    const int count = r ? r->connection_count() : 0;
    caller->Dispatch([done = std::move(done), users = std::move(users), count]() mutable {
      done(std::move(users), count);
    });
  });
}

void ChatService::History(const std::string& room, int64_t before, int64_t after, int limit,
                          HistoryDone done) {
  net::Shard* caller = net::Shard::Current();
  OnRoom(room, [this, caller, room, before, after, limit, done = std::move(done)](Room* r) mutable {
    if (r != nullptr && after <= 0) {
      if (auto page = r->RecentHistory(before, limit)) {
        return caller->Dispatch(
            [done = std::move(done), page = std::move(*page)]() mutable { done(std::move(page)); });
      }
    }
    // Not in memory: what the store holds is durable, so it is safe to show.
    store_.ReadHistory(HistoryQuery{room, before, after, limit},
                       [caller, done = std::move(done)](Result<std::vector<StoredMessage>> r) {
                         caller->Post([done, r = std::move(r)]() mutable { done(std::move(r)); });
                       });
  });
}

void ChatService::OnRoomFor(const std::string& room, AnswerDone done,
                            std::function<void(Room*, uint64_t waiter)> op) {
  net::Shard* caller = net::Shard::Current();
  if (store_.backlog() >= options_.max_store_backlog) {
    // As for a socket: refuse rather than queue without bound; nothing was stored.
    StoreBusy().Add();
    return done(Status(ErrorCode::kUnavailable,
                       "The server is busy storing messages; send it again in a moment."));
  }
  PerShard* home = per_shard_[home_shard(room)].get();
  OnRoom(
      room,
      [this, caller, home, done = std::move(done), op = std::move(op)](Room* r) mutable {
        if (r != nullptr) return op(r, home->AddWaiter(caller, std::move(done)));
        const bool at_limit = live_rooms() >= options_.max_rooms;
        Status st =
            at_limit ? Status(ErrorCode::kRoomLimit, "The server has reached its room limit.")
                     : Status(ErrorCode::kUnavailable, "The room could not be opened; try again.");
        caller->Dispatch(
            [done = std::move(done), st = std::move(st)]() mutable { done(std::move(st)); });
      },
      /*create=*/true);
}

void ChatService::PostAs(const std::string& room, std::string username, PostRequest request,
                         AnswerDone done) {
  OnRoomFor(room, std::move(done),
            [username = std::move(username), request = std::move(request)](
                Room* r, uint64_t waiter) mutable {
              r->PostAs(std::move(username), std::move(request), waiter);
            });
}

void ChatService::ReactAs(const std::string& room, std::string username, std::string message_id,
                          std::string emoji, AnswerDone done) {
  OnRoomFor(room, std::move(done),
            [username = std::move(username), id = std::move(message_id), emoji = std::move(emoji)](
                Room* r, uint64_t waiter) mutable {
              r->ReactAs(std::move(username), std::move(id), std::move(emoji), waiter);
            });
}

void ChatService::ListRooms(std::function<void(std::vector<RoomSummary>)> done) {
  Gather<RoomSummary>(
      shards_, [this](size_t i) { return per_shard_[i]->RoomSummaries(); },
      [done = std::move(done)](std::vector<RoomSummary> all) {
        std::sort(all.begin(), all.end(),
                  [](const RoomSummary& a, const RoomSummary& b) { return a.name < b.name; });
        done(std::move(all));
      });
}

void ChatService::ListConnections(std::function<void(std::vector<ConnectionSummary>)> done) {
  Gather<ConnectionSummary>(
      shards_, [this](size_t i) { return per_shard_[i]->ConnectionSummaries(); },
      [done = std::move(done)](std::vector<ConnectionSummary> all) {
        std::sort(all.begin(), all.end(),
                  [](const ConnectionSummary& a, const ConnectionSummary& b) {
                    return std::tie(a.shard, a.id) < std::tie(b.shard, b.id);
                  });
        done(std::move(all));
      });
}

void ChatService::Search(SearchQuery query, HistoryDone done) {
  net::Shard* caller = net::Shard::Current();
  store_.Search(std::move(query),
                [caller, done = std::move(done)](Result<std::vector<StoredMessage>> r) {
                  caller->Post([done, r = std::move(r)]() mutable { done(std::move(r)); });
                });
}

}  // namespace parley::room
