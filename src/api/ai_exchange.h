// AiExchange: one question to the AI provider and its answer, delivered to an AiReply (an
// HTTP response, a seed 003 socket, a room).
//
// Life: load the conversation (store reader) -> call the provider (net::StartOutbound on the
// asker's shard) -> relay or collect the answer -> store the new turns (store writer) ->
// answer. Every step after the first runs on that shard's thread; the reply says at each
// event whether anybody still waits (an HTTP client or socket that went away cancels the
// provider call at the next event). Owned by the callbacks of the step in flight
// (shared_ptr); the provider call is referenced weakly, so nothing cycles.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ai/ai_json.h"
#include "ai/sse_parser.h"
#include "api/ai_routes.h"
#include "net/http_client.h"

namespace parley::net {
class Shard;
}

namespace parley::api {

// Where an answer goes. Every method runs on the exchange's shard thread, in this order:
// Alive at any event; Started once when a streamed answer is accepted by the provider;
// Token per piece of a streamed answer (only the new text); then exactly one of Done or
// Failed. Owned by its exchange.
class AiReply {
 public:
  virtual ~AiReply() = default;
  // False when nobody waits for the answer any more: the provider call is cancelled.
  virtual bool Alive() = 0;
  virtual void Started() {}
  virtual void Token(std::string_view text) = 0;
  // The whole answer (also after a stream, whose tokens were already delivered).
  virtual void Done(const std::string& answer, const std::string& model,
                    const std::string& conversation_id) = 0;
  virtual void Failed(const Status& st) = 0;
};

class AiExchange : public std::enable_shared_from_this<AiExchange> {
 public:
  // REQUIRES: on `shard`'s thread.
  AiExchange(const AiSettings& settings, net::Shard& shard, ai::Ask ask, std::string model,
             bool stream, std::unique_ptr<AiReply> reply);
  ~AiExchange();

  // Starts the exchange.
  void Start();

  // Exchanges alive in the process (ai.max_inflight bounds them). Any thread.
  static int InFlight();

 private:
  void LoadedHistory(Result<std::vector<ConversationTurn>> history);
  void CallProvider(const std::vector<ConversationTurn>& history);
  void OnHead(int status);
  bool OnBody(std::string_view bytes);
  bool OnStreamEvent(const ai::SseEvent& e);
  void OnEnd(const net::OutboundEnd& end);
  // The provider's answer is complete: store the turns, then answer.
  void Answered();
  void Finish();
  // Ends the exchange with an error.
  void Fail(const Status& st);
  // Whether somebody still waits; cancels the provider call when not.
  bool Alive();

  const AiSettings& settings_;
  net::Shard& shard_;
  const ai::Ask ask_;
  const std::string model_;
  const bool stream_;
  std::unique_ptr<AiReply> reply_;

  std::weak_ptr<net::OutboundCall> call_;
  int provider_status_ = 0;
  bool provider_done_ = false;  // [DONE] seen
  bool finished_ = false;
  std::string body_;    // non-streamed answer or an error body, bounded
  std::string answer_;  // the assistant's text so far
  ai::SseParser sse_;
  Status failure_;  // a stream event that could not be read
};

// One HTTP request's answer: JSON, or server-sent events once the provider accepted a
// streamed question (a refusal before that is still a plain HTTP error). Lives on the
// connection's shard; holds only the connection's id.
std::unique_ptr<AiReply> MakeHttpAiReply(net::Shard& shard, uint64_t conn_id, bool stream);

}  // namespace parley::api
