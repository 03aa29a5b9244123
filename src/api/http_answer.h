// The JSON answers every route file gives, built one way: errors carry the error table's
// HTTP status and `{error, message}`, and no answer of the API may be cached. Plain
// functions; AnswerLater's callback must run on the connection's shard thread.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "net/connection.h"
#include "net/http_response.h"
#include "net/shard.h"

namespace parley::api {

// The status's HTTP code and `{"error": wire name, "message": sentence}`, no-store.
net::HttpResponse ErrorAnswer(const Status& st);
net::HttpResponse ErrorAnswer(ErrorCode code, std::string_view message);
// 200 with `body` (JSON), no-store.
net::HttpResponse JsonAnswer(std::string body);

// Answers `c` later, from a callback that runs on `c`'s shard thread; by then the
// connection may be gone, and the answer is dropped.
inline auto AnswerLater(net::Connection& c) {
  return [shard = net::Shard::Current(), id = c.id()](net::HttpResponse r) {
    if (net::Connection* conn = shard->FindConnection(id)) conn->Respond(std::move(r));
  };
}

}  // namespace parley::api
