// Seed003Settings: what seed 003's routes and socket need, built once by app/ from
// [limits] and [visitors] and then only read (any shard thread).
#pragma once

#include <string>

#include "api/match_settings.h"
#include "api/seed003_request.h"
#include "base/clock.h"
#include "room/chat_service.h"
#include "visitor/visitor_service.h"

namespace parley::api {

struct Seed003Settings {
  room::ChatService* chat = nullptr;
  visitor::VisitorService* visitors = nullptr;
  // The seed 001 socket that shares /ws (the first frame decides); nullptr: none.
  const MatchSettings* match = nullptr;
  const Clock* clock = nullptr;
  Seed003Limits limits;
  int max_rooms_per_socket = 100;    // overflow: error too_many_rooms; the socket stays
  int max_visitors_per_socket = 16;  // overflow: error visitor_limit; the socket stays
  std::string version;               // reported by GET / as JSON
};

}  // namespace parley::api
