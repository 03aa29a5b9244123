// RoomAi: the assistant in chat rooms. A room message (native protocol, seed 004, seed 003
// send-message) that mentions "@ai" is also a question; the answer is streamed into the
// room and then stored as a message authored by "ai" (kAiUsername, which no user may take).
//
// Streaming design (docs/architecture.md): nothing is stored or broadcast whole per token.
// Each provider token becomes one small, droppable, unstored delta frame relayed to the
// room's live sockets (ChatService::Relay):
//   native / seed 004: {"type":"ai_delta","room":R,"text":"<new text>"}
//   seed 003:          {"type":"ai-stream-chunk","roomId":R,"content":"<new text>"}
// When the answer is whole it is posted once as an ordinary message from "ai"
// (ChatService::PostAs): stored, sequenced, in history, and delivered as the usual chat /
// new-message frame, which ends the preview. A failure after deltas ends it with
// {"type":"ai_end","room":R,"error":code,"message":...} (seed 003: "ai-stream-end" with
// "error" and "message"). A room has at most one answer under way; the stored text is cut
// at limits.max_message_bytes (on a UTF-8 boundary).
//
// Refusals go to the asker only, in its protocol (the caller encodes them): no provider
// (ai_not_configured), the "ai" rate rule per socket, user and IP (rate_limited with the
// wait), another answer under way in the room (ai_busy), ai.max_inflight (unavailable).
// The asker's own message is posted either way.
//
// Thread: Ask runs on the asker's shard, and the answer runs there too. The set of rooms
// with an answer under way is shared (a mutex) with the answers, which may outlive the
// RoomAi at shutdown. Outlives every socket (built by app/).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

#include "api/ai_routes.h"
#include "api/validation.h"
#include "room/chat_service.h"

namespace parley::api {

// True for a text that mentions "@ai" as a word (not "@aisha", not "mail@ai.example").
bool MentionsAi(std::string_view text);

struct RoomAiRefusal {
  Status status;
  int64_t retry_after_ms = 0;  // rate_limited only
};

class RoomAi {
 public:
  RoomAi(const AiSettings& settings, room::ChatService& chat, int max_message_bytes)
      : settings_(settings), chat_(chat), max_message_bytes_(max_message_bytes) {}

  // Starts the answer to `text` (which mentions @ai) in `room`; ok, or the refusal to
  // send the asker. `keys` are the asker's rate buckets.
  RoomAiRefusal Ask(const std::string& room, std::string_view text, const guard::RateKeys& keys);

  // The rooms with an answer under way. Any thread.
  struct BusyRooms {
    std::mutex mu;
    std::unordered_set<std::string> rooms;  // guarded by mu
    bool Claim(const std::string& room);
    void Release(const std::string& room);
  };

 private:
  const AiSettings& settings_;
  room::ChatService& chat_;
  const int max_message_bytes_;
  const std::shared_ptr<BusyRooms> busy_ = std::make_shared<BusyRooms>();
};

}  // namespace parley::api
