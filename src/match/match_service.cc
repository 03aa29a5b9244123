#include "match/match_service.h"

#include <unordered_map>

#include "base/hash.h"
#include "base/log.h"
#include "net/timer_wheel.h"

namespace parley::match {
namespace {

constexpr int kMatchmakerShard = 0;

}  // namespace

// What MatchService keeps for one shard: its registered sockets, and the pair rooms whose
// home it is. Touched only on that shard's thread.
class MatchService::PerShard final : public PairEffects, public net::TimerNode {
 public:
  PerShard(MatchService& svc, net::Shard& shard) : svc_(svc), shard_(shard) {}

  std::unordered_map<uint64_t, MatchSocket*> sockets;
  std::unordered_map<std::string, std::unique_ptr<PairRoom>> rooms;

  // A fresh room for a new match; an old chat under the same id (the same two people
  // matched again) is over, so it is replaced.
  void Open(const std::string& session) {
    auto& slot = rooms[session];
    if (slot && !slot->ended()) return;
    if (!slot) svc_.live_pairs_.fetch_add(1, std::memory_order_relaxed);
    slot = std::make_unique<PairRoom>(session, svc_.options_.pair, svc_.clock_, *this);
  }

  void Send(const Endpoint& to, const std::string& session, SharedFrame frame, bool ends) override {
    MatchService& svc = svc_;
    svc.shards_[to.shard]->Dispatch([&svc, to, session, frame = std::move(frame), ends] {
      PerShard& ps = *svc.per_shard_[to.shard];
      auto it = ps.sockets.find(to.conn);
      if (it == ps.sockets.end() || it->second->session() != session) return;
      net::Connection* c = svc.shards_[to.shard]->FindConnection(to.conn);
      if (c != nullptr) it->second->OnPairFrame(*c, frame, ends);
    });
  }

  void Close(const Endpoint& to, const std::string& session, uint16_t code,
             std::string_view reason) override {
    MatchService& svc = svc_;
    svc.shards_[to.shard]->Dispatch([&svc, to, session, code, reason = std::string(reason)] {
      PerShard& ps = *svc.per_shard_[to.shard];
      auto it = ps.sockets.find(to.conn);
      if (it == ps.sockets.end() || it->second->session() != session) return;
      net::Connection* c = svc.shards_[to.shard]->FindConnection(to.conn);
      if (c != nullptr) c->Close(code, reason);
    });
  }

  void StartSweeping() { shard_.wheel().Schedule(*this, 1); }

 private:
  // Once a second: expire the queue (matchmaker shard) and remove pair rooms that are
  // over or idle, so memory follows the live chats.
  void OnTimeout() override {
    const int64_t now = svc_.clock_.NowMs();
    if (shard_.index() == kMatchmakerShard && svc_.matchmaker_) {
      svc_.matchmaker_->Expire(now);
      svc_.waiting_.store(static_cast<int64_t>(svc_.matchmaker_->waiting()),
                          std::memory_order_relaxed);
    }
    // An ended room is kept one queue ttl, so a matched user arriving late still hears
    // that the partner left.
    const int64_t idle = svc_.options_.pair_idle_ms;
    const int64_t ended_keep = std::min(idle, svc_.options_.matchmaker.ttl_ms);
    for (auto it = rooms.begin(); it != rooms.end();) {
      PairRoom& r = *it->second;
      const int64_t quiet = now - r.last_activity_ms();
      if (quiet >= (r.ended() ? ended_keep : idle)) {
        if (!r.ended()) {
          PARLEY_LOG_DEBUG("pair_idle_closed history={}", r.history_size());
          r.CloseIdle();
        }
        it = rooms.erase(it);
        svc_.live_pairs_.fetch_sub(1, std::memory_order_relaxed);
      } else {
        ++it;
      }
    }
    StartSweeping();
  }

