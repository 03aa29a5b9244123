// Seed 003's JSON inputs as typed values: the WebSocket frames of its vocabulary
// (join-room, send-message, leave-room, the visitor messages, ai-chat, ai-stream) and the
// bodies of POST /visitors/add and /visitors/remove. Pure: no I/O, fuzzed
// (seed003_fuzz_driver.cc). Every field is checked against its limit here, so nothing deeper
// parses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace parley::api {

struct Seed003Limits {
  int max_field_chars = 64;           // userId, userName, visitorId: 1..N characters
  int max_room_chars = 64;            // roomId: a parley room name
  int max_message_bytes = 4096;       // send-message text
  int max_domain_chars = 253;         // domainId: 1..N characters
  int max_visitor_data_bytes = 2048;  // visitorData, as the JSON text received
};

struct Seed003Request {
  enum class Type {
    kForeign,  // a "type" seed 003 does not have (another vocabulary's frame)
    kJoinRoom,
    kLeaveRoom,
    kSendMessage,
    kVisitorJoined,    // visitor-joined-domain: add (or heartbeat) a visitor
    kVisitorLeft,      // visitor-left-domain
    kVisitorActivity,  // visitor-activity: heartbeat
    kGetDomainStats,
    kAiChat,
    kAiStream,
  };
  Type type = Type::kForeign;
  std::string type_name{};  // as sent, for kForeign
  std::string room_id{};
  std::string user_id{};
  std::string user_name{};
  std::string message{};
  std::string role{};  // "user" or "assistant"; empty when absent
  std::string domain_id{};
  std::string visitor_id{};
  std::string visitor_data{};  // compact JSON of visitorData, "" when absent
  std::string page{};          // visitorData.page (or .url), "" when absent
  std::string user_agent{};    // visitorData.userAgent, "" when absent
};

// domainId rules: 1..max_chars characters from letters, digits and . - _ : (a host name,
// optionally with a port). Errors: invalid_domain.
Status ValidateDomain(std::string_view domain, int max_chars);

// Decodes one text frame. Errors: bad_request (not a JSON object or no string "type"),
// invalid_username/invalid_room/invalid_field/message_too_large/empty_message for the
// fields of a seed 003 type, invalid_domain and visitor_data_too_large for visitor fields.
// A frame whose type is not seed 003's decodes as kForeign with only type_name set.
Result<Seed003Request> DecodeSeed003Frame(std::string_view payload, const Seed003Limits& limits);

// True when `payload` is a JSON object whose "type" is one of seed 003's (valid or not in
// its other fields): how /ws tells a seed 003 client from a seed 001 one.
bool IsSeed003Frame(std::string_view payload);

// Decodes a POST /visitors/add (`with_data`) or /visitors/remove body: domainId,
// visitorId and (add) optional visitorData. Same errors as the visitor frames.
Result<Seed003Request> DecodeVisitorBody(std::string_view body, bool with_data,
                                         const Seed003Limits& limits);

}  // namespace parley::api
