// ChatService: rooms as actors across shards. Each room has a home shard (a hash of its
// name); every operation on a room is posted to that shard and runs there, in order, so a
// room's state is only ever touched by one thread. Each shard also has a Hub for the
// rooms its own connections are in.
//
// Thread: every method is called on the caller's shard thread, and callbacks come back on
// that same thread. Rooms are loaded from the store on first use (without blocking a
// shard) and unloaded after idle_unload_s with no members and nothing unpersisted.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "net/connection.h"
#include "net/shard.h"
#include "room/room.h"
#include "store/store.h"

namespace parley::room {

struct ChatOptions {
  RoomOptions room;        // shard_count is filled in by ChatService
  int max_rooms = 10000;   // overflow: the joiner gets error room_limit and close 1013
  int idle_unload_s = 60;  // an empty, fully persisted room is unloaded after this
  // Writes that may wait for the store; past it a message is refused with unavailable.
  int64_t max_store_backlog = 100000;
};

// A live room as moderation lists it (GET /api/admin/rooms).
struct RoomSummary {
  std::string name;
  std::vector<std::string> users;  // distinct usernames of its members
  int connections = 0;             // member sockets
  int64_t last_seq = 0;            // the last durable message's seq
};

// An open connection as moderation lists it (GET /api/admin/connections).
struct ConnectionSummary {
  uint64_t id = 0;
  int shard = 0;
  std::string ip;
  std::string user;  // "" when the socket named none
  std::vector<std::string> rooms;
  bool websocket = false;
  int64_t opened_at_ms = 0;
};

class ChatService {
 public:
  using UsersDone = std::function<void(std::vector<std::string> users, int user_count)>;
  using HistoryDone = std::function<void(Result<std::vector<StoredMessage>>)>;
  using AnswerDone = std::function<void(Result<RoomAnswer>)>;

  ChatService(std::vector<net::Shard*> shards, Store& store, const Clock& clock,
              ChatOptions options);
  ~ChatService();

  // Installs the per-shard idle sweeper. Call once the shards run.
  void Start();

  // The WebSocket side: `c` is the caller's connection; the room answers it with frames.
  // `native` selects the native protocol's welcome (Room::Join); `since` resumes.
  void Join(net::Connection& c, const std::string& room, std::string username, bool native,
            std::optional<int64_t> since = std::nullopt);
  // Seed 003's join-room: see Room::JoinSeed003. Left with Leave like any other join.
  void JoinSeed003(net::Connection& c, const std::string& room, std::string user_id,
                   std::string user_name);
  void Leave(net::Connection& c, const std::string& room);
  void Post(net::Connection& c, const std::string& room, PostRequest request);
  void Typing(net::Connection& c, const std::string& room, bool active);
  void Edit(net::Connection& c, const std::string& room, std::string message_id, std::string text,
            std::string ref);
  void Delete(net::Connection& c, const std::string& room, std::string message_id, std::string ref);
  void React(net::Connection& c, const std::string& room, std::string message_id, std::string emoji,
             std::string ref);
  void MarkRead(net::Connection& c, const std::string& room, int64_t seq, std::string ref);
  void History(net::Connection& c, const std::string& room, int64_t before, int limit,
               std::string ref);

  // Parley's own voice in a room (the assistant), from any shard thread: Room::PostOwn
  // (the room is opened if needed) and Room::Relay (only to a live room).
  void PostOwn(const std::string& room, std::string username, std::string text);
  void Relay(const std::string& room, SharedFrame frame, SharedFrame seed003_frame);

  // The HTTP side: `done` runs on the caller's shard.
  void Users(const std::string& room, UsersDone done);
  // before = 0: no upper bound; after = 0: the newest page, else the page after `after`.
  void History(const std::string& room, int64_t before, int64_t after, int limit, HistoryDone done);
  void Search(SearchQuery query, HistoryDone done);
  // Posts and reactions from the HTTP API (Room::PostAs, Room::ReactAs): `username` is the
  // author, whom the caller has identified and allowed into `room`. The room is opened like
  // a join opens it; when it cannot be, `done` gets room_limit or unavailable, and past
  // max_store_backlog unavailable, without anything stored.
  void PostAs(const std::string& room, std::string username, PostRequest request, AnswerDone done);
  void ReactAs(const std::string& room, std::string username, std::string message_id,
               std::string emoji, AnswerDone done);

  // Moderation: asks every shard for its part and calls `done` on the caller's shard once
  // all have answered, sorted by name (rooms) or by shard and id (connections).
  void ListRooms(std::function<void(std::vector<RoomSummary>)> done);
  void ListConnections(std::function<void(std::vector<ConnectionSummary>)> done);

  int64_t live_rooms() const { return live_rooms_.load(std::memory_order_relaxed); }
  int home_shard(const std::string& room) const;

 private:
  class PerShard;
  PerShard& Local();
  // Past options_.max_store_backlog: answers `c` with unavailable (echoing `ref`), true.
  bool RefuseIfStoreBusy(net::Connection& c, std::string_view ref);
  // A join whose room could not be opened: error frame and close (room_limit/unavailable).
  void RefuseJoin(const MemberRef& who);
  // Runs `op` on `room` (opened as by a join) with a waiter that answers `done` on the
  // calling shard; refuses as PostAs says when the room cannot be opened.
  void OnRoomFor(const std::string& room, AnswerDone done,
                 std::function<void(Room*, uint64_t waiter)> op);
  // Runs `op` on `room`'s home shard once the room is loaded (nullptr: not live, or with
  // `create`, could not be opened).
  void OnRoom(const std::string& room, std::function<void(Room*)> op, bool create = false);

  std::vector<net::Shard*> shards_;
  Store& store_;
  const Clock& clock_;
  const ChatOptions options_;
  std::vector<std::unique_ptr<PerShard>> per_shard_;
  std::atomic<int64_t> live_rooms_{0};
};

}  // namespace parley::room
