// MatchSettings: what the random 1:1 chat's routes and sockets need, built once by app/
// from [match] and [auth] and then only read (any shard thread).
#pragma once

#include <string>

#include "match/match_json.h"
#include "match/match_service.h"
#include "match/ticket.h"

namespace parley::api {

struct MatchSettings {
  match::MatchService* service = nullptr;
  const match::TicketSigner* signer = nullptr;
  match::FieldRules rules;
  std::string web_api_key;     // "" = not set
  std::string mobile_api_key;  // "" = not set
  int auth_timeout_s = 10;
  std::string public_url;  // "" = wsUrl from the request's Host

  bool auth_required() const { return !web_api_key.empty() || !mobile_api_key.empty(); }
  // True when `key` equals a configured key (constant time), or when none is configured.
  bool AcceptsKey(std::string_view key) const;
};

}  // namespace parley::api
