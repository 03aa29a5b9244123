#include "room/room.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>

#include "base/metrics.h"
#include "protocol/chat_json.h"

namespace parley::room {

namespace {

metrics::Counter& MessagesPosted() {
  static auto& c =
      metrics::Default().AddCounter("parley_messages_total", "Chat messages sequenced by rooms.");
  return c;
}

metrics::Counter& Joins() {
  static auto& c = metrics::Default().AddCounter("parley_joins_total", "Room joins.");
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
      subscribers_per_shard_(std::max(1, options.shard_count), 0) {}

void Room::Restore(RoomTail tail) {
  last_seq_ = durable_seq_ = tail.last_seq;
  ring_.assign(std::make_move_iterator(tail.recent.begin()),
               std::make_move_iterator(tail.recent.end()));
  while (static_cast<int>(ring_.size()) > options_.ring_size) ring_.pop_front();
}

void Room::Broadcast(const SharedFrame& frame) {
  for (size_t shard = 0; shard < subscribers_per_shard_.size(); ++shard) {
    if (subscribers_per_shard_[shard] > 0) effects_.Deliver(static_cast<int>(shard), name_, frame);
  }
}

std::vector<StoredMessage> Room::Tail(int count) const {
  const size_t n = std::min<size_t>(ring_.size(), std::max(0, count));
  return std::vector<StoredMessage>(ring_.end() - static_cast<std::ptrdiff_t>(n), ring_.end());
}

void Room::Join(const MemberRef& who, std::string username) {
  // Tell the others first: the joiner is not subscribed yet, so it does not get its own
  // user_joined (its snapshot already lists it).
  const int count_after = connection_count() + 1;
  if (!members_.empty()) {
    Broadcast(MakeTextFrame(EncodePresenceEvent("user_joined", name_, username, count_after)));
  }
  Joins().Add();
  members_.push_back(Member{who, std::move(username)});
  subscribers_per_shard_.at(who.shard)++;
  const auto history = Tail(options_.join_messages);
  const auto users = Usernames();
  effects_.Welcome(who, name_,
                   {MakeTextFrame(EncodeHistoryFrame(name_, history)),
                    MakeTextFrame(EncodePresenceSnapshot(name_, users, count_after))});
}

void Room::Leave(const MemberRef& who) {
  auto it =
      std::find_if(members_.begin(), members_.end(), [&](const Member& m) { return m.ref == who; });
  if (it == members_.end()) return;
  const std::string username = std::move(it->username);
  members_.erase(it);
  subscribers_per_shard_.at(who.shard)--;
  if (!members_.empty()) {
    Broadcast(MakeTextFrame(EncodePresenceEvent("user_left", name_, username, connection_count())));
  }
}

std::optional<StoredMessage> Room::Post(const MemberRef& from, std::string text) {
  auto it = std::find_if(members_.begin(), members_.end(),
                         [&](const Member& m) { return m.ref == from; });
  if (it == members_.end()) return std::nullopt;
  StoredMessage m;
  m.room = name_;
  m.seq = ++last_seq_;
  m.timestamp_ms = clock_.NowMs();
  m.id = NewMessageId(m.timestamp_ms);
  m.username = it->username;
  m.text = std::move(text);
  // Encode once; every recipient on every shard shares these bytes.
  Broadcast(MakeTextFrame(EncodeChat(m)));
  effects_.Persist(m);
  MessagesPosted().Add();
  ring_.push_back(m);
  if (static_cast<int>(ring_.size()) > options_.ring_size) ring_.pop_front();
  return m;
}

void Room::MarkDurable(int64_t seq) { durable_seq_ = std::max(durable_seq_, seq); }

std::vector<std::string> Room::Usernames() const {
  std::vector<std::string> out;
  for (const auto& m : members_) {
    if (std::find(out.begin(), out.end(), m.username) == out.end()) out.push_back(m.username);
  }
  return out;
}

std::optional<std::vector<StoredMessage>> Room::RecentHistory(int64_t before, int limit) const {
  const int64_t end = (before <= 0 || before > last_seq_ + 1) ? last_seq_ + 1 : before;
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
