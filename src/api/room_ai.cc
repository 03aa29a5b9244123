#include "api/room_ai.h"

#include <fmt/format.h>

#include <memory>

#include "api/ai_exchange.h"
#include "base/log.h"
#include "net/shard.h"
#include "protocol/json_writer.h"
#include "protocol/shared_frame.h"

namespace parley::api {
namespace {

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// The longest prefix of `text` of at most `max_bytes` bytes that ends on a UTF-8 boundary.
std::string CutUtf8(std::string text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text;
}

std::string DeltaFrame(const std::string& room, std::string_view text) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("ai_delta").Key("room").String(room);
  w.Key("text").String(text).EndObject();
  return out;
}

std::string Seed003ChunkFrame(const std::string& room, std::string_view text) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String("ai-stream-chunk").Key("roomId").String(room);
  w.Key("content").String(text).EndObject();
  return out;
}

std::string EndFrame(std::string_view type, std::string_view room_key, const std::string& room,
                     const Status& st) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String(type).Key(room_key).String(room);
  w.Key("error").String(st.wire_name()).Key("message").String(st.message()).EndObject();
  return out;
}

// An answer streamed into a room. Alive always: the room waits, whoever asked.
class RoomAiReply final : public AiReply {
 public:
  RoomAiReply(std::shared_ptr<RoomAi::BusyRooms> busy, room::ChatService& chat, std::string room,
              int max_message_bytes)
      : busy_(std::move(busy)),
        chat_(chat),
        room_(std::move(room)),
        max_bytes_(max_message_bytes) {}
  ~RoomAiReply() override {
    if (!ended_) busy_->Release(room_);
  }

  bool Alive() override { return true; }
  void Token(std::string_view text) override {
    chat_.Relay(room_, MakeTextFrame(DeltaFrame(room_, text)),
                MakeTextFrame(Seed003ChunkFrame(room_, text)));
  }
  void Done(const std::string& answer, const std::string&, const std::string&) override {
    if (answer.find_first_not_of(" \t\r\n") == std::string::npos) {
      return Failed(Status(ErrorCode::kAiProviderError, "The assistant gave an empty answer."));
    }
    End();
    chat_.PostOwn(room_, std::string(kAiUsername),
                  CutUtf8(answer, static_cast<size_t>(max_bytes_)));
  }
  void Failed(const Status& st) override {
    End();
    PARLEY_LOG_INFO("room_ai_failed room={} code={}", room_, st.wire_name());
    chat_.Relay(room_, MakeTextFrame(EndFrame("ai_end", "room", room_, st)),
                MakeTextFrame(EndFrame("ai-stream-end", "roomId", room_, st)));
  }

 private:
  void End() {
    ended_ = true;
    busy_->Release(room_);
  }

  std::shared_ptr<RoomAi::BusyRooms> busy_;
  room::ChatService& chat_;
  const std::string room_;
  const int max_bytes_;
  bool ended_ = false;
};

}  // namespace

bool MentionsAi(std::string_view text) {
  for (size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    if (at + 3 > text.size()) return false;
    if (Lower(text[at + 1]) != 'a' || Lower(text[at + 2]) != 'i') continue;
    const bool starts = at == 0 || !(IsWordChar(text[at - 1]) || text[at - 1] == '.');
    const bool ends = at + 3 == text.size() || !IsWordChar(text[at + 3]);
    if (starts && ends) return true;
  }
  return false;
}

RoomAiRefusal RoomAi::Ask(const std::string& room, std::string_view text,
                          const guard::RateKeys& keys) {
  if (!settings_.configured) {
    return {Status(ErrorCode::kAiNotConfigured,
                   "The AI assistant is not configured on this server, so @ai gets no answer.")};
  }
  if (static_cast<int>(text.size()) > settings_.rules.max_prompt_bytes) {
    return {Status(ErrorCode::kMessageTooLarge,
                   fmt::format("Questions to @ai are at most {} bytes (ai.max_prompt_bytes).",
                               settings_.rules.max_prompt_bytes))};
  }
  if (AiExchange::InFlight() >= settings_.max_inflight) {
    return {Status(ErrorCode::kUnavailable, "Too many AI requests are in progress; try again.")};
  }
  if (!busy_->Claim(room)) {
    return {Status(ErrorCode::kAiBusy,
                   "The assistant is still answering in this room; ask again after it.")};
  }
  if (const int64_t wait = TakeAiToken(settings_, keys); wait > 0) {
    busy_->Release(room);
    return {
        Status(ErrorCode::kRateLimited, fmt::format("Too many AI requests; retry in {} ms.", wait)),
        wait};
  }
  auto exchange = std::make_shared<AiExchange>(
      settings_, *net::Shard::Current(), ai::Ask{.message = std::string(text)}, settings_.model,
      /*stream=*/true, std::make_unique<RoomAiReply>(busy_, chat_, room, max_message_bytes_));
  exchange->Start();
  return {};
}

bool RoomAi::BusyRooms::Claim(const std::string& room) {
  std::lock_guard lock(mu);
  return rooms.insert(room).second;
}

void RoomAi::BusyRooms::Release(const std::string& room) {
  std::lock_guard lock(mu);
  rooms.erase(room);
}

}  // namespace parley::api
