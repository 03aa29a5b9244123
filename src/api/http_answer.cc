#include "api/http_answer.h"

#include <utility>

#include "protocol/chat_json.h"

namespace parley::api {

net::HttpResponse ErrorAnswer(const Status& st) {
  return net::HttpResponse{.status = Describe(st.code()).http_status,
                           .body = EncodeErrorBody(st.wire_name(), st.message()),
                           .cache_control = "no-store"};
}

net::HttpResponse ErrorAnswer(ErrorCode code, std::string_view message) {
  return ErrorAnswer(Status(code, std::string(message)));
}

net::HttpResponse JsonAnswer(std::string body) {
  return net::HttpResponse{.status = 200, .body = std::move(body), .cache_control = "no-store"};
}

}  // namespace parley::api
