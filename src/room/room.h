// Room: one chat room's state and rules (a Durable Object's job in the seeds).
//
// A plain class with no I/O and no threads: its effects (replies, deliveries, store
// appends) go out through RoomEffects, so a test drives it synchronously with a fake.
// In the server each Room lives on its home shard and only that thread touches it
// (chat_service.h), which is why nothing here locks.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "protocol/shared_frame.h"
#include "store/store.h"

namespace parley::room {

// One WebSocket in a room: the shard it lives on and its id there.
struct MemberRef {
  int shard = 0;
  uint64_t conn = 0;
  bool operator==(const MemberRef&) const = default;
};

class RoomEffects {
 public:
  virtual ~RoomEffects() = default;
  // Subscribes `to` to `room`'s deliveries on its shard, then sends it `frames` in order.
  // Deliveries made after this call reach it after these frames.
  virtual void Welcome(const MemberRef& to, const std::string& room,
                       std::vector<SharedFrame> frames) = 0;
  // Sends `frame` to every subscriber of `room` on `shard`.
  virtual void Deliver(int shard, const std::string& room, SharedFrame frame) = 0;
  // Hands a message to the store writer.
  virtual void Persist(const StoredMessage& message) = 0;
};

struct RoomOptions {
  int shard_count = 1;
  int join_messages = 50;  // history sent on join
  int ring_size = 256;     // recent messages kept in memory
};

class Room {
 public:
  Room(std::string name, const RoomOptions& options, const Clock& clock, RoomEffects& effects);

  const std::string& name() const { return name_; }

  // Resumes from what the store holds. Called once, before any other operation.
  void Restore(RoomTail tail);

  // Adds a member. The joiner gets the history and the presence snapshot; every other
  // member gets user_joined.
  void Join(const MemberRef& who, std::string username);
  // Removes a member; the others get user_left. Unknown members are ignored.
  void Leave(const MemberRef& who);
  // Appends a chat message from a member and delivers it to everyone, sender included.
  // REQUIRES: `text` is valid UTF-8 within the configured limits. Returns the message, or
  // nullopt when `from` is not a member.
  std::optional<StoredMessage> Post(const MemberRef& from, std::string text);
  // The store has made every message up to `seq` durable.
  void MarkDurable(int64_t seq);

  // Distinct usernames in join order, and the number of connected sockets.
  std::vector<std::string> Usernames() const;
  int connection_count() const { return static_cast<int>(members_.size()); }
  int64_t last_seq() const { return last_seq_; }
  int64_t durable_seq() const { return durable_seq_; }
  // No members and nothing waiting for the store: safe to unload.
  bool idle() const { return members_.empty() && durable_seq_ >= last_seq_; }

  // The page of history that GET /api/history asks for, from memory, or nullopt when the
  // ring does not hold all of it. before = 0 means the newest.
  std::optional<std::vector<StoredMessage>> RecentHistory(int64_t before, int limit) const;

 private:
  struct Member {
    MemberRef ref;
    std::string username;
  };
  void Broadcast(const SharedFrame& frame);
  std::vector<StoredMessage> Tail(int count) const;

  const std::string name_;
  const RoomOptions options_;
  const Clock& clock_;
  RoomEffects& effects_;
  std::vector<Member> members_;
  std::vector<int> subscribers_per_shard_;
  std::deque<StoredMessage> ring_;
  int64_t last_seq_ = 0;
  int64_t durable_seq_ = 0;
};

// A process-unique, opaque message id: hex of the timestamp and a counter.
std::string NewMessageId(int64_t timestamp_ms);

}  // namespace parley::room
