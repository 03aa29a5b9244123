// Room membership, joins (with `since` replay) and history pages. Messages, acks and
// mutations are in room_messages.cc.
#include "room/room.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>

#include "base/metrics.h"
#include "protocol/chat_json.h"
#include "protocol/native_json.h"
#include "protocol/seed003_json.h"

namespace parley::room {
namespace {

metrics::Counter& Joins() {
  static auto& c = metrics::Default().AddCounter("parley_joins_total", "Room joins.");
  return c;
}

metrics::Counter& Replays() {
  static auto& c = metrics::Default().AddCounter(
      "parley_resumes_total", "Joins with `since` that were recovered (replayed without a gap).");
  return c;
}

}  // namespace

std::string NewMessageId(int64_t timestamp_ms) {
  static std::atomic<uint64_t> counter{0};
  const uint64_t n = counter.fetch_add(1, std::memory_order_relaxed) & 0xFFFF;
  return fmt::format("{:016x}", (static_cast<uint64_t>(timestamp_ms) << 16) | n);
}

Room::Room(std::string name, const RoomOptions& options, const Clock& clock, RoomEffects& effects)
    : name_(std::move(name)),
      options_(options),
      clock_(clock),
      effects_(effects),
      subscribers_per_shard_(std::max(1, options.shard_count), 0),
      seed003_subscribers_per_shard_(std::max(1, options.shard_count), 0) {}

std::string Seed003Topic(const std::string& room) {
  // '\n' cannot appear in a room name, so no room's own topic can collide with this one.
  return room + "\nseed003";
}

void Room::Restore(RoomTail tail) {
  last_seq_ = durable_seq_ = tail.last_seq;
  ring_.assign(std::make_move_iterator(tail.recent.begin()),
               std::make_move_iterator(tail.recent.end()));
  while (static_cast<int>(ring_.size()) > options_.ring_size) ring_.pop_front();
  for (const auto& c : tail.client_ids) {
    Remember(c.username, c.client_id, DedupeEntry{c.id, c.seq, c.timestamp_ms});
  }
  for (const auto& r : tail.read_markers) read_markers_[r.username] = r.seq;
}

Room::Member* Room::FindMember(const MemberRef& who) {
  auto it =
      std::find_if(members_.begin(), members_.end(), [&](const Member& m) { return m.ref == who; });
  return it == members_.end() ? nullptr : &*it;
}

void Room::Broadcast(const SharedFrame& frame, bool droppable) {
  for (size_t shard = 0; shard < subscribers_per_shard_.size(); ++shard) {
    if (subscribers_per_shard_[shard] > 0) {
      effects_.Deliver(static_cast<int>(shard), name_, frame, droppable);
    }
  }
}

void Room::BroadcastSeed003(const SharedFrame& frame, bool droppable) {
  if (seed003_members_ == 0) return;
  const std::string topic = Seed003Topic(name_);
  for (size_t shard = 0; shard < seed003_subscribers_per_shard_.size(); ++shard) {
    if (seed003_subscribers_per_shard_[shard] > 0) {
      effects_.Deliver(static_cast<int>(shard), topic, frame, droppable);
    }
  }
}

void Room::SendTo(const MemberRef& to, std::string json) {
  effects_.Send(to, {MakeTextFrame(json)});
}

void Room::SendError(const MemberRef& to, ErrorCode code, std::string_view message,
                     std::string_view ref) {
  SendTo(to, EncodeErrorFrameRef(Describe(code).wire_name, message, ref));
}

std::vector<StoredMessage> Room::Tail(int count) const {
  const size_t n = std::min<size_t>(ring_.size(), std::max(0, count));
  return std::vector<StoredMessage>(ring_.end() - static_cast<std::ptrdiff_t>(n), ring_.end());
}

uint64_t Room::AddJob(Job job) {
  const uint64_t token = next_token_++;
  jobs_.emplace(token, std::move(job));
  return token;
}

void Room::Join(const MemberRef& who, std::string username, bool native,
                std::optional<int64_t> since) {
  // Tell the others first: the joiner is not subscribed yet, so it does not get its own
  // user_joined (its snapshot already lists it).
  const int count_after = connection_count() + 1;
  if (!members_.empty()) {
    Broadcast(MakeTextFrame(EncodePresenceEvent("user_joined", name_, username, count_after)),
              /*droppable=*/true);
    BroadcastSeed003(MakeTextFrame(EncodeSeed003Presence("user-joined", name_, username, username,
                                                         clock_.NowMs())),
                     /*droppable=*/true);
  }
  Joins().Add();
  members_.push_back(Member{who, std::move(username), native, false});
  subscribers_per_shard_.at(who.shard)++;
  Member& m = members_.back();
  if (!native) {
    m.welcomed = true;
    effects_.Welcome(who, name_,
                     {MakeTextFrame(EncodeHistoryFrame(name_, Tail(options_.join_messages))),
                      MakeTextFrame(EncodePresenceSnapshot(name_, Usernames(), count_after))});
    return;
  }
  if (!since) return WelcomeNative(m, nullptr, LatestPage());
  const int64_t from = *since;
  if (from < 0 || from > durable_seq_ || durable_seq_ - from > options_.max_replay) {
    // Too old to replay (or a position this room never had): say so, and send the latest
    // page so the client can start over.
    const bool recovered = false;
    return WelcomeNative(m, &recovered, LatestPage());
  }
  Replays().Add();
  if (from == durable_seq_ || (!ring_.empty() && ring_.front().seq <= from + 1)) {
    return FinishReplay(m, from, {}, /*announced=*/false);
  }
  const uint64_t token = AddJob(Job{.kind = Job::Kind::kReplay, .who = who, .since = from});
  effects_.Read(HistoryQuery{.room = name_, .after_seq = from, .limit = options_.max_replay},
                token);
}

void Room::JoinSeed003(const MemberRef& who, std::string user_id, std::string user_name) {
  const int64_t now = clock_.NowMs();
  const int count_after = connection_count() + 1;
  if (!members_.empty()) {
    Broadcast(MakeTextFrame(EncodePresenceEvent("user_joined", name_, user_name, count_after)),
              /*droppable=*/true);
    BroadcastSeed003(
        MakeTextFrame(EncodeSeed003Presence("user-joined", name_, user_id, user_name, now)),
        /*droppable=*/true);
  }
  Joins().Add();
  members_.push_back(Member{.ref = who,
                            .username = std::move(user_name),
                            .welcomed = true,
                            .seed003 = true,
                            .user_id = std::move(user_id)});
  seed003_subscribers_per_shard_.at(who.shard)++;
  ++seed003_members_;
  effects_.Welcome(who, Seed003Topic(name_), {MakeTextFrame(EncodeJoinedRoom(name_, now))});
}

std::vector<SharedFrame> Room::LatestPage() const {
  const auto history = Tail(options_.join_messages);
  return {MakeTextFrame(
      EncodeHistoryPage(name_, history, !history.empty() && history.front().seq > 1))};
}

// Sends the member every published message after `since` (from `page`, then the ring) and
// subscribes it. The room is an actor, so nothing is published between building the frames
// and the Welcome: the member gets each message exactly once, either here or live.
void Room::FinishReplay(Member& m, int64_t since, std::vector<StoredMessage> page, bool announced) {
  std::vector<SharedFrame> frames;
  if (!announced) {
    const bool recovered = true;
    frames.push_back(MakeTextFrame(EncodeJoined(name_, durable_seq_, &recovered, Reads())));
  }
  int64_t next = since + 1;
  for (const auto& msg : page) {
    if (msg.seq == next && msg.seq <= durable_seq_) {
      frames.push_back(MakeTextFrame(EncodeChat(msg)));
      ++next;
    }
  }
  for (const auto& msg : ring_) {
    if (msg.seq == next) {
      frames.push_back(MakeTextFrame(EncodeChat(msg)));
      ++next;
    }
  }
  if (next <= durable_seq_) {
    // The ring moved past what the store read returned (a busy room during a slow read):
    // send what is here and read the rest.
    effects_.Send(m.ref, std::move(frames));
    const uint64_t token =
        AddJob(Job{.kind = Job::Kind::kReplay, .who = m.ref, .since = next - 1, .announced = true});
    effects_.Read(HistoryQuery{.room = name_, .after_seq = next - 1, .limit = options_.max_replay},
                  token);
    return;
  }
  frames.push_back(MakeTextFrame(EncodePresenceSnapshot(name_, Usernames(), connection_count())));
  m.welcomed = true;
  effects_.Welcome(m.ref, name_, std::move(frames));
}

std::vector<ReadMarker> Room::Reads() const {
  std::vector<ReadMarker> reads;
  for (const auto& [user, seq] : read_markers_) reads.push_back({user, seq});
  return reads;
}

void Room::WelcomeNative(Member& m, const bool* recovered, std::vector<SharedFrame> body) {
  std::vector<SharedFrame> frames;
  frames.push_back(MakeTextFrame(EncodeJoined(name_, durable_seq_, recovered, Reads())));
  for (auto& f : body) frames.push_back(std::move(f));
  frames.push_back(MakeTextFrame(EncodePresenceSnapshot(name_, Usernames(), connection_count())));
  m.welcomed = true;
  effects_.Welcome(m.ref, name_, std::move(frames));
}

void Room::Leave(const MemberRef& who) {
  auto it =
      std::find_if(members_.begin(), members_.end(), [&](const Member& m) { return m.ref == who; });
  if (it == members_.end()) return;
  const std::string username = std::move(it->username);
  const std::string user_id = it->seed003 ? std::move(it->user_id) : username;
  if (it->seed003) {
    seed003_subscribers_per_shard_.at(who.shard)--;
    --seed003_members_;
  } else {
    subscribers_per_shard_.at(who.shard)--;
  }
  members_.erase(it);
  if (!members_.empty()) {
    Broadcast(MakeTextFrame(EncodePresenceEvent("user_left", name_, username, connection_count())),
              /*droppable=*/true);
    BroadcastSeed003(
        MakeTextFrame(EncodeSeed003Presence("user-left", name_, user_id, username, clock_.NowMs())),
        /*droppable=*/true);
  }
}

void Room::History(const MemberRef& from, int64_t before, int limit, std::string ref) {
  if (FindMember(from) == nullptr) return;
  if (auto page = RecentHistory(before, limit)) {
    const bool more = !page->empty() && page->front().seq > 1;
    return SendTo(from, EncodeHistoryPage(name_, *page, more));
  }
  const int64_t upper = before <= 0 ? durable_seq_ + 1 : std::min(before, durable_seq_ + 1);
  const uint64_t token =
      AddJob(Job{.kind = Job::Kind::kHistory, .who = from, .ref = std::move(ref), .limit = limit});
  effects_.Read(HistoryQuery{.room = name_, .before_seq = upper, .limit = limit}, token);
}

void Room::OnRead(uint64_t token, Result<std::vector<StoredMessage>> result) {
  auto it = jobs_.find(token);
  if (it == jobs_.end()) return;
  Job job = std::move(it->second);
  jobs_.erase(it);
  if (job.kind == Job::Kind::kLookup) return FinishLookup(job, std::move(result));
  Member* m = FindMember(job.who);
  if (m == nullptr) return;  // left meanwhile
  if (!result.ok()) {
    SendError(job.who, ErrorCode::kUnavailable, "The history could not be read; try again.",
              job.ref);
    if (job.kind != Job::Kind::kReplay) return;
    if (!job.announced) {
      // Nothing sent yet: answer as for a position too old, with the page in memory.
      const bool recovered = false;
      return WelcomeNative(*m, &recovered, LatestPage());
    }
    // Part of the replay went out: the member is dropped from the room; a `join` with
    // `since` on the same socket starts over.
    return Leave(job.who);
  }
  if (job.kind == Job::Kind::kReplay) {
    return FinishReplay(*m, job.since, std::move(*result), job.announced);
  }
  std::vector<StoredMessage> page;
  for (auto& msg : *result) {
    if (msg.seq <= durable_seq_) page.push_back(std::move(msg));
  }
  const bool more = !page.empty() && page.front().seq > 1;
  SendTo(job.who, EncodeHistoryPage(name_, page, more));
}

void Room::FinishLookup(const Job& job, Result<std::vector<StoredMessage>> result) {
  if (result.ok()) {
    for (auto& msg : *result) {
      if (msg.seq == job.before) {
        return effects_.Answer(job.waiter,
                               RoomAnswer{.message = std::move(msg), .duplicate = true});
      }
    }
  }
  // Durable, so only a failing store can miss it: the client retries once more.
  effects_.Answer(job.waiter, Status(ErrorCode::kUnavailable,
                                     "The message could not be read back; send it again."));
}

std::vector<std::string> Room::Usernames() const {
  std::vector<std::string> out;
  for (const auto& m : members_) {
    if (std::find(out.begin(), out.end(), m.username) == out.end()) out.push_back(m.username);
  }
  return out;
}

std::optional<std::vector<StoredMessage>> Room::RecentHistory(int64_t before, int limit) const {
  const int64_t end = (before <= 0 || before > durable_seq_ + 1) ? durable_seq_ + 1 : before;
  const int64_t first = std::max<int64_t>(1, end - std::max(0, limit));
  if (end <= 1 || limit <= 0) return std::vector<StoredMessage>{};
  if (ring_.empty() || ring_.front().seq > first) return std::nullopt;
  std::vector<StoredMessage> out;
  for (const auto& m : ring_) {
    if (m.seq >= first && m.seq < end) out.push_back(m);
  }
  return out;
}

}  // namespace parley::room
