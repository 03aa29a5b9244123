// The random 1:1 chat vocabulary (seeds 000 and 001) as JSON: what clients send, decoded
// and validated into typed values, and what parley sends back. Pure functions, no I/O;
// docs/protocol.md shows an example of every frame and body encoded here.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "match/matchmaker.h"

namespace parley::match {

// The limits decoding enforces (from [match] in parley.toml).
struct FieldRules {
  int max_field_chars = 64;
  int max_text_bytes = 4096;
  int max_image_url_bytes = 2048;
  // Allowed filter values; an empty list accepts any value.
  std::vector<std::string> emotions, languages, modes;
};

// Splits "a,b, c" into {"a","b","c"}; "" gives an empty list.
std::vector<std::string> SplitList(std::string_view csv);

// POST /api/match: {userId, userName, deviceId?, emotion?, language?, mode?}.
// Errors: bad_request (not a JSON object), invalid_field (missing, wrong type, too long,
// control characters, ':' in userId), unknown_filter (a value outside the list).
Result<Seeker> DecodeMatchRequest(std::string_view body, const FieldRules& rules);

// One chat message, as a pair room keeps it.
struct PairMessage {
  std::string from{};  // user id
  std::optional<std::string> text{};
  std::optional<std::string> image_url{};
  int64_t timestamp_ms = 0;
};

// A frame a /ws or /chat client sends.
struct ClientFrame {
  enum class Type { kAuth, kSearch, kMessage, kEndChat, kPing, kCancel };
  Type type = Type::kPing;
  std::string api_key;                   // kAuth
  std::optional<std::string> text;       // kMessage
  std::optional<std::string> image_url;  // kMessage
  Filters filters;                       // kSearch (optional extension)
};
// Errors: bad_request (not JSON, no type), unknown_type, invalid_field (message without text
// and imageUrl, wrong types, an empty or oversized text), unknown_filter.
Result<ClientFrame> DecodeClientFrame(std::string_view payload, const FieldRules& rules);

// Checks one userId/userName/deviceId/filter value: 1..max characters, no control
// characters. `what` names it in the error.
Status CheckField(std::string_view value, std::string_view what, int max_chars);

// --- what parley sends ---
// {"success":true,"matched":false,"message":"Waiting for partner...","queueKey":..}
std::string EncodeMatchWaiting(std::string_view queue_key);
// {"success":true,"matched":true,"sessionId":..,"partnerId":..,"partnerName":..,"wsUrl":..}
std::string EncodeMatchFound(const Pairing& p, std::string_view ws_url);
// {"success":false,"error":code,"message":..}
std::string EncodeMatchError(std::string_view code, std::string_view message);
// {"type":T} for auth_success, searching, chat_ended, partner_disconnected, pong, cancelled
std::string EncodeTyped(std::string_view type);
// {"type":"auth_error","error":..}
std::string EncodeAuthError(std::string_view error);
// {"type":"matched","partnerId":..}
std::string EncodeMatched(std::string_view partner_id);
// {"type":"message","text"?,"imageUrl"?,"from":..,"timestamp":..}
std::string EncodePairMessage(const PairMessage& m);
// {"type":"history","sessionId":..,"messages":[{"text"?,"imageUrl"?,"from","timestamp"}]}
std::string EncodePairHistory(std::string_view session_id, std::span<const PairMessage> messages);
// {"type":"partner_joined","userId":..}
std::string EncodePartnerJoined(std::string_view user_id);
// {"type":"partner_left","userId"}: the partner's /chat socket dropped; it may come back.
std::string EncodePartnerLeft(std::string_view user_id);

}  // namespace parley::match
