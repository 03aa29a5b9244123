// Seed003Socket: seed 003's JSON socket (GET /ws, first frame of its vocabulary): join-room,
// leave-room and send-message in parley's rooms, the visitor messages, and ai-chat /
// ai-stream answered by the AI assistant (seed003_ai.h; one question at a time, each
// taking an "ai" rate token per socket, per userId of its first join-room and per IP
// address). The author of a message is the userId
// and userName given when the socket joined the room, never fields of the message. Visitors
// added over the socket are removed when it closes. Lives on its connection's shard thread,
// owned by the connection.
//
// JsonWsSocket: /ws without username and room. Seed 001 (auth, search, ...) and seed 003
// (join-room, send-message, ...) share that path and have no type in common, so the first
// text frame decides: a seed 003 type makes the socket a Seed003Socket for good; anything
// else leaves it the seed 001 SearchSocket it started as (which owns the auth deadline).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "api/seed003_settings.h"
#include "guard/rate_limiter.h"
#include "net/connection.h"

namespace parley::api {

class Seed003Socket final : public net::WsHandler {
 public:
  explicit Seed003Socket(const Seed003Settings& settings);

  void OnOpen(net::Connection& c) override;
  void OnMessage(net::Connection& c, ws::Opcode op, std::string_view payload) override;
  void OnClosed(net::Connection& c) override;

 private:
  void Fail(net::Connection& c, ErrorCode code, std::string_view message);
  void JoinRoom(net::Connection& c, Seed003Request& r);
  void SendMessage(net::Connection& c, Seed003Request& r);
  void VisitorJoined(net::Connection& c, Seed003Request& r);
  void VisitorLeft(net::Connection& c, Seed003Request& r);
  void VisitorActivity(net::Connection& c, Seed003Request& r);
  void DomainStats(net::Connection& c, Seed003Request& r);
  // ai-chat (`stream` false) or ai-stream; `payload` is the frame, read as an AI question.
  void Ai(net::Connection& c, std::string_view payload, bool stream);
  // Runs `fn(conn)` on this socket's shard if the connection is still open (callbacks
  // from the visitor service; the connection owns `this`).
  template <typename Fn>
  auto IfOpen(Fn fn);

  const Seed003Settings& settings_;
  const std::string client_id_prefix_;  // random per socket: message ids for acks
  uint64_t next_client_id_ = 0;
  std::unordered_set<std::string> rooms_;
  std::vector<std::pair<std::string, std::string>> visitors_;  // (domain, visitor id)
  std::string user_id_;  // the userId of the first join-room: its per-user rate bucket
  guard::ConnectionBuckets buckets_;
  // Set while an AI answer is under way (cleared by its reply, maybe on a store thread).
  std::shared_ptr<std::atomic<bool>> ai_busy_ = std::make_shared<std::atomic<bool>>(false);
  net::Shard* shard_ = nullptr;
  uint64_t conn_id_ = 0;
};

class JsonWsSocket final : public net::WsHandler {
 public:
  // `key_on_upgrade`: the upgrade carried a valid API key (the seed 001 side needs no auth
  // message then).
  JsonWsSocket(const Seed003Settings& settings, bool key_on_upgrade);

  void OnOpen(net::Connection& c) override;
  void OnMessage(net::Connection& c, ws::Opcode op, std::string_view payload) override;
  void OnClosed(net::Connection& c) override;

 private:
  const Seed003Settings& settings_;
  std::unique_ptr<net::WsHandler> inner_;
  bool decided_ = false;
};

}  // namespace parley::api
