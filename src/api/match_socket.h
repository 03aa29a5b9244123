// SearchSocket: the seed 001 (ChatMe) JSON socket on /ws without a username: auth,
// search, message, end_chat, ping (and cancel). Each socket is one anonymous user with a
// random id (the partnerId its partner sees). Lives on its connection's shard thread,
// owned by the connection.
//
// States: not authenticated (only auth is accepted while API keys are configured and the
// upgrade carried none; the socket is closed after auth_timeout_s) -> idle -> searching -> matched
// -> idle ...
#pragma once

#include <string>

#include "api/match_settings.h"
#include "net/connection.h"
#include "net/timer_wheel.h"

namespace parley::api {

class SearchSocket final : public net::WsHandler,
                           public match::MatchSocket,
                           private net::TimerNode {
 public:
  // `key_on_upgrade`: the upgrade request already carried a valid API key (Bearer or
  // ?apiKey=), so no auth message is needed.
  SearchSocket(const MatchSettings& settings, bool key_on_upgrade);

  void OnOpen(net::Connection& c) override;
  void OnMessage(net::Connection& c, ws::Opcode op, std::string_view payload) override;
  void OnClosed(net::Connection& c) override;

  const std::string& session() const override { return session_; }
  void OnPairFrame(net::Connection& c, const SharedFrame& frame, bool ends) override;
  bool OnMatched(net::Connection& c, const match::Pairing& pairing) override;

 private:
  enum class State { kIdle, kSearching, kMatched };
  void OnTimeout() override;  // the auth deadline
  void Search(net::Connection& c, const match::Filters& filters);
  void StopSearching();
  void EndChat(net::Connection& c);
  void Fail(net::Connection& c, ErrorCode code, std::string_view message);

  const MatchSettings& settings_;
  const std::string user_id_;
  bool authed_;
  State state_ = State::kIdle;
  uint64_t search_gen_ = 0;  // answers to an older search are ignored
  std::string session_;
  net::Shard* shard_ = nullptr;
  uint64_t conn_id_ = 0;
  guard::ConnectionBuckets buckets_;
};

}  // namespace parley::api
