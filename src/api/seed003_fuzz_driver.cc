// The body of the seed 003 request fuzzer (tests/fuzz/libfuzzer_main.cc), shared with the test that
// replays its corpus (tests/fuzz/corpus_replay_test.cc). Aborts when a property breaks.
// Decodes `data` as a seed 003 frame and as both visitor bodies, and checks that what is
// accepted keeps every limit and that IsSeed003Frame agrees with the decoder.
#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "api/seed003_request.h"
#include "api/validation.h"
#include "fuzz_once.h"

namespace parley::api {
namespace {

[[noreturn]] void Broken(const char* property) {
  std::fprintf(stderr, "seed003 fuzz: property broken: %s\n", property);
  std::abort();
}

// Small limits, so that the fuzzer reaches every bound.
constexpr Seed003Limits kLimits{.max_field_chars = 8,
                                .max_room_chars = 8,
                                .max_message_bytes = 32,
                                .max_domain_chars = 12,
                                .max_visitor_data_bytes = 48};

void CheckVisitor(const Seed003Request& r, bool with_data) {
  if (!ValidateDomain(r.domain_id, kLimits.max_domain_chars).ok()) Broken("domainId is valid");
  if (!ValidateUsername(r.visitor_id, kLimits.max_field_chars).ok()) Broken("visitorId is valid");
  if (!with_data && !r.visitor_data.empty()) Broken("no visitorData where none is read");
  if (r.visitor_data.size() > static_cast<size_t>(kLimits.max_visitor_data_bytes)) {
    Broken("visitorData within its limit");
  }
  if (!r.visitor_data.empty()) {
    simdjson::dom::parser parser;
    simdjson::dom::element el;
    if (parser.parse(r.visitor_data).get(el) != simdjson::SUCCESS) {
      Broken("visitorData is JSON (it is written into responses as it is)");
    }
  }
  if (r.page.size() > r.visitor_data.size() || r.user_agent.size() > r.visitor_data.size()) {
    Broken("page and userAgent come from visitorData");
  }
}

void CheckFrame(std::string_view input) {
  using Type = Seed003Request::Type;
  auto r = DecodeSeed003Frame(input, kLimits);
  const bool seed003 = IsSeed003Frame(input);
  if (!r.ok()) {
    if (r.status().code() == ErrorCode::kOk) Broken("an error has a code");
    return;
  }
  if ((r->type != Type::kForeign) != seed003) Broken("IsSeed003Frame agrees with the decoder");
  switch (r->type) {
    case Type::kJoinRoom:
      if (!ValidateUsername(r->user_name, kLimits.max_field_chars).ok() ||
          !ValidateUsername(r->user_id, kLimits.max_field_chars).ok()) {
        Broken("a joiner's userId and userName are valid names");
      }
      [[fallthrough]];
    case Type::kLeaveRoom:
      if (!ValidateRoom(r->room_id, kLimits.max_room_chars).ok()) Broken("roomId is valid");
      break;
    case Type::kSendMessage:
      if (!ValidateRoom(r->room_id, kLimits.max_room_chars).ok()) Broken("roomId is valid");
      if (!ValidateMessage(r->message, kLimits.max_message_bytes).ok()) Broken("message is valid");
      if (!r->role.empty() && r->role != "user" && r->role != "assistant") Broken("role is known");
      break;
    case Type::kVisitorJoined:
      CheckVisitor(*r, true);
      break;
    case Type::kVisitorLeft:
    case Type::kVisitorActivity:
      CheckVisitor(*r, false);
      break;
    case Type::kGetDomainStats:
      if (!ValidateDomain(r->domain_id, kLimits.max_domain_chars).ok()) Broken("domain is valid");
      break;
    case Type::kForeign:
    case Type::kAiChat:
    case Type::kAiStream:
      break;
  }
}

void FuzzSeed003Once(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckFrame(input);
  for (bool with_data : {true, false}) {
    auto body = DecodeVisitorBody(input, with_data, kLimits);
    if (body.ok()) CheckVisitor(*body, with_data);
  }
}

}  // namespace
}  // namespace parley::api

void parley::fuzz::RunOnce(const uint8_t* data, size_t size) {
  parley::api::FuzzSeed003Once(data, size);
}
