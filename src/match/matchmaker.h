// Matchmaker: the waiting queue of the random 1:1 chat (seeds 000 and 001), and the rule
// that pairs two strangers.
//
// A plain class with no I/O, no threads and no clock of its own: every call carries "now"
// (milliseconds), so a test drives expiry exactly. In the server one Matchmaker lives on
// one home shard and only that thread touches it (match_service.h).
//
// Rules:
// - Two users are compatible when every filter (emotion, language, mode) is equal or
//   missing on either side: a missing filter matches any value.
// - A user is never matched with itself or with a user of the same deviceId.
// - Each user has at most one entry: asking again refreshes it (new filters replace it).
// - An HTTP entry expires exactly ttl_ms after its last request; a socket entry lives
//   until Cancel() (the socket is what keeps it alive).
// - The oldest compatible entry wins. A matched user is gone from every index at once.
// - A waiting HTTP user learns of its match on its next request (kept for ttl_ms); a
//   waiting socket user is told through MatchEffects at once.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/status.h"

namespace parley::match {

struct Filters {
  std::string emotion{};  // "" = any
  std::string language{};
  std::string mode{};
  bool operator==(const Filters&) const = default;
};

// Where a socket user hears about its match. HTTP users have none (shard < 0): they poll.
struct Endpoint {
  int shard = -1;
  uint64_t conn = 0;
  bool is_socket() const { return shard >= 0; }
  bool operator==(const Endpoint&) const = default;
};

struct Seeker {
  std::string user_id{};
  std::string user_name{};
  std::string device_id{};  // "" = unknown: only the user id is compared
  Filters filters{};
  Endpoint endpoint{};
};

struct Pairing {
  std::string session_id;  // "chat:<waiting user>:<requesting user>"
  std::string partner_id;
  std::string partner_name;
};

struct Outcome {
  enum class Kind { kWaiting, kMatched, kRejected };
  Kind kind = Kind::kWaiting;
  Pairing pairing;               // kMatched
  bool delivered_later = false;  // kMatched: made earlier, while this user waited
  std::string queue_key;         // kWaiting: "queue:emotion:<emotion>" (the filters used)
  Status status;                 // kRejected: queue_full or pair_limit
};

struct MatchmakerOptions {
  int64_t ttl_ms = 30000;
  size_t max_queue = 100000;
};

// The name of the queue a user with `f` waits in, as POST /api/match reports it.
std::string QueueKey(const Filters& f);

class Matchmaker {
 public:
  // Called when a waiting socket user is matched by someone else's request.
  using OnSocketMatched = std::function<void(const Seeker& waiting, const Pairing& pairing)>;

  Matchmaker(MatchmakerOptions options, OnSocketMatched on_socket_matched);

  // One request for a partner. `may_pair` false (the pair room limit is reached) turns a
  // match into a kRejected pair_limit; the requester keeps no entry then.
  Outcome Request(const Seeker& s, int64_t now_ms, bool may_pair = true);
  // Removes `user_id`'s entry and any match waiting for it to poll. Unknown ids are ignored.
  void Cancel(const std::string& user_id);
  // Releases every entry and undelivered match that expired by `now_ms`. Request() never
  // returns an expired partner whether or not this ran.
  void Expire(int64_t now_ms);

  size_t waiting() const { return entries_.size(); }
  size_t undelivered() const { return delivered_later_.size(); }
  bool is_waiting(const std::string& user_id) const { return by_user_.count(user_id) > 0; }

 private:
  struct Entry {
    Seeker seeker;
    int64_t expires_ms;  // INT64_MAX for socket entries
  };
  struct Later {
    Pairing pairing;
    int64_t expires_ms;
  };

  // The oldest live compatible entry for `s`, or 0.
  uint64_t FindPartner(const Seeker& s, int64_t now_ms);
  void Insert(const Seeker& s, int64_t now_ms);
  void Remove(uint64_t serial);
  void CompactIfSparse();

  const MatchmakerOptions options_;
  OnSocketMatched on_socket_matched_;
  uint64_t next_serial_ = 1;
  std::unordered_map<uint64_t, Entry> entries_;  // serial -> entry; serials grow with age
  std::unordered_map<std::string, uint64_t> by_user_;
  // Each entry is listed under 8 keys: every subset of its filters (see IndexKey). A key's
  // deque is oldest first; serials of removed entries are dropped lazily.
  std::unordered_map<std::string, std::deque<uint64_t>> index_;
  size_t index_items_ = 0;
  // (serial, expires_ms) in request order, so expiry pops from the front.
  std::deque<std::pair<uint64_t, int64_t>> expiry_;
  // Matches of HTTP users who have not polled since.
  std::unordered_map<std::string, Later> delivered_later_;
  std::deque<std::pair<std::string, int64_t>> later_expiry_;
};

}  // namespace parley::match