  MatchService& svc_;
  net::Shard& shard_;
};

MatchService::MatchService(std::vector<net::Shard*> shards, const Clock& clock,
                           MatchServiceOptions options)
    : shards_(std::move(shards)), clock_(clock), options_(options) {
  for (net::Shard* s : shards_) per_shard_.push_back(std::make_unique<PerShard>(*this, *s));
  matchmaker_ = std::make_unique<Matchmaker>(
      options_.matchmaker, [this](const Seeker& waiting, const Pairing& pairing) {
        // Runs on the matchmaker shard, inside Request: the room opens before either side
        // hears of the match, so their joins always find it.
        Open(pairing.session_id);
        const Endpoint at = waiting.endpoint;
        shards_[at.shard]->Dispatch([this, at, pairing, user = waiting.user_id] {
          PerShard& ps = *per_shard_[at.shard];
          auto it = ps.sockets.find(at.conn);
          net::Connection* c = shards_[at.shard]->FindConnection(at.conn);
          if (it != ps.sockets.end() && c != nullptr && it->second->OnMatched(*c, pairing)) return;
          Abandon(pairing.session_id, user);
        });
      });
}

MatchService::~MatchService() = default;

void MatchService::Start() {
  for (size_t i = 0; i < shards_.size(); ++i) {
    PerShard* ps = per_shard_[i].get();
    shards_[i]->Post([ps] { ps->StartSweeping(); });
  }
}

int MatchService::HomeOf(const std::string& session) const {
  return static_cast<int>(Fnv1a(session) % shards_.size());
}

void MatchService::Request(Seeker seeker, RequestDone done) {
  net::Shard* caller = net::Shard::Current();
  shards_[kMatchmakerShard]->Dispatch(
      [this, caller, seeker = std::move(seeker), done = std::move(done)]() mutable {
        const bool may_pair = live_pairs() < options_.max_pairs;
        Outcome out = matchmaker_->Request(seeker, clock_.NowMs(), may_pair);
        waiting_.store(static_cast<int64_t>(matchmaker_->waiting()), std::memory_order_relaxed);
        if (out.kind == Outcome::Kind::kMatched && !out.delivered_later) {
          matches_.fetch_add(1, std::memory_order_relaxed);
          Open(out.pairing.session_id);
        }
        caller->Dispatch(
            [done = std::move(done), out = std::move(out)]() mutable { done(std::move(out)); });
      });
}

void MatchService::Cancel(const std::string& user_id) {
  shards_[kMatchmakerShard]->Dispatch([this, user_id] {
    matchmaker_->Cancel(user_id);
    waiting_.store(static_cast<int64_t>(matchmaker_->waiting()), std::memory_order_relaxed);
  });
}

void MatchService::Open(const std::string& session) {
  const int home = HomeOf(session);
  PerShard* ps = per_shard_[home].get();
  shards_[home]->Dispatch([ps, session] { ps->Open(session); });
}

void MatchService::OnRoom(const std::string& session, std::function<void(PairRoom*)> fn) {
  const int home = HomeOf(session);
  PerShard* ps = per_shard_[home].get();
  shards_[home]->Dispatch([ps, session, fn = std::move(fn)] {
    auto it = ps->rooms.find(session);
    fn(it == ps->rooms.end() ? nullptr : it->second.get());
  });
}

void MatchService::Abandon(const std::string& session, const std::string& user_id) {
  OnRoom(session, [user_id](PairRoom* r) {
    if (r != nullptr) r->Leave(user_id, Endpoint{});
  });
}

void MatchService::Register(net::Connection& c, MatchSocket* socket) {
  per_shard_[c.shard()]->sockets[c.id()] = socket;
}

void MatchService::Unregister(net::Connection& c) { per_shard_[c.shard()]->sockets.erase(c.id()); }

void MatchService::Join(net::Connection& c, const std::string& session, const std::string& user_id,
                        SocketKind kind) {
  const Endpoint at{c.shard(), c.id()};
  const int home = HomeOf(session);
  PerShard* ps = per_shard_[home].get();
  shards_[home]->Dispatch([this, ps, at, session, user_id, kind] {
    auto it = ps->rooms.find(session);
    if (it == ps->rooms.end()) {
      // A valid ticket for a chat that no longer exists (idle cleanup, or a restart): the
      // partner is not coming back.
      if (live_pairs() >= options_.max_pairs) {
        return ps->Close(at, session, Describe(ErrorCode::kPairLimit).ws_close_code, "pair_limit");
      }
      ps->Open(session);
      it = ps->rooms.find(session);
      it->second->Leave("", Endpoint{});  // placeholder partner gone: the chat is over
    }
    Status st = it->second->Join(user_id, at, kind);
    if (!st.ok()) ps->Close(at, session, Describe(st.code()).ws_close_code, st.wire_name());
  });
}

void MatchService::Message(net::Connection& c, const std::string& session,
                           const std::string& user_id, PairMessage m) {
  const Endpoint at{c.shard(), c.id()};
  OnRoom(session, [at, user_id, m = std::move(m)](PairRoom* r) mutable {
    if (r != nullptr) r->Message(user_id, at, std::move(m));
  });
}

void MatchService::End(net::Connection& c, const std::string& session, const std::string& user_id) {
  const Endpoint at{c.shard(), c.id()};
  OnRoom(session, [at, user_id](PairRoom* r) {
    if (r != nullptr) r->End(user_id, at);
  });
}

void MatchService::Leave(net::Connection& c, const std::string& session,
                         const std::string& user_id) {
  const Endpoint at{c.shard(), c.id()};
  OnRoom(session, [at, user_id](PairRoom* r) {
    if (r != nullptr) r->Leave(user_id, at);
  });
}

}  // namespace parley::match
