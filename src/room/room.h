// Room: one chat room's state and rules (a Durable Object's job in the seeds).
//
// A plain class with no I/O and no threads: its effects (frames, store writes and reads)
// go out through RoomEffects, and their results come back through the On* methods, so a
// test drives it synchronously with a fake. In the server each Room lives on its home shard
// and only that thread touches it (chat_service.h), which is why nothing here locks.
//
// Guarantees kept here (docs/architecture.md, "Guarantees"):
// - A message is published (delivered, acknowledged, kept for joiners) only once the store
//   says it is durable, so no client ever sees a seq that a crash could take back.
// - seq is assigned in order; after a failed write the room rewinds to the last durable seq
//   and fails the messages behind it, so the history never has a gap.
// - A (username, clientId) seen within the dedupe window is acknowledged with the original
//   message instead of creating a second one, across restarts (the store keeps client ids).
// - A join with `since` gets exactly the messages after it, then live ones.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
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

// What a request from outside the room (the HTTP API) gets back: the message it created or
// changed. Sent through RoomEffects::Answer.
struct RoomAnswer {
  StoredMessage message{};
  bool added = false;      // a reaction: true when the toggle added it, false when it removed it
  bool duplicate = false;  // a post: its clientId was seen before; `message` is the original
};

class RoomEffects {
 public:
  virtual ~RoomEffects() = default;
  // Subscribes `to` to `room`'s deliveries on its shard, then sends it `frames` in order.
  // Deliveries made after this call reach it after these frames.
  virtual void Welcome(const MemberRef& to, const std::string& room,
                       std::vector<SharedFrame> frames) = 0;
  // Sends `frames` to one connection, in order, without subscribing it.
  virtual void Send(const MemberRef& to, std::vector<SharedFrame> frames) = 0;
  // Sends `frame` to every subscriber of `room` on `shard`. A droppable frame (typing,
  // presence) is the first thing a slow consumer's queue gives up.
  virtual void Deliver(int shard, const std::string& room, SharedFrame frame, bool droppable) = 0;
  // Hands a message to the store writer; the result comes back as Room::OnPersisted with
  // the same `epoch`.
  virtual void Persist(const StoredMessage& message, uint64_t epoch) = 0;
  // Hands a mutation to the store writer; the result comes back as Room::OnMutated(token).
  virtual void Mutate(Mutation mutation, uint64_t token) = 0;
  // Reads history from the store; the result comes back as Room::OnRead(token).
  virtual void Read(HistoryQuery query, uint64_t token) = 0;
  // Answers the outside request `waiter` (Room::PostAs, Room::ReactAs). Called once per
  // waiter.
  virtual void Answer(uint64_t waiter, Result<RoomAnswer> answer) = 0;
};

struct RoomOptions {
  int shard_count = 1;
  int join_messages = 50;              // history sent on a join without `since`
  int ring_size = 256;                 // recent published messages kept in memory
  int max_replay = 1000;               // a `since` further back than this is not recovered
  int64_t dedupe_window_ms = 600'000;  // a clientId is remembered this long...
  int dedupe_max_entries = 10000;      // ...or until this many newer ones push it out
};

// What a message post asks for, validated by the caller.
struct PostRequest {
  std::string text{};
  std::string client_id{};  // empty: no acknowledgement and no dedupe (the seed 004 form)
  std::string reply_to{};
  std::string image_url{};
};

class Room {
 public:
  Room(std::string name, const RoomOptions& options, const Clock& clock, RoomEffects& effects);

  const std::string& name() const { return name_; }

  // Resumes from what the store holds. Called once, before any other operation.
  void Restore(RoomTail tail);

