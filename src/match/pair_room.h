// PairRoom: the private chat of two matched strangers (seed 000's ChatRoom Durable
// Object; seed 001's matched pair).
//
// A plain class with no I/O: frames go out through PairEffects, so a test drives it
// synchronously. In the server each PairRoom lives on its home shard (a hash of its
// session id) and only that thread touches it (match_service.h).
//
// Rules:
// - At most two users: the two named by the match (the caller checks the ticket). A user
//   who joins again moves to the new socket; the old one is closed ("replaced").
// - A message goes to the partner only, as {"type":"message",...,"from"}; the last
//   `history` messages are kept and sent to a /chat joiner.
// - end_chat: the ender gets chat_ended, the partner partner_disconnected, and the chat is
//   over: /chat sockets are closed (1000 "chat_ended"), /ws sockets stay and may search
//   again. A /ws socket closing ends the chat the same way (seed 001). A /chat socket
//   closing does not: its partner gets partner_left, and the user may join again (with the
//   history) until the room goes idle (seed 000's clients reconnect on failure).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "match/match_json.h"
#include "match/matchmaker.h"
#include "protocol/shared_frame.h"

namespace parley::match {

// How a member's socket speaks: /chat (seed 000: history on join, closed when the chat
// ends) or /ws (seed 001: stays open after the chat).
enum class SocketKind { kPair, kSearch };

class PairEffects {
 public:
  virtual ~PairEffects() = default;
  // Sends `frame` to the socket at `to`, if it is still in `session`. `ends` tells it the
  // chat is over for it (a /chat socket closes after the frame).
  virtual void Send(const Endpoint& to, const std::string& session, SharedFrame frame,
                    bool ends) = 0;
  // Closes the socket at `to` (if still in `session`) with `code` and `reason`.
  virtual void Close(const Endpoint& to, const std::string& session, uint16_t code,
                     std::string_view reason) = 0;
};

struct PairOptions {
  int history = 20;
};

class PairRoom {
 public:
  PairRoom(std::string session_id, PairOptions options, const Clock& clock, PairEffects& effects);

  const std::string& session_id() const { return session_id_; }
  bool ended() const { return ended_; }
  int64_t last_activity_ms() const { return last_activity_ms_; }
  size_t history_size() const { return history_.size(); }

  // Adds `user_id`'s socket. A third distinct user is refused (not_matched). In a chat
  // that is over, the joiner is told partner_disconnected and let go.
  Status Join(const std::string& user_id, const Endpoint& at, SocketKind kind);
  // A chat message from `user_id` at `from`; ignored unless that is the member's socket.
  void Message(const std::string& user_id, const Endpoint& from, PairMessage m);
  // end_chat from `user_id` at `from`.
  void End(const std::string& user_id, const Endpoint& from);
  // `user_id`'s socket at `from` closed.
  void Leave(const std::string& user_id, const Endpoint& from);
  // Idle cleanup: closes every member socket (1000 "idle") and ends the chat.
  void CloseIdle();

 private:
  struct Member {
    std::string user_id;
    Endpoint at;  // shard < 0: not connected
    SocketKind kind = SocketKind::kPair;
  };
  Member* Find(const std::string& user_id);
  Member* Partner(const std::string& user_id);
  // Ends the chat: the ender (if any) gets chat_ended, everyone else partner_disconnected.
  void Finish(const std::string& ender);

  const std::string session_id_;
  const PairOptions options_;
  const Clock& clock_;
  PairEffects& effects_;
  std::vector<Member> members_;
  std::deque<PairMessage> history_;
  bool ended_ = false;
  int64_t last_activity_ms_;
};

}  // namespace parley::match
