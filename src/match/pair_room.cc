#include "match/pair_room.h"

namespace parley::match {
namespace {

constexpr uint16_t kCloseNormal = 1000;

}  // namespace

PairRoom::PairRoom(std::string session_id, PairOptions options, const Clock& clock,
                   PairEffects& effects)
    : session_id_(std::move(session_id)),
      options_(options),
      clock_(clock),
      effects_(effects),
      last_activity_ms_(clock.NowMs()) {}

PairRoom::Member* PairRoom::Find(const std::string& user_id) {
  for (Member& m : members_) {
    if (m.user_id == user_id) return &m;
  }
  return nullptr;
}

PairRoom::Member* PairRoom::Partner(const std::string& user_id) {
  for (Member& m : members_) {
    if (m.user_id != user_id) return &m;
  }
  return nullptr;
}

Status PairRoom::Join(const std::string& user_id, const Endpoint& at, SocketKind kind) {
  last_activity_ms_ = clock_.NowMs();
  if (ended_) {
    // The partner left before this user arrived: say so, and let the socket go.
    effects_.Send(at, session_id_, MakeTextFrame(EncodeTyped("partner_disconnected")), true);
    return Status::Ok();
  }
  Member* m = Find(user_id);
  if (m == nullptr) {
    if (members_.size() >= 2) {
      return Status(ErrorCode::kNotMatched, "This chat already has its two people.");
    }
    members_.push_back(Member{user_id, {}, kind});
    m = &members_.back();
  } else if (m->at.is_socket() && !(m->at == at)) {
    effects_.Close(m->at, session_id_, kCloseNormal, "replaced");
  }
  m->at = at;
  m->kind = kind;
  if (kind == SocketKind::kPair) {
    std::vector<PairMessage> recent(history_.begin(), history_.end());
    effects_.Send(at, session_id_, MakeTextFrame(EncodePairHistory(session_id_, recent)), false);
  }
  if (Member* p = Partner(user_id);
      p != nullptr && p->at.is_socket() && p->kind == SocketKind::kPair) {
    effects_.Send(p->at, session_id_, MakeTextFrame(EncodePartnerJoined(user_id)), false);
  }
  return Status::Ok();
}

void PairRoom::Message(const std::string& user_id, const Endpoint& from, PairMessage msg) {
  Member* m = Find(user_id);
  if (ended_ || m == nullptr || !(m->at == from)) return;
  last_activity_ms_ = clock_.NowMs();
  msg.from = user_id;
  msg.timestamp_ms = last_activity_ms_;
  if (Member* p = Partner(user_id); p != nullptr && p->at.is_socket()) {
    effects_.Send(p->at, session_id_, MakeTextFrame(EncodePairMessage(msg)), false);
  }
  if (options_.history <= 0) return;
  history_.push_back(std::move(msg));
  while (history_.size() > static_cast<size_t>(options_.history)) history_.pop_front();
}

void PairRoom::End(const std::string& user_id, const Endpoint& from) {
  Member* m = Find(user_id);
  if (ended_ || m == nullptr || !(m->at == from)) return;
  Finish(user_id);
}

void PairRoom::Leave(const std::string& user_id, const Endpoint& from) {
  Member* m = Find(user_id);
  if (m == nullptr) {
    // Someone matched into this chat is gone before joining it: the chat cannot happen.
    if (!ended_ && members_.size() < 2) {
      members_.push_back(Member{user_id, {}, SocketKind::kSearch});
      Finish("");
    }
    return;
  }
  if (ended_ || (m->at.is_socket() && !(m->at == from))) return;
  m->at = Endpoint{};
  if (m->kind == SocketKind::kSearch) return Finish("");
  // A /chat socket that drops is a network blip until proven otherwise: seed 000's clients
  // reconnect, and the room keeps the chat (and its history) for them until it goes idle.
  last_activity_ms_ = clock_.NowMs();
  if (Member* p = Partner(user_id); p != nullptr && p->at.is_socket()) {
    effects_.Send(p->at, session_id_, MakeTextFrame(EncodePartnerLeft(user_id)), false);
  }
}

void PairRoom::Finish(const std::string& ender) {
  ended_ = true;
  last_activity_ms_ = clock_.NowMs();
  history_.clear();  // nobody can read it any more
  for (Member& m : members_) {
    if (!m.at.is_socket()) continue;
    const bool is_ender = m.user_id == ender;
    effects_.Send(m.at, session_id_,
                  MakeTextFrame(EncodeTyped(is_ender ? "chat_ended" : "partner_disconnected")),
                  true);
    m.at = Endpoint{};
  }
}

void PairRoom::CloseIdle() {
  for (Member& m : members_) {
    if (m.at.is_socket()) effects_.Close(m.at, session_id_, kCloseNormal, "idle");
    m.at = Endpoint{};
  }
  ended_ = true;
  history_.clear();
}

}  // namespace parley::match
