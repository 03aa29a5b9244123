#include "match/matchmaker.h"

#include <limits>

namespace parley::match {
namespace {

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

const std::string& Field(const Filters& f, int i) {
  return i == 0 ? f.emotion : (i == 1 ? f.language : f.mode);
}

// The index key of `values` projected on `mask` (bit i = filter i). Filter values never
// hold control characters (validated at the edge), so \x1f cannot be forged by a value.
std::string IndexKey(int mask, const std::string* values[3]) {
  std::string key(1, static_cast<char>('0' + mask));
  for (int i = 0; i < 3; ++i) {
    if (mask & (1 << i)) {
      key += '\x1f';
      key += *values[i];
    }
  }
  return key;
}

}  // namespace

std::string QueueKey(const Filters& f) {
  static const char* kNames[3] = {"emotion", "language", "mode"};
  std::string key = "queue";
  for (int i = 0; i < 3; ++i) {
    if (!Field(f, i).empty()) key += std::string(":") + kNames[i] + ":" + Field(f, i);
  }
  return key == "queue" ? "queue:any" : key;
}

Matchmaker::Matchmaker(MatchmakerOptions options, OnSocketMatched on_socket_matched)
    : options_(options), on_socket_matched_(std::move(on_socket_matched)) {}

Outcome Matchmaker::Request(const Seeker& s, int64_t now_ms, bool may_pair) {
  Outcome out;
  // A match made while this HTTP user waited is answered first, once.
  if (auto it = delivered_later_.find(s.user_id); it != delivered_later_.end()) {
    const bool live = it->second.expires_ms > now_ms;
    Pairing p = std::move(it->second.pairing);
    delivered_later_.erase(it);
    if (live) {
      out.kind = Outcome::Kind::kMatched;
      out.pairing = std::move(p);
      out.delivered_later = true;
      return out;
    }
  }
  if (auto it = by_user_.find(s.user_id); it != by_user_.end()) {
    Entry& e = entries_.at(it->second);
    if (e.expires_ms > now_ms && e.seeker.filters == s.filters &&
        e.seeker.device_id == s.device_id && e.seeker.endpoint == s.endpoint) {
      // Waiting entries are never compatible with each other (the later one would have
      // matched the earlier), so a refresh cannot find a partner: keep the place in line.
      if (!s.endpoint.is_socket()) {
        e.expires_ms = now_ms + options_.ttl_ms;
        expiry_.emplace_back(it->second, e.expires_ms);
      }
      e.seeker.user_name = s.user_name;
      out.queue_key = QueueKey(s.filters);
      return out;
    }
    Remove(it->second);  // expired, or asking with other filters: start over
  }
  if (uint64_t partner = FindPartner(s, now_ms); partner != 0) {
    if (!may_pair) {
      out.kind = Outcome::Kind::kRejected;
      out.status = Status(ErrorCode::kPairLimit,
                          "The server has reached its limit of live chats; try again later.");
      return out;
    }
    Seeker waiting = entries_.at(partner).seeker;
    Remove(partner);
    const std::string session = "chat:" + waiting.user_id + ":" + s.user_id;
    out.kind = Outcome::Kind::kMatched;
    out.pairing = Pairing{session, waiting.user_id, waiting.user_name};
    Pairing theirs{session, s.user_id, s.user_name};
    if (waiting.endpoint.is_socket()) {
      on_socket_matched_(waiting, theirs);
    } else {
      const int64_t expires = now_ms + options_.ttl_ms;
      later_expiry_.emplace_back(waiting.user_id, expires);
      delivered_later_[waiting.user_id] = Later{std::move(theirs), expires};
    }
    return out;
  }
  if (entries_.size() >= options_.max_queue) {
    out.kind = Outcome::Kind::kRejected;
    out.status = Status(ErrorCode::kQueueFull,
                        "Too many people are waiting for a partner; try again shortly.");
    return out;
  }
  Insert(s, now_ms);
  out.queue_key = QueueKey(s.filters);
  return out;
}

uint64_t Matchmaker::FindPartner(const Seeker& s, int64_t now_ms) {
  int set_mask = 0;
  for (int i = 0; i < 3; ++i) {
    if (!Field(s.filters, i).empty()) set_mask |= 1 << i;
  }
  static const std::string kEmpty;
  uint64_t best = 0;
  // Every subset `same` of the requester's filters: entries whose value equals the
  // requester's on `same` and is missing on the rest of set_mask.
  for (int same = set_mask;; same = (same - 1) & set_mask) {
    const std::string* values[3];
    for (int i = 0; i < 3; ++i) values[i] = (same & (1 << i)) ? &Field(s.filters, i) : &kEmpty;
    auto it = index_.find(IndexKey(set_mask, values));
    if (it != index_.end()) {
      std::deque<uint64_t>& q = it->second;
      for (size_t i = 0; i < q.size();) {
        auto e = entries_.find(q[i]);
        const bool dead = e == entries_.end() || e->second.expires_ms <= now_ms;
        if (dead && i == 0) {
          q.pop_front();  // stale or expired at the head: drop it for good
          --index_items_;
          continue;
        }
        if (!dead && (best == 0 || q[i] < best) && e->second.seeker.user_id != s.user_id &&
            (s.device_id.empty() || e->second.seeker.device_id != s.device_id)) {
          best = q[i];
          break;
        }
        if (best != 0 && q[i] > best) break;  // nothing older left in this list
        ++i;
      }
      if (q.empty()) index_.erase(it);
    }
    if (same == 0) break;
  }
  return best;
}

void Matchmaker::Insert(const Seeker& s, int64_t now_ms) {
  const uint64_t serial = next_serial_++;
  const int64_t expires = s.endpoint.is_socket() ? kNever : now_ms + options_.ttl_ms;
  const std::string* values[3] = {&s.filters.emotion, &s.filters.language, &s.filters.mode};
  for (int mask = 0; mask < 8; ++mask) index_[IndexKey(mask, values)].push_back(serial);
  index_items_ += 8;
  if (expires != kNever) expiry_.emplace_back(serial, expires);
  by_user_[s.user_id] = serial;
  entries_.emplace(serial, Entry{s, expires});
}

void Matchmaker::Remove(uint64_t serial) {
  auto it = entries_.find(serial);
  if (it == entries_.end()) return;
  by_user_.erase(it->second.seeker.user_id);
  entries_.erase(it);  // its index and expiry items are now stale everywhere at once
}

void Matchmaker::Cancel(const std::string& user_id) {
  if (auto it = by_user_.find(user_id); it != by_user_.end()) Remove(it->second);
  delivered_later_.erase(user_id);
}

void Matchmaker::Expire(int64_t now_ms) {
  while (!expiry_.empty() && expiry_.front().second <= now_ms) {
    auto [serial, expires] = expiry_.front();
    expiry_.pop_front();
    auto it = entries_.find(serial);
    if (it != entries_.end() && it->second.expires_ms == expires) Remove(serial);
  }
  while (!later_expiry_.empty() && later_expiry_.front().second <= now_ms) {
    auto it = delivered_later_.find(later_expiry_.front().first);
    if (it != delivered_later_.end() && it->second.expires_ms == later_expiry_.front().second) {
      delivered_later_.erase(it);
    }
    later_expiry_.pop_front();
  }
  CompactIfSparse();
}

// Index lists only shed stale serials at their heads; after heavy churn most items can be
// stale, so memory would follow the traffic rather than the queue. Rebuild then.
void Matchmaker::CompactIfSparse() {
  if (index_items_ <= 8 * entries_.size() * 2 + 4096) return;
  for (auto it = index_.begin(); it != index_.end();) {
    std::deque<uint64_t>& q = it->second;
    std::erase_if(q, [this](uint64_t s) { return entries_.count(s) == 0; });
    if (q.empty()) {
      it = index_.erase(it);
    } else {
      ++it;
    }
  }
  index_items_ = 8 * entries_.size();
}

}  // namespace parley::match
