// AiExchange: one question to the AI provider and its answer, for one HTTP request.
//
// Life: load the conversation (store reader) -> call the provider (net::StartOutbound on the
// connection's shard) -> relay or collect the answer -> store the new turns (store writer)
// -> answer the client. Every step after the first runs on the connection's shard thread;
// the exchange holds only the connection's id and looks it up each time, so a client that
// went away cancels the provider call at the next event. Owned by the callbacks of the step
// in flight (shared_ptr); the provider call is referenced weakly, so nothing cycles.
#pragma once

#include <memory>
#include <string>

#include "ai/ai_json.h"
#include "ai/sse_parser.h"
#include "api/ai_routes.h"
#include "net/http_client.h"

namespace parley::net {
class Shard;
}

namespace parley::api {

class AiExchange : public std::enable_shared_from_this<AiExchange> {
 public:
  // REQUIRES: on `shard`'s thread, the connection `conn_id` awaiting its answer.
  AiExchange(const AiSettings& settings, net::Shard& shard, uint64_t conn_id, ai::Ask ask,
             std::string model, bool stream);
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
  // The provider's answer is complete: store the turns, then answer the client.
  void Answered();
  void Finish();
  // Ends the exchange with an error (an HTTP error, or an error event on a stream).
  void Fail(const Status& st);
  // The client's connection, or nullptr when it is gone (the provider call is then cancelled).
  net::Connection* Client();

  const AiSettings& settings_;
  net::Shard& shard_;
  const uint64_t conn_id_;
  const ai::Ask ask_;
  const std::string model_;
  const bool stream_;

  std::weak_ptr<net::OutboundCall> call_;
  int provider_status_ = 0;
  bool streaming_to_client_ = false;  // the client's SSE head is sent
  bool provider_done_ = false;        // [DONE] seen
  bool finished_ = false;
  std::string body_;    // non-streamed answer or an error body, bounded
  std::string answer_;  // the assistant's text so far
  ai::SseParser sse_;
  Status failure_;  // a stream event that could not be read
};

}  // namespace parley::api
