#include "api/chat_socket.h"

#include "api/validation.h"
#include "protocol/chat_json.h"
#include "protocol/native_json.h"

namespace parley::api {

void ChatSocket::OnOpen(net::Connection& c) {
  user_ = username_;
  chat_.Join(c, room_, std::move(username_), /*native=*/false);
}

void ChatSocket::OnMessage(net::Connection& c, ws::Opcode op, std::string_view payload) {
  if (op != ws::Opcode::kText) {
    c.SendText(EncodeErrorFrame(Describe(ErrorCode::kBadRequest).wire_name,
                                "Send chat messages as text frames."));
    return;
  }
  Status st = ValidateMessage(payload, max_message_bytes_);
  if (!st.ok()) {
    // The connection stays: a rejected message is the sender's to fix.
    c.SendText(EncodeErrorFrame(st.wire_name(), st.message()));
    return;
  }
  if (limiter_ != nullptr) {
    const guard::RateDecision d = limiter_->Take(
        guard::Action::kMessage, {.connection = &buckets_, .user = user_, .ip = c.remote_ip()});
    if (!d.allowed()) {
      // The seed's error frame plus retryAfterMs; the message is dropped, the socket stays.
      c.SendText(EncodeErrorFrameRef(Describe(ErrorCode::kRateLimited).wire_name,
                                     "Too many messages; slow down.", {}, d.retry_after_ms));
      return;
    }
  }
  chat_.Post(c, room_, room::PostRequest{.text = std::string(payload)});
  if (room_ai_ == nullptr || !MentionsAi(payload)) return;
  // The message is posted either way; a refused question is the asker's to know.
  RoomAiRefusal no =
      room_ai_->Ask(room_, payload, {.connection = &buckets_, .user = user_, .ip = c.remote_ip()});
  if (!no.status.ok()) {
    c.SendText(EncodeErrorFrameRef(no.status.wire_name(), no.status.message(), {},
                                   no.retry_after_ms > 0 ? no.retry_after_ms : -1));
  }
}

void ChatSocket::OnClosed(net::Connection& c) { chat_.Leave(c, room_); }

}  // namespace parley::api