  // Adds a member. Without `native`, the seed 004 welcome: the last join_messages messages
  // and the presence snapshot. With it: a `joined` frame, then either the messages after
  // `since` (one chat frame each) or, without since or when it cannot be recovered, a
  // history page; then the presence snapshot. Every other member gets user_joined.
  void Join(const MemberRef& who, std::string username, bool native, std::optional<int64_t> since);
  // Adds a seed 003 member (join-room): `user_name` is its username in the room, `user_id`
  // is what seed 003 members see as its userId. It is answered with joined-room; other seed
  // 003 members get user-joined, the rest user_joined. It receives new-message frames and,
  // for each of its posts with a clientId, message-sent once durable.
  void JoinSeed003(const MemberRef& who, std::string user_id, std::string user_name);
  // Removes a member; the others get user_left. Unknown members are ignored.
  void Leave(const MemberRef& who);
  // Sequences a message from a member; it is published once durable. Returns the seq, or 0
  // when nothing new was created (not a member, or a retried clientId).
  int64_t Post(const MemberRef& from, PostRequest request);
  // A post from outside the room (POST /api/messages) by `username`, who need not be a
  // member: sequenced, stored, published and deduplicated exactly like a member's post (the
  // same (username, clientId) window), and answered through RoomEffects::Answer(waiter) with
  // the stored message once it is durable, with the original for a retried clientId, or
  // with unavailable when the store fails. REQUIRES: waiter != 0.
  void PostAs(std::string username, PostRequest request, uint64_t waiter);
  // A reaction toggled from outside the room by `username`: stored and broadcast like a
  // member's, answered through Answer(waiter) with the message after the change or the
  // store's refusal (not_found for a message that is not in this room). REQUIRES: waiter != 0.
  void ReactAs(std::string username, std::string message_id, std::string emoji, uint64_t waiter);
  // Sequences a message authored by parley itself under `username` (the assistant, "ai"),
  // not by a member; published once durable like any other. A failed write is only
  // logged (nobody to tell). Returns the seq.
  int64_t PostOwn(std::string username, std::string text);
  // Sends `frame` to every member but the seed 003 ones and `seed003_frame` to those,
  // unstored and droppable (a live preview such as the assistant's streamed answer).
  void Relay(const SharedFrame& frame, const SharedFrame& seed003_frame);
  void Typing(const MemberRef& from, bool active);
  void Edit(const MemberRef& from, std::string message_id, std::string text, std::string ref);
  void Delete(const MemberRef& from, std::string message_id, std::string ref);
  void React(const MemberRef& from, std::string message_id, std::string emoji, std::string ref);
  void MarkRead(const MemberRef& from, int64_t seq, std::string ref);
  // A page of history for a member: before = 0 means the newest.
  void History(const MemberRef& from, int64_t before, int limit, std::string ref);

  // Results of effects.
  void OnPersisted(int64_t seq, uint64_t epoch, const Status& status);
  void OnMutated(uint64_t token, Result<MutationResult> result);
  void OnRead(uint64_t token, Result<std::vector<StoredMessage>> result);

  // Distinct usernames in join order, and the number of connected sockets.
  std::vector<std::string> Usernames() const;
  int connection_count() const { return static_cast<int>(members_.size()); }
  int64_t last_seq() const { return last_seq_; }
  int64_t durable_seq() const { return durable_seq_; }
  // No members and nothing waiting for the store: safe to unload.
  bool idle() const { return members_.empty() && unpublished_.empty() && jobs_.empty(); }

  // The page of history that GET /api/history asks for, from memory, or nullopt when the
  // ring does not hold all of it. before = 0 means the newest.
  std::optional<std::vector<StoredMessage>> RecentHistory(int64_t before, int limit) const;

 private:
  struct Member {
    MemberRef ref;
    std::string username;
    bool native = false;
    bool welcomed = false;  // subscribed; false while a `since` replay is read from the store
    bool seed003 = false;   // subscribed under Seed003Topic(room), gets seed 003 frames
    std::string user_id{};  // seed 003 members: the join's userId
  };
  struct Unpublished {
    StoredMessage message;
    MemberRef sender;
    std::vector<MemberRef> ack_to;  // the sender (when it gave a clientId), and retries
    uint64_t sender_waiter = 0;     // an outside post (PostAs): whom to answer; 0 = a member's
    std::vector<uint64_t> retry_waiters{};  // outside retries of the same clientId
  };
  // Who posts: a member, or an outside request (waiter != 0, `member` unused).
  struct Poster {
    MemberRef member{};
    uint64_t waiter = 0;
  };
  struct DedupeEntry {
    std::string id;
    int64_t seq = 0;
    int64_t timestamp_ms = 0;
  };
  // An effect whose result the room waits for.
  struct Job {
    enum class Kind { kMutation, kReplay, kHistory, kLookup } kind;
    MemberRef who;
    std::string ref{};       // echoed in errors
    std::string emoji{};     // reaction: what was toggled
    std::string username{};  // reaction/read: who did it
    int64_t since = 0;       // replay: the last seq the member has
    bool announced = false;  // replay: `joined` and part of the replay are already sent
    int64_t before = 0;      // history: the page's upper bound
    int limit = 0;           // history: the page size asked for
    uint64_t waiter = 0;     // an outside request to answer (mutation, lookup); 0 = a member
  };

