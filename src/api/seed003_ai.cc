#include "api/seed003_ai.h"

#include "net/shard.h"
#include "protocol/seed003_json.h"

namespace parley::api {
namespace {

class SocketAiReply final : public AiReply {
 public:
  SocketAiReply(net::Shard& shard, uint64_t conn_id, bool stream, const Clock& clock,
                std::shared_ptr<std::atomic<bool>> busy)
      : shard_(shard), conn_id_(conn_id), stream_(stream), clock_(clock), busy_(std::move(busy)) {
    busy_->store(true);
  }
  // An answer that never reached Done or Failed (the socket closed) frees the socket here;
  // one that did must not clear a newer question's flag.
  ~SocketAiReply() override {
    if (!ended_) busy_->store(false);
  }

  bool Alive() override {
    net::Connection* c = shard_.FindConnection(conn_id_);
    return c != nullptr && c->is_open();
  }
  void Token(std::string_view text) override { Client().SendText(EncodeAiStreamChunk(text)); }
  void Done(const std::string& answer, const std::string& model,
            const std::string& conversation_id) override {
    // Cleared before the last frame, so a client may ask again as soon as it has it.
    End();
    if (stream_) {
      Client().SendText(EncodeAiStreamEnd(model, conversation_id,
                                          static_cast<int64_t>(answer.size()), clock_.NowMs()));
    } else {
      Client().SendText(EncodeAiResponse(answer, model, conversation_id, clock_.NowMs()));
    }
  }
  void Failed(const Status& st) override {
    End();
    Client().SendText(EncodeSeed003Error(st.wire_name(), st.message(), clock_.NowMs()));
  }

 private:
  void End() {
    ended_ = true;
    busy_->store(false);
  }
  // REQUIRES: Alive() (the exchange asks before every other call).
  net::Connection& Client() { return *shard_.FindConnection(conn_id_); }

  net::Shard& shard_;
  const uint64_t conn_id_;
  const bool stream_;
  const Clock& clock_;
  std::shared_ptr<std::atomic<bool>> busy_;
  bool ended_ = false;
};

}  // namespace

std::unique_ptr<AiReply> MakeSocketAiReply(net::Shard& shard, uint64_t conn_id, bool stream,
                                           const Clock& clock,
                                           std::shared_ptr<std::atomic<bool>> busy) {
  return std::make_unique<SocketAiReply>(shard, conn_id, stream, clock, std::move(busy));
}

}  // namespace parley::api
