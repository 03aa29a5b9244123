// MatchSettings: what the random 1:1 chat's routes and sockets need, built once by app/
// from [match] and [auth] and then only read (any shard thread).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "auth/authenticator.h"
#include "guard/rate_limiter.h"
#include "match/match_json.h"
#include "match/match_service.h"
#include "match/ticket.h"

namespace parley::api {

struct MatchSettings {
  match::MatchService* service = nullptr;
  const match::TicketSigner* signer = nullptr;
  match::FieldRules rules;
  const auth::Authenticator* auth = nullptr;  // API keys; null = every auth succeeds
  int auth_timeout_s = 10;
  std::string public_url;  // "" = wsUrl from the request's Host
  // Counts match requests and pair-chat messages; null = no rate limits.
  guard::RateLimiter* limiter = nullptr;
  // Makes the handler of an accepted /ws seed 001 upgrade (`key_on_upgrade`: the upgrade
  // carried a valid API key); empty = a plain SearchSocket. Seed 003's socket, which shares
  // /ws, sets it, so both go through the same checks.
  std::function<std::unique_ptr<net::WsHandler>(bool key_on_upgrade)> make_search_socket;

  // Takes a token of `action` (see guard::RateLimiter); 0 when allowed, otherwise the
  // milliseconds to wait.
  int64_t Throttle(guard::Action action, guard::ConnectionBuckets* buckets, std::string_view user,
                   std::string_view ip) const;
  bool auth_required() const { return auth != nullptr && auth->seed_socket_needs_key(); }
  // True when `key` is a known API key, or when no key is needed.
  bool AcceptsKey(std::string_view key) const {
    return !auth_required() || auth->FindKey(key).has_value();
  }
};

}  // namespace parley::api