  Member* FindMember(const MemberRef& who);
  // To every member but the seed 003 ones.
  void Broadcast(const SharedFrame& frame, bool droppable = false);
  // To every seed 003 member (a frame in their vocabulary).
  void BroadcastSeed003(const SharedFrame& frame, bool droppable = false);
  // The userId seed 003 members see for `m`.
  static const std::string& UserIdOf(const Member& m) { return m.seed003 ? m.user_id : m.username; }
  void SendTo(const MemberRef& to, std::string json);
  void SendError(const MemberRef& to, ErrorCode code, std::string_view message,
                 std::string_view ref);
  std::vector<StoredMessage> Tail(int count) const;
  void Publish(Unpublished& u);
  // Sequences a post by `username`; see Post and PostAs.
  int64_t Sequence(const Poster& from, const std::string& username, PostRequest request);
  // Answers an outside retry of the durable message `entry`: from the ring, or read back.
  void AnswerRetry(uint64_t waiter, const DedupeEntry& entry);
  // The read back of a kLookup job: answers its waiter with the message at seq job.before.
  void FinishLookup(const Job& job, Result<std::vector<StoredMessage>> result);
  void Remember(const std::string& username, const std::string& client_id,
                const DedupeEntry& entry);
  void ForgetExpiredClientIds();
  void FinishReplay(Member& m, int64_t since, std::vector<StoredMessage> page, bool announced);
  std::vector<SharedFrame> LatestPage() const;
  std::vector<ReadMarker> Reads() const;
  void WelcomeNative(Member& m, const bool* recovered, std::vector<SharedFrame> body);
  void StartMutation(const MemberRef& from, Mutation mutation, std::string ref,
                     std::string emoji = {});
  // Hands `mutation` (by job.username) to the store; OnMutated finishes `job`.
  void RunMutation(Job job, Mutation mutation);
  uint64_t AddJob(Job job);
  void ReplaceInRing(const StoredMessage& m);

  const std::string name_;
  const RoomOptions options_;
  const Clock& clock_;
  RoomEffects& effects_;
  std::vector<Member> members_;
  std::vector<int> subscribers_per_shard_;          // members but seed 003 ones
  std::vector<int> seed003_subscribers_per_shard_;  // seed 003 members
  int seed003_members_ = 0;
  std::deque<StoredMessage> ring_;       // published messages, oldest first
  std::deque<Unpublished> unpublished_;  // sequenced, waiting for the store, in seq order
  // (username + '\n' + clientId) -> the message it created; and the keys oldest first.
  std::unordered_map<std::string, DedupeEntry> dedupe_;
  std::deque<std::string> dedupe_order_;
  std::unordered_map<std::string, int64_t> read_markers_;  // username -> seq
  std::unordered_map<uint64_t, Job> jobs_;
  uint64_t next_token_ = 1;
  uint64_t epoch_ = 0;       // bumped when a failed write rewinds the sequence
  int64_t last_seq_ = 0;     // the last seq handed out
  int64_t durable_seq_ = 0;  // the last seq published
};

// The hub topic seed 003 members of `room` subscribe under: they get frames of their own
// vocabulary, encoded once for all of them.
std::string Seed003Topic(const std::string& room);

// A process-unique, opaque message id: hex of the timestamp and a counter.
std::string NewMessageId(int64_t timestamp_ms);

}  // namespace parley::room
