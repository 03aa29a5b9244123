#include "api/match_pair_socket.h"

#include "protocol/chat_json.h"
#include "protocol/native_json.h"

namespace parley::api {

void PairSocket::OnOpen(net::Connection& c) {
  settings_.service->Register(c, this);
  settings_.service->Join(c, session_, user_id_, match::SocketKind::kPair);
}

void PairSocket::OnMessage(net::Connection& c, ws::Opcode op, std::string_view payload) {
  auto fail = [&c](ErrorCode code, std::string_view message) {
    c.SendText(EncodeErrorFrame(Describe(code).wire_name, message));
  };
  if (op != ws::Opcode::kText) return fail(ErrorCode::kBadRequest, "Send JSON frames as text.");
  auto frame = match::DecodeClientFrame(payload, settings_.rules);
  if (!frame.ok()) return fail(frame.status().code(), frame.status().message());
  if (ended_) return fail(ErrorCode::kNotMatched, "This chat has ended.");
  using Type = match::ClientFrame::Type;
  switch (frame->type) {
    case Type::kMessage:
      if (int64_t wait =
              settings_.Throttle(guard::Action::kMessage, &buckets_, user_id_, c.remote_ip());
          wait > 0) {
        return c.SendText(EncodeErrorFrameRef(Describe(ErrorCode::kRateLimited).wire_name,
                                              "Too many messages; slow down.", {}, wait));
      }
      return settings_.service->Message(
          c, session_, user_id_,
          match::PairMessage{.text = std::move(frame->text),
                             .image_url = std::move(frame->image_url)});
    case Type::kEndChat:
      return settings_.service->End(c, session_, user_id_);
    case Type::kPing:
      return c.SendText(match::EncodeTyped("pong"));
    default:
      return fail(
          ErrorCode::kBadRequest,
          "A pair room takes message, end_chat and ping; search on /ws or POST /api/match.");
  }
}

void PairSocket::OnPairFrame(net::Connection& c, const SharedFrame& frame, bool ends) {
  c.Send(frame);
  if (ends && !ended_) {
    ended_ = true;
    c.Close(1000, "chat_ended");
  }
}

void PairSocket::OnClosed(net::Connection& c) {
  settings_.service->Unregister(c);
  if (!ended_) settings_.service->Leave(c, session_, user_id_);
}

}  // namespace parley::api
