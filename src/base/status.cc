#include "base/status.h"

#include <array>

namespace parley {
namespace {

// Indexed by ErrorCode. Close codes: 1008 policy violation, 1009 too big, 1011 server error,
// 1001 going away, 1013 try again later.
constexpr std::array<ErrorInfo, static_cast<size_t>(ErrorCode::kAdminUnauthorized) + 1> kTable = {{
    {"ok", 200, 1000},
    {"bad_request", 400, 1008},
    {"invalid_username", 400, 1008},
    {"invalid_room", 400, 1008},
    {"message_too_large", 413, 1009},
    {"empty_message", 400, 1008},
    {"not_found", 404, 1008},
    {"method_not_allowed", 405, 1008},
    {"room_limit", 503, 1013},
    {"connection_limit", 503, 1013},
    {"rate_limited", 429, 1008},
    {"payload_too_large", 413, 1009},
    {"shutting_down", 503, 1001},
    {"unavailable", 503, 1011},
    {"internal", 500, 1011},
    {"forbidden", 403, 1008},
    {"conflict", 409, 1008},
    {"unknown_type", 400, 1008},
    {"invalid_field", 400, 1008},
    {"not_joined", 409, 1008},
    {"too_many_rooms", 409, 1008},
    {"slow_consumer", 503, 1008},
    {"unknown_filter", 400, 1008},
    {"not_authenticated", 401, 1008},
    {"invalid_api_key", 401, 1008},
    {"not_matched", 403, 1008},
    {"queue_full", 503, 1013},
    {"pair_limit", 503, 1013},
    {"origin_not_allowed", 403, 1008},
    {"ip_connection_limit", 429, 1013},
    {"invalid_upload", 400, 1008},
    {"file_too_large", 413, 1009},
    {"unsupported_file_type", 415, 1008},
    {"ai_not_configured", 503, 1011},
    {"unknown_model", 400, 1008},
    {"ai_provider_error", 502, 1011},
    {"ai_timeout", 504, 1011},
    {"invalid_domain", 400, 1008},
    {"visitor_data_too_large", 413, 1009},
    {"domain_limit", 503, 1013},
    {"visitor_limit", 503, 1013},
    {"bad_packet", 400, 1008},
    {"truncated_packet", 400, 1008},
    {"unsupported_version", 400, 1008},
    {"bad_checksum", 400, 1008},
    {"packet_too_large", 413, 1009},
    {"api_key_required", 401, 1008},
    {"token_invalid", 401, 1008},
    {"token_expired", 401, 1008},
    {"private_room", 403, 1008},
    {"accounts_disabled", 404, 1008},
    {"username_taken", 409, 1008},
    {"invalid_password", 400, 1008},
    {"invalid_credentials", 401, 1008},
    {"session_invalid", 401, 1008},
    {"session_expired", 401, 1008},
    {"ai_busy", 429, 1008},
    {"ip_domain_limit", 429, 1008},
    {"admin_disabled", 404, 1008},
    {"admin_unauthorized", 401, 1008},
}};
// More rows than codes does not compile; fewer would leave the last one empty.
static_assert(!kTable.back().wire_name.empty(), "every ErrorCode has a row");

}  // namespace

const ErrorInfo& Describe(ErrorCode code) { return kTable[static_cast<size_t>(code)]; }

}  // namespace parley
