// Room messages: sequencing, publish-after-durable, acknowledgements, the clientId dedupe
// window, and the mutations (edit, delete, reactions, read markers) and typing.
#include <algorithm>

#include "base/metrics.h"
#include "protocol/chat_json.h"
#include "protocol/native_json.h"
#include "protocol/seed003_json.h"
#include "room/room.h"

namespace parley::room {
namespace {

metrics::Counter& MessagesPosted() {
  static auto& c = metrics::Default().AddCounter("parley_messages_total",
                                                 "Chat messages published (durable) by rooms.");
  return c;
}

metrics::Counter& Retries() {
  static auto& c = metrics::Default().AddCounter(
      "parley_message_retries_total",
      "Messages sent again with a clientId already seen: acknowledged, not stored twice.");
  return c;
}

std::string DedupeKey(const std::string& username, const std::string& client_id) {
  std::string key;
  key.reserve(username.size() + 1 + client_id.size());
  key += username;
  key += '\n';  // cannot appear in a username
  key += client_id;
  return key;
}

}  // namespace

void Room::Remember(const std::string& username, const std::string& client_id,
                    const DedupeEntry& entry) {
  std::string key = DedupeKey(username, client_id);
  dedupe_[key] = entry;
  dedupe_order_.push_back(std::move(key));
  ForgetExpiredClientIds();
}

void Room::ForgetExpiredClientIds() {
  const int64_t cutoff = clock_.NowMs() - options_.dedupe_window_ms;
  while (!dedupe_order_.empty()) {
    auto it = dedupe_.find(dedupe_order_.front());
    const bool stale = it == dedupe_.end();  // forgotten when its write failed
    const bool old = !stale && (it->second.timestamp_ms < cutoff ||
                                static_cast<int>(dedupe_.size()) > options_.dedupe_max_entries);
    if (!stale && !old) break;
    if (old) dedupe_.erase(it);
    dedupe_order_.pop_front();
  }
}

int64_t Room::Post(const MemberRef& from, PostRequest request) {
  Member* member = FindMember(from);
  if (member == nullptr) return 0;
  return Sequence(Poster{.member = from}, member->username, std::move(request));
}

void Room::PostAs(std::string username, PostRequest request, uint64_t waiter) {
  // shard -1 names no connection, so nothing meant for a member ever reaches it.
  Sequence(Poster{.member = MemberRef{-1, 0}, .waiter = waiter}, username, std::move(request));
}

int64_t Room::Sequence(const Poster& from, const std::string& username, PostRequest request) {
  if (!request.client_id.empty()) {
    ForgetExpiredClientIds();
    auto it = dedupe_.find(DedupeKey(username, request.client_id));
    if (it != dedupe_.end()) {
      // A retry: the original message stands; acknowledge it (now, or once it is durable).
      Retries().Add();
      if (it->second.seq <= durable_seq_) {
        if (from.waiter != 0) {
          AnswerRetry(from.waiter, it->second);
        } else {
          SendTo(from.member, EncodeAck(name_, request.client_id, it->second.id, it->second.seq));
        }
      } else {
        bool waiting = false;
        for (auto& u : unpublished_) {
          if (u.message.seq != it->second.seq) continue;
          waiting = true;
          if (from.waiter != 0) {
            u.retry_waiters.push_back(from.waiter);
          } else {
            u.ack_to.push_back(from.member);
          }
        }
        // Every waiter is answered: a key whose message is neither durable nor waiting
        // cannot be (a failed write forgets its key), but if it were, the caller retries.
        if (!waiting && from.waiter != 0) {
          effects_.Answer(from.waiter, Status(ErrorCode::kUnavailable,
                                              "The message could not be stored; send it again."));
        }
      }
      return 0;
    }
  }
  StoredMessage m;
  m.room = name_;
  m.seq = ++last_seq_;
  m.timestamp_ms = clock_.NowMs();
  m.id = NewMessageId(m.timestamp_ms);
  m.username = username;
  m.text = std::move(request.text);
  m.client_id = std::move(request.client_id);
  m.reply_to = std::move(request.reply_to);
  m.image_url = std::move(request.image_url);
  if (!m.client_id.empty()) {
    Remember(m.username, m.client_id, DedupeEntry{m.id, m.seq, m.timestamp_ms});
  }
  effects_.Persist(m, epoch_);
  Unpublished u{std::move(m), from.member, {}, from.waiter};
  if (!u.message.client_id.empty() && from.waiter == 0) u.ack_to.push_back(from.member);
  unpublished_.push_back(std::move(u));
  return last_seq_;
}

void Room::AnswerRetry(uint64_t waiter, const DedupeEntry& entry) {
  if (!ring_.empty() && entry.seq >= ring_.front().seq) {
    const auto index = static_cast<size_t>(entry.seq - ring_.front().seq);
    if (index < ring_.size() && ring_[index].id == entry.id) {
      return effects_.Answer(waiter, RoomAnswer{.message = ring_[index], .duplicate = true});
    }
  }
  // Older than the ring: the store has it (it is durable).
  const uint64_t token = AddJob(Job{
      .kind = Job::Kind::kLookup, .who = MemberRef{-1, 0}, .before = entry.seq, .waiter = waiter});
  effects_.Read(HistoryQuery{.room = name_, .before_seq = entry.seq + 1, .limit = 1}, token);
}

int64_t Room::PostOwn(std::string username, std::string text) {
  StoredMessage m;
  m.room = name_;
  m.seq = ++last_seq_;
  m.timestamp_ms = clock_.NowMs();
  m.id = NewMessageId(m.timestamp_ms);
  m.username = std::move(username);
  m.text = std::move(text);
  effects_.Persist(m, epoch_);
  // MemberRef{} (connection 0, which no connection has): no sender to acknowledge or tell.
  unpublished_.push_back(Unpublished{std::move(m), MemberRef{}, {}});
  return last_seq_;
}

void Room::Relay(const SharedFrame& frame, const SharedFrame& seed003_frame) {
  Broadcast(frame, /*droppable=*/true);
  BroadcastSeed003(seed003_frame, /*droppable=*/true);
}

void Room::Publish(Unpublished& u) {
  durable_seq_ = u.message.seq;
  // Encode once; every recipient on every shard shares these bytes.
  Broadcast(MakeTextFrame(EncodeChat(u.message)));
  if (seed003_members_ > 0) {
    const Member* author = FindMember(u.sender);
    BroadcastSeed003(MakeTextFrame(
        EncodeNewMessage(u.message, author != nullptr ? UserIdOf(*author) : u.message.username)));
  }
  for (const auto& to : u.ack_to) {
    const Member* m = FindMember(to);
    if (m != nullptr && m->seed003) {
      SendTo(to, EncodeMessageSent(name_, u.message.id, u.message.seq, u.message.timestamp_ms));
    } else {
      SendTo(to, EncodeAck(name_, u.message.client_id, u.message.id, u.message.seq));
    }
  }
  if (u.sender_waiter != 0) effects_.Answer(u.sender_waiter, RoomAnswer{.message = u.message});
  for (uint64_t w : u.retry_waiters) {
    effects_.Answer(w, RoomAnswer{.message = u.message, .duplicate = true});
  }
  MessagesPosted().Add();
  ring_.push_back(std::move(u.message));
  if (static_cast<int>(ring_.size()) > options_.ring_size) ring_.pop_front();
}

void Room::OnPersisted(int64_t seq, uint64_t epoch, const Status& status) {
  if (epoch != epoch_) return;  // a write from before a rewind: already failed
  if (status.ok()) {
    while (!unpublished_.empty() && unpublished_.front().message.seq <= seq) {
      Publish(unpublished_.front());
      unpublished_.pop_front();
    }
    return;
  }
  // This write failed, and so will every later one of this room already queued (the store
  // refuses a gap). Rewind to the last durable seq and tell each sender to send again.
  auto first = std::find_if(unpublished_.begin(), unpublished_.end(),
                            [seq](const Unpublished& u) { return u.message.seq >= seq; });
  for (auto it = first; it != unpublished_.end(); ++it) {
    if (!it->message.client_id.empty()) {
      dedupe_.erase(DedupeKey(it->message.username, it->message.client_id));
    }
    constexpr std::string_view kRetry = "The message could not be stored; send it again.";
    if (it->sender_waiter != 0) {
      effects_.Answer(it->sender_waiter, Status(ErrorCode::kUnavailable, std::string(kRetry)));
    } else if (it->sender.conn != 0) {  // conn 0 without a waiter: parley's own (PostOwn)
      SendError(it->sender, ErrorCode::kUnavailable, kRetry, it->message.client_id);
    }
    for (uint64_t w : it->retry_waiters) {
      effects_.Answer(w, Status(ErrorCode::kUnavailable, std::string(kRetry)));
    }
  }
  unpublished_.erase(first, unpublished_.end());
  last_seq_ = unpublished_.empty() ? durable_seq_ : unpublished_.back().message.seq;
  ++epoch_;
}

void Room::Typing(const MemberRef& from, bool active) {
  Member* m = FindMember(from);
  if (m == nullptr) return;
  Broadcast(MakeTextFrame(EncodeTyping(name_, m->username, active)), /*droppable=*/true);
}

void Room::StartMutation(const MemberRef& from, Mutation mutation, std::string ref,
                         std::string emoji) {
  Member* m = FindMember(from);
  if (m == nullptr) return;
  RunMutation(Job{.kind = Job::Kind::kMutation,
                  .who = from,
                  .ref = std::move(ref),
                  .emoji = std::move(emoji),
                  .username = m->username},
              std::move(mutation));
}

void Room::RunMutation(Job job, Mutation mutation) {
  mutation.room = name_;
  mutation.username = job.username;
  const uint64_t token = AddJob(std::move(job));
  effects_.Mutate(std::move(mutation), token);
}

void Room::Edit(const MemberRef& from, std::string message_id, std::string text, std::string ref) {
  StartMutation(from,
                Mutation{.kind = Mutation::Kind::kEdit,
                         .message_id = std::move(message_id),
                         .text = std::move(text),
                         .at_ms = clock_.NowMs()},
                std::move(ref));
}

void Room::Delete(const MemberRef& from, std::string message_id, std::string ref) {
  StartMutation(from,
                Mutation{.kind = Mutation::Kind::kDelete, .message_id = std::move(message_id)},
                std::move(ref));
}

void Room::React(const MemberRef& from, std::string message_id, std::string emoji,
                 std::string ref) {
  std::string copy = emoji;
  StartMutation(from,
                Mutation{.kind = Mutation::Kind::kToggleReaction,
                         .message_id = std::move(message_id),
                         .text = std::move(emoji)},
                std::move(ref), std::move(copy));
}

void Room::ReactAs(std::string username, std::string message_id, std::string emoji,
                   uint64_t waiter) {
  Mutation mutation{
      .kind = Mutation::Kind::kToggleReaction, .message_id = std::move(message_id), .text = emoji};
  RunMutation(Job{.kind = Job::Kind::kMutation,
                  .who = MemberRef{-1, 0},
                  .emoji = std::move(emoji),
                  .username = std::move(username),
                  .waiter = waiter},
              std::move(mutation));
}

void Room::MarkRead(const MemberRef& from, int64_t seq, std::string ref) {
  // A marker past what anyone can have seen is clamped to the newest published message.
  StartMutation(from,
                Mutation{.kind = Mutation::Kind::kReadMarker, .seq = std::min(seq, durable_seq_)},
                std::move(ref));
}

void Room::OnMutated(uint64_t token, Result<MutationResult> result) {
  auto it = jobs_.find(token);
  if (it == jobs_.end()) return;
  Job job = std::move(it->second);
  jobs_.erase(it);
  if (!result.ok()) {
    if (job.waiter != 0) return effects_.Answer(job.waiter, result.status());
    if (FindMember(job.who) != nullptr) {
      SendError(job.who, result.status().code(), result.status().message(), job.ref);
    }
    return;
  }
  const MutationResult& r = *result;
  if (!r.message.id.empty()) ReplaceInRing(r.message);
  if (!job.emoji.empty()) {
    Broadcast(MakeTextFrame(EncodeReaction(r.message, job.emoji, job.username, r.added)));
    if (job.waiter != 0) {
      effects_.Answer(job.waiter, RoomAnswer{.message = r.message, .added = r.added});
    }
  } else if (r.message.id.empty()) {
    read_markers_[job.username] = r.read_seq;
    Broadcast(MakeTextFrame(EncodeRead(name_, job.username, r.read_seq)));
  } else if (r.message.deleted) {
    Broadcast(MakeTextFrame(EncodeDelete(r.message)));
  } else {
    Broadcast(MakeTextFrame(EncodeEdit(r.message)));
  }
}

void Room::ReplaceInRing(const StoredMessage& m) {
  if (ring_.empty() || m.seq < ring_.front().seq) return;
  const auto index = static_cast<size_t>(m.seq - ring_.front().seq);
  if (index < ring_.size() && ring_[index].id == m.id) ring_[index] = m;
}

}  // namespace parley::room
