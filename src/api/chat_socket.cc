#include "api/chat_socket.h"

#include "api/validation.h"
#include "protocol/chat_json.h"

namespace parley::api {

void ChatSocket::OnOpen(net::Connection& c) {
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
  chat_.Post(c, room_, room::PostRequest{.text = std::string(payload)});
}

void ChatSocket::OnClosed(net::Connection& c) { chat_.Leave(c, room_); }

}  // namespace parley::api
