// Seed003Settings: what seed 003's routes and socket need, built once by app/ from
// [limits] and [visitors] and then only read (any shard thread).
#pragma once

#include <string>

#include "api/ai_routes.h"
#include "api/match_settings.h"
#include "api/room_ai.h"
#include "api/seed003_request.h"
#include "base/clock.h"
#include "room/chat_service.h"
#include "visitor/ip_domains.h"
#include "visitor/visitor_service.h"

namespace parley::api {

struct Seed003Settings {
  room::ChatService* chat = nullptr;
  visitor::VisitorService* visitors = nullptr;
  // The seed 001 socket that shares /ws (the first frame decides); nullptr: none.
  const MatchSettings* match = nullptr;
  const Clock* clock = nullptr;
  // ai-chat / ai-stream; nullptr answers them ai_not_configured.
  const AiSettings* ai = nullptr;
  // Answers @ai in rooms; nullptr: never.
  RoomAi* room_ai = nullptr;
  Seed003Limits limits;
  int max_rooms_per_socket = 100;    // overflow: error too_many_rooms; the socket stays
  int max_visitors_per_socket = 16;  // overflow: error visitor_limit; the socket stays
  // Domains per IP address for visitor adds (nullptr: no limit); loopback is exempt when
  // `exempt_loopback`.
  visitor::IpDomains* ip_domains = nullptr;
  bool exempt_loopback = true;
  std::string version;  // reported by GET / as JSON
};

}  // namespace parley::api
