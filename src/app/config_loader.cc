#include "app/config_loader.h"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <span>
#include <sstream>
#include <string_view>
#include <system_error>
#include <toml.hpp>
#include <type_traits>
#include <utility>
#include <vector>

#ifndef PARLEY_VERSION
#define PARLEY_VERSION "0.0.0"
#endif

extern char** environ;  // NOLINT: POSIX

namespace parley {
namespace {

// ---------------------------------------------------------------------------------------
// The settings table. Adding a field to Config means adding one row here; parley.toml,
// the PARLEY_* variables and the flags all follow from it.

enum class Kind { kInt, kString };

struct Setting {
  std::string_view key;        // toml "section.name"; env var is PARLEY_SECTION_NAME
  std::string_view flag;       // command-line flag
  std::string_view env_alias;  // a shorter variable also accepted, or ""
  std::string_view help;
  Kind kind;
  int64_t min = 0;  // kInt: inclusive range
  int64_t max = 0;
  std::span<const std::string_view> allowed = {};  // kString: allowed values; empty = any text
  bool may_be_empty = false;                       // kString: "" is a value (a feature off)
  int64_t (*get_int)(const Config&) = nullptr;
  void (*set_int)(Config&, int64_t) = nullptr;
  const std::string& (*get_string)(const Config&) = nullptr;
  std::string& (*string_ref)(Config&) = nullptr;
};

constexpr std::span<const std::string_view> kAnyText;  // any non-empty text

template <auto kSection, auto kField>
int64_t GetInt(const Config& c) {
  return (c.*kSection).*kField;
}

template <auto kSection, auto kField>
void SetInt(Config& c, int64_t v) {
  using T = std::remove_reference_t<decltype((c.*kSection).*kField)>;
  (c.*kSection).*kField = static_cast<T>(v);  // the row's range fits T (checked in tests)
}

template <auto kSection, auto kField>
const std::string& GetString(const Config& c) {
  return (c.*kSection).*kField;
}

template <auto kSection, auto kField>
std::string& StringRef(Config& c) {
  return (c.*kSection).*kField;
}

template <auto kSection, auto kField>
constexpr Setting Int(std::string_view key, std::string_view flag, std::string_view alias,
                      int64_t min, int64_t max, std::string_view help) {
  Setting s{key, flag, alias, help, Kind::kInt, min, max};
  s.get_int = &GetInt<kSection, kField>;
  s.set_int = &SetInt<kSection, kField>;
  return s;
}

template <auto kSection, auto kField>
constexpr Setting Str(std::string_view key, std::string_view flag, std::string_view alias,
                      std::span<const std::string_view> allowed, std::string_view help) {
  Setting s{key, flag, alias, help, Kind::kString, 0, 0, allowed};
  s.get_string = &GetString<kSection, kField>;
  s.string_ref = &StringRef<kSection, kField>;
  return s;
}

// A string setting where "" is allowed and means "not set" (API keys, optional lists).
template <auto kSection, auto kField>
constexpr Setting OptStr(std::string_view key, std::string_view flag, std::string_view help) {
  Setting s = Str<kSection, kField>(key, flag, "", kAnyText, help);
  s.may_be_empty = true;
  return s;
}

// The level names InitLogging documents.
constexpr std::string_view kLogLevels[] = {"error", "warn", "info", "debug"};
constexpr std::string_view kSyncModes[] = {"full", "normal"};
constexpr std::string_view kYesNo[] = {"no", "yes"};
// Settings with these values may be written as TOML booleans too.
constexpr std::string_view kTrueFalse[] = {"false", "true"};

using C = Config;
using Sv = ServerConfig;
using Li = LimitsConfig;
using Ti = TimeoutsConfig;
using Hi = HistoryConfig;
using St = StoreConfig;
using Ma = MatchConfig;
using Au = AuthConfig;
using Se = SecurityConfig;
using Ra = RateConfig;
using Up = UploadsConfig;
using Ai = AiConfig;
using Vi = VisitorsConfig;
using Ad = AdminConfig;

constexpr Setting kSettings[] = {
    Str<&C::server, &Sv::host>("server.host", "--host", "PARLEY_HOST", kAnyText,
                               "Address to listen on"),
    Int<&C::server, &Sv::port>("server.port", "--port", "PARLEY_PORT", 0, 65535,
                               "TCP port; 0 picks a free port"),
    Int<&C::server, &Sv::shards>("server.shards", "--shards", "PARLEY_SHARDS", 0, 1024,
                                 "Shard threads; 0 = one per core"),
    Str<&C::server, &Sv::data_dir>("server.data_dir", "--data-dir", "PARLEY_DATA_DIR", kAnyText,
                                   "Directory for the database and files"),
    Str<&C::server, &Sv::log_level>("server.log_level", "--log-level", "PARLEY_LOG_LEVEL",
                                    kLogLevels, "Log level"),
    Int<&C::server, &Sv::shutdown_grace_ms>("server.shutdown_grace_ms", "--shutdown-grace-ms", "",
                                            0, 600000, "On SIGTERM, wait this long for clients"),
    Int<&C::limits, &Li::max_connections>("limits.max_connections", "--max-connections", "", 1,
                                          10000000, "Open connections per process"),
    Int<&C::limits, &Li::max_message_bytes>("limits.max_message_bytes", "--max-message-bytes", "",
                                            1, 1 << 20, "Bytes of chat text per message"),
    Int<&C::limits, &Li::max_frame_bytes>("limits.max_frame_bytes", "--max-frame-bytes", "", 1,
                                          1 << 24, "Bytes per WebSocket message"),
    Int<&C::limits, &Li::max_username_chars>("limits.max_username_chars", "--max-username-chars",
                                             "", 1, 1024, "Characters per username"),
    Int<&C::limits, &Li::max_room_chars>("limits.max_room_chars", "--max-room-chars", "", 1, 1024,
                                         "Characters per room name"),
    Int<&C::limits, &Li::max_rooms>("limits.max_rooms", "--max-rooms", "", 1, 10000000,
                                    "Live rooms per process"),
    Int<&C::limits, &Li::send_queue_bytes>("limits.send_queue_bytes", "--send-queue-bytes", "",
                                           1024, 1 << 30, "Bytes queued for one slow socket"),
    Int<&C::limits, &Li::max_http_request_bytes>("limits.max_http_request_bytes",
                                                 "--max-http-request-bytes", "", 1024, 1 << 26,
                                                 "Bytes per HTTP request, head and body"),
    Int<&C::limits, &Li::max_history_page>("limits.max_history_page", "--max-history-page", "", 1,
                                           10000, "Largest page GET /api/history returns"),
    Int<&C::limits, &Li::max_rooms_per_connection>("limits.max_rooms_per_connection",
                                                   "--max-rooms-per-connection", "", 1, 100000,
                                                   "Rooms one native WebSocket may join"),
    Int<&C::limits, &Li::max_client_id_bytes>("limits.max_client_id_bytes", "--max-client-id-bytes",
                                              "", 1, 1024, "Bytes per clientId or ref"),
    Int<&C::limits, &Li::max_emoji_bytes>("limits.max_emoji_bytes", "--max-emoji-bytes", "", 1,
                                          1024, "Bytes per reaction emoji"),
    Int<&C::limits, &Li::max_image_url_bytes>("limits.max_image_url_bytes", "--max-image-url-bytes",
                                              "", 16, 65536, "Bytes per message imageUrl"),
    Int<&C::limits, &Li::typing_per_10s>("limits.typing_per_10s", "--typing-per-10s", "", 1, 100000,
                                         "Typing events per connection per 10 s"),
    Int<&C::limits, &Li::max_connections_per_ip>("limits.max_connections_per_ip",
                                                 "--max-connections-per-ip", "", 0, 10000000,
                                                 "Open sockets from one IP; 0 = no cap"),
    Int<&C::limits, &Li::new_connections_per_ip_per_s>(
        "limits.new_connections_per_ip_per_s", "--new-connections-per-ip-per-s", "", 0, 1000000,
        "New sockets per second from one IP; 0 = no cap"),
    Int<&C::limits, &Li::new_connections_per_ip_burst>(
        "limits.new_connections_per_ip_burst", "--new-connections-per-ip-burst", "", 1, 10000000,
        "Burst of new sockets from one IP"),
    Int<&C::limits, &Li::max_packet_payload_bytes>("limits.max_packet_payload_bytes",
                                                   "--max-packet-payload-bytes", "", 1, 1 << 24,
                                                   "Decoded bytes per binary packet"),
    Int<&C::limits, &Li::packet_compress_min_bytes>(
        "limits.packet_compress_min_bytes", "--packet-compress-min-bytes", "", 0, 1 << 24,
        "Compress sent packets from this size; 0 = never"),
    Int<&C::timeouts, &Ti::request_timeout_s>("timeouts.request_timeout_s", "--request-timeout-s",
                                              "", 1, 3600, "Seconds to send one HTTP request"),
    Int<&C::timeouts, &Ti::http_idle_timeout_s>("timeouts.http_idle_timeout_s",
                                                "--http-idle-timeout-s", "", 1, 86400,
                                                "Seconds an idle keep-alive connection stays"),
    Int<&C::timeouts, &Ti::room_idle_s>("timeouts.room_idle_s", "--room-idle-s", "", 1, 86400,
                                        "Seconds an empty room stays loaded"),
    Int<&C::timeouts, &Ti::ws_ping_interval_s>("timeouts.ws_ping_interval_s",
                                               "--ws-ping-interval-s", "", 0, 86400,
                                               "Seconds between server pings; 0 = never"),
    Int<&C::timeouts, &Ti::ws_pong_timeout_s>("timeouts.ws_pong_timeout_s", "--ws-pong-timeout-s",
                                              "", 1, 3600, "Seconds a pinged socket has to answer"),
    Int<&C::history, &Hi::join_messages>("history.join_messages", "--history-join-messages", "", 0,
                                         10000, "Messages sent to a client that joins"),
    Int<&C::history, &Hi::api_default>("history.api_default", "--history-api-default", "", 1, 10000,
                                       "GET /api/history page size without ?limit"),
    Int<&C::history, &Hi::ring_size>("history.ring_size", "--history-ring-size", "", 1, 1000000,
                                     "Recent messages each room keeps in memory"),
    Int<&C::history, &Hi::max_replay>("history.max_replay", "--history-max-replay", "", 0, 1000000,
                                      "Messages a join with since may replay"),
    Int<&C::history, &Hi::dedupe_window_s>("history.dedupe_window_s", "--dedupe-window-s", "", 0,
                                           86400 * 7, "Seconds a clientId is remembered"),
    Int<&C::history, &Hi::dedupe_max_entries>("history.dedupe_max_entries", "--dedupe-max-entries",
                                              "", 0, 10000000, "clientIds each room remembers"),
    Str<&C::store, &St::synchronous>("store.synchronous", "--store-synchronous", "", kSyncModes,
                                     "SQLite durability: full syncs every commit"),
    Int<&C::store, &St::readers>("store.readers", "--store-readers", "", 1, 64,
                                 "History reader threads"),
    Int<&C::store, &St::max_batch>("store.max_batch", "--store-max-batch", "", 1, 1000000,
                                   "Messages per group-commit transaction"),
    Int<&C::store, &St::commit_window_us>("store.commit_window_us", "--store-commit-window-us", "",
                                          0, 1000000,
                                          "Microseconds to gather appends into one commit"),
    Int<&C::store, &St::max_backlog>("store.max_backlog", "--store-max-backlog", "", 1, 100000000,
                                     "Writes that may wait for the store"),
    Int<&C::match, &Ma::queue_ttl_s>("match.queue_ttl_s", "--match-queue-ttl-s", "", 1, 86400,
                                     "Seconds a waiting POST /api/match entry lives"),
    Int<&C::match, &Ma::pair_idle_s>("match.pair_idle_s", "--match-pair-idle-s", "", 1, 86400,
                                     "Seconds an idle pair room stays"),
    Int<&C::match, &Ma::history_messages>("match.history_messages", "--match-history-messages", "",
                                          0, 10000, "Messages a pair room keeps"),
    Int<&C::match, &Ma::max_queue>("match.max_queue", "--match-max-queue", "", 1, 10000000,
                                   "Users waiting for a partner"),
    Int<&C::match, &Ma::max_pairs>("match.max_pairs", "--match-max-pairs", "", 1, 10000000,
                                   "Live pair rooms"),
    Int<&C::match, &Ma::max_field_chars>("match.max_field_chars", "--match-max-field-chars", "", 1,
                                         1024, "Characters per userId, userName, filter"),
    Int<&C::match, &Ma::max_image_url_bytes>("match.max_image_url_bytes",
                                             "--match-max-image-url-bytes", "", 1, 65536,
                                             "Bytes per imageUrl"),
    Int<&C::match, &Ma::auth_timeout_s>("match.auth_timeout_s", "--match-auth-timeout-s", "", 1,
                                        3600, "Seconds a /ws socket has to authenticate"),
    OptStr<&C::match, &Ma::public_url>("match.public_url", "--match-public-url",
                                       "Base URL for wsUrl; empty = the request's Host"),
    OptStr<&C::match, &Ma::emotions>("match.emotions", "--match-emotions",
                                     "Allowed emotion filters, comma-separated; empty = any"),
    OptStr<&C::match, &Ma::languages>("match.languages", "--match-languages",
                                      "Allowed language filters, comma-separated; empty = any"),
    OptStr<&C::match, &Ma::modes>("match.modes", "--match-modes",
                                  "Allowed mode filters, comma-separated; empty = any"),
    OptStr<&C::auth, &Au::web_api_key>("auth.web_api_key", "--web-api-key",
                                       "API key for web clients on /ws; empty = no key"),
    OptStr<&C::auth, &Au::mobile_api_key>("auth.mobile_api_key", "--mobile-api-key",
                                          "API key for mobile clients on /ws; empty = no key"),
    OptStr<&C::auth, &Au::api_keys>("auth.api_keys", "--api-keys",
                                    "More app keys as NAME:SHA256HEX, comma-separated"),
    Str<&C::auth, &Au::require_api_key>("auth.require_api_key", "--require-api-key", "", kYesNo,
                                        "Every WebSocket needs an API key"),
    OptStr<&C::auth, &Au::jwt_hs256_secret>("auth.jwt_hs256_secret", "--jwt-hs256-secret",
                                            "HS256 secret for JWTs (32+ bytes); empty = off"),
    OptStr<&C::auth, &Au::jwt_rs256_public_key_file>(
        "auth.jwt_rs256_public_key_file", "--jwt-rs256-public-key-file",
        "PEM file with the RS256 public key for JWTs; empty = off"),
    Int<&C::auth, &Au::jwt_leeway_s>("auth.jwt_leeway_s", "--jwt-leeway-s", "", 0, 3600,
                                     "Seconds of clock skew allowed on exp and nbf"),
    Int<&C::auth, &Au::max_token_bytes>("auth.max_token_bytes", "--max-token-bytes", "", 256, 65536,
                                        "Bytes per JWT"),
    Int<&C::auth, &Au::max_token_rooms>("auth.max_token_rooms", "--max-token-rooms", "", 1, 10000,
                                        "Rooms a JWT's rooms claim may list"),
    OptStr<&C::auth, &Au::private_rooms>("auth.private_rooms", "--private-rooms",
                                         "Private rooms: ROOM=USER|USER, comma-separated"),
    Str<&C::auth, &Au::accounts>("auth.accounts", "--accounts", "", kTrueFalse,
                                 "Built-in accounts: /api/auth/* and session cookies"),
    Int<&C::auth, &Au::min_password_bytes>("auth.min_password_bytes", "--min-password-bytes", "", 1,
                                           1024, "Shortest password, in bytes"),
    Int<&C::auth, &Au::max_password_bytes>("auth.max_password_bytes", "--max-password-bytes", "", 1,
                                           4096, "Longest password, in bytes"),
    Int<&C::auth, &Au::password_ops_limit>("auth.password_ops_limit", "--password-ops-limit", "", 1,
                                           10, "argon2id passes for new password hashes"),
    Int<&C::auth, &Au::password_mem_kib>("auth.password_mem_kib", "--password-mem-kib", "", 8,
                                         1048576, "argon2id memory for new hashes, KiB"),
    Int<&C::auth, &Au::session_ttl_s>("auth.session_ttl_s", "--session-ttl-s", "", 1, 31536000,
                                      "Seconds a session lasts from login"),
    Int<&C::auth, &Au::max_sessions>("auth.max_sessions", "--max-sessions", "", 1, 10000000,
                                     "Live sessions kept"),
    Int<&C::auth, &Au::max_queue>("auth.max_queue", "--auth-max-queue", "", 1, 100000,
                                  "Account requests waiting for the accounts thread"),
    Int<&C::auth, &Au::max_avatar_url_bytes>("auth.max_avatar_url_bytes", "--max-avatar-url-bytes",
                                             "", 1, 65536, "Bytes per avatarUrl"),
    OptStr<&C::auth, &Au::public_url>("auth.public_url", "--auth-public-url",
                                      "Public URL; https:// marks session cookies Secure"),
    OptStr<&C::security, &Se::allowed_origins>(
        "security.allowed_origins", "--allowed-origins",
        "Browser origins allowed besides the server's own, comma-separated"),
    Int<&C::security, &Se::exempt_loopback>("security.exempt_loopback", "--exempt-loopback", "", 0,
                                            1, "1: no per-IP limits for loopback peers"),
    Int<&C::rate, &Ra::enabled>("rate.enabled", "--rate-enabled", "", 0, 1,
                                "0 turns every rate limit off"),
    Int<&C::rate, &Ra::ip_factor>("rate.ip_factor", "--rate-ip-factor", "", 1, 100000,
                                  "Per-IP buckets: this many times the per-user rule"),
    Int<&C::rate, &Ra::max_keys>("rate.max_keys", "--rate-max-keys", "", 64, 100000000,
                                 "User and IP buckets kept in memory"),
    Int<&C::rate, &Ra::message_per_s>("rate.message_per_s", "--rate-message-per-s", "", 0, 1000000,
                                      "Chat messages per second; 0 = no limit"),
    Int<&C::rate, &Ra::message_burst>("rate.message_burst", "--rate-message-burst", "", 1, 10000000,
                                      "Chat messages: burst"),
    Int<&C::rate, &Ra::typing_per_s>("rate.typing_per_s", "--rate-typing-per-s", "", 0, 1000000,
                                     "Typing events per second; 0 = no limit"),
    Int<&C::rate, &Ra::typing_burst>("rate.typing_burst", "--rate-typing-burst", "", 1, 10000000,
                                     "Typing events: burst"),
    Int<&C::rate, &Ra::join_per_s>("rate.join_per_s", "--rate-join-per-s", "", 0, 1000000,
                                   "Room joins per second; 0 = no limit"),
    Int<&C::rate, &Ra::join_burst>("rate.join_burst", "--rate-join-burst", "", 1, 10000000,
                                   "Room joins: burst"),
    Int<&C::rate, &Ra::match_per_s>("rate.match_per_s", "--rate-match-per-s", "", 0, 1000000,
                                    "Match requests per second; 0 = no limit"),
    Int<&C::rate, &Ra::match_burst>("rate.match_burst", "--rate-match-burst", "", 1, 10000000,
                                    "Match requests: burst"),
    Int<&C::rate, &Ra::upload_per_s>("rate.upload_per_s", "--rate-upload-per-s", "", 0, 1000000,
                                     "Uploads per second; 0 = no limit"),
    Int<&C::rate, &Ra::upload_burst>("rate.upload_burst", "--rate-upload-burst", "", 1, 10000000,
                                     "Uploads: burst"),
    Int<&C::rate, &Ra::ai_per_s>("rate.ai_per_s", "--rate-ai-per-s", "", 0, 1000000,
                                 "AI requests per second; 0 = no limit"),
    Int<&C::rate, &Ra::ai_burst>("rate.ai_burst", "--rate-ai-burst", "", 1, 10000000,
                                 "AI requests: burst"),
    Int<&C::rate, &Ra::http_per_s>("rate.http_per_s", "--rate-http-per-s", "", 0, 1000000,
                                   "HTTP API calls per second; 0 = no limit"),
    Int<&C::rate, &Ra::http_burst>("rate.http_burst", "--rate-http-burst", "", 1, 10000000,
                                   "HTTP API calls: burst"),
    Int<&C::rate, &Ra::login_per_s>("rate.login_per_s", "--rate-login-per-s", "", 0, 1000000,
                                    "Logins and registrations per second; 0 = no limit"),
    Int<&C::rate, &Ra::login_burst>("rate.login_burst", "--rate-login-burst", "", 1, 10000000,
                                    "Logins and registrations: burst"),
    Int<&C::uploads, &Up::max_bytes>("uploads.max_bytes", "--upload-max-bytes", "", 1, 1 << 30,
                                     "Bytes per uploaded file"),
    Str<&C::uploads, &Up::allowed_types>("uploads.allowed_types", "--upload-allowed-types", "",
                                         kAnyText,
                                         "Accepted file types, comma-separated MIME types"),
    Int<&C::uploads, &Up::max_queue>("uploads.max_queue", "--upload-max-queue", "", 1, 100000,
                                     "Uploads and file reads waiting for the disk"),
    OptStr<&C::ai, &Ai::base_url>("ai.base_url", "--ai-base-url",
                                  "OpenAI-compatible API base (http:// or https://); empty = off"),
    OptStr<&C::ai, &Ai::ca_file>("ai.ca_file", "--ai-ca-file",
                                 "PEM file of CAs trusted for an https provider; empty = system"),
    OptStr<&C::ai, &Ai::api_key>("ai.api_key", "--ai-api-key",
                                 "Bearer key for the AI provider; empty = none"),
    Str<&C::ai, &Ai::model>("ai.model", "--ai-model", "", kAnyText,
                            "Model used when a request names none"),
    OptStr<&C::ai, &Ai::models>("ai.models", "--ai-models",
                                "Models a request may name, comma-separated; empty = ai.model"),
    OptStr<&C::ai, &Ai::system_prompt>("ai.system_prompt", "--ai-system-prompt",
                                       "System message sent first; empty = none"),
    Int<&C::ai, &Ai::connect_timeout_s>("ai.connect_timeout_s", "--ai-connect-timeout-s", "", 1,
                                        600, "Seconds to connect to the AI provider"),
    Int<&C::ai, &Ai::total_timeout_s>("ai.total_timeout_s", "--ai-total-timeout-s", "", 1, 3600,
                                      "Seconds for a whole AI answer"),
    Int<&C::ai, &Ai::idle_timeout_s>("ai.idle_timeout_s", "--ai-idle-timeout-s", "", 1, 3600,
                                     "Seconds without a byte from the AI provider"),
    Int<&C::ai, &Ai::max_tokens>("ai.max_tokens", "--ai-max-tokens", "", 1, 1000000,
                                 "max_tokens asked of the AI provider"),
    Int<&C::ai, &Ai::max_prompt_bytes>("ai.max_prompt_bytes", "--ai-max-prompt-bytes", "", 1,
                                       1 << 20, "Bytes of one message to the AI"),
    Int<&C::ai, &Ai::max_response_bytes>("ai.max_response_bytes", "--ai-max-response-bytes", "",
                                         1024, 1 << 26, "Bytes of one AI provider answer"),
    Int<&C::ai, &Ai::max_turns>("ai.max_turns", "--ai-max-turns", "", 0, 10000,
                                "Messages an AI conversation keeps as context"),
    Int<&C::ai, &Ai::max_conversation_id_chars>("ai.max_conversation_id_chars",
                                                "--ai-max-conversation-id-chars", "", 1, 1024,
                                                "Characters per conversationId"),
    Int<&C::ai, &Ai::max_inflight>("ai.max_inflight", "--ai-max-inflight", "", 1, 1000000,
                                   "AI provider calls in flight at once"),
    Int<&C::visitors, &Vi::timeout_s>("visitors.timeout_s", "--visitors-timeout-s", "", 1,
                                      86400 * 7,
                                      "Seconds a visitor stays current without a heartbeat"),
    Int<&C::visitors, &Vi::max_data_bytes>("visitors.max_data_bytes", "--visitors-max-data-bytes",
                                           "", 2, 1 << 20, "Bytes of visitorData JSON"),
    Int<&C::visitors, &Vi::max_domain_chars>("visitors.max_domain_chars",
                                             "--visitors-max-domain-chars", "", 1, 1024,
                                             "Characters per domainId"),
    Int<&C::visitors, &Vi::max_domains>("visitors.max_domains", "--visitors-max-domains", "", 1,
                                        10000000, "Domains tracked in memory"),
    Int<&C::visitors, &Vi::max_per_domain>("visitors.max_per_domain", "--visitors-max-per-domain",
                                           "", 1, 10000000, "Current visitors per domain"),
    Int<&C::visitors, &Vi::max_domains_per_ip>("visitors.max_domains_per_ip",
                                               "--visitors-max-domains-per-ip", "", 0, 1000000,
                                               "Domains one IP may add visitors to per window"),
    Int<&C::visitors, &Vi::ip_window_s>("visitors.ip_window_s", "--visitors-ip-window-s", "", 1,
                                        86400 * 7, "Seconds of the per-IP domain window"),
    Int<&C::visitors, &Vi::max_per_socket>("visitors.max_per_socket", "--visitors-max-per-socket",
                                           "", 1, 100000, "Visitors one seed 003 socket announces"),
    Int<&C::visitors, &Vi::top_pages>("visitors.top_pages", "--visitors-top-pages", "", 0, 1000,
                                      "Pages listed in a domain's topPages"),
    OptStr<&C::admin, &Ad::key>("admin.key", "--admin-key",
                                "Bearer key for /api/admin/*; empty = moderation off"),
};
constexpr size_t kSettingCount = std::size(kSettings);

// ---------------------------------------------------------------------------------------
// Formatting helpers: every error is one line, so values are quoted and escaped.

Status Error(std::string message) { return Status(ErrorCode::kBadRequest, "config: " + message); }

// A TOML basic string; in error messages long values are cut at `max_shown` bytes.
std::string Quote(std::string_view text, size_t max_shown = 60) {
  std::string out = "\"";
  for (char ch : text.substr(0, max_shown)) {
    auto u = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\u{:04x}", u);
    } else {
      out += ch;
    }
  }
  if (text.size() > max_shown) out += "...";
  return out + "\"";
}

std::string EnvName(std::string_view key) {
  std::string name = "PARLEY_";
  for (char ch : key) name += ch == '.' ? '_' : static_cast<char>(std::toupper(ch));
  return name;
}

std::string Join(std::span<const std::string_view> words, std::string_view sep) {
  std::string out;
  for (auto w : words) out += (out.empty() ? "" : std::string(sep)) + std::string(w);
  return out;
}

std::string FormatValue(const Setting& s, const Config& c) {
  return s.kind == Kind::kInt ? std::to_string(s.get_int(c)) : s.get_string(c);
}

// Checks `value` against the row and stores it. `shown` is the value as the user wrote it.
Status Assign(const Setting& s, int64_t value, std::string_view shown, std::string_view source,
              Config& c) {
  if (value < s.min || value > s.max) {
    return Error(fmt::format("{} = {} in {}: must be between {} and {}", s.key, shown, source,
                             s.min, s.max));
  }
  s.set_int(c, value);
  return Status::Ok();
}

Status Assign(const Setting& s, std::string_view value, std::string_view source, Config& c) {
  bool fits = s.allowed.empty()
                  ? !value.empty() || s.may_be_empty
                  : std::find(s.allowed.begin(), s.allowed.end(), value) != s.allowed.end();
  if (!fits) {
    std::string rule =
        s.allowed.empty() ? "must not be empty" : "must be one of " + Join(s.allowed, ", ");
    return Error(fmt::format("{} = {} in {}: {}", s.key, Quote(value), source, rule));
  }
  if (std::any_of(value.begin(), value.end(), [](unsigned char ch) { return ch < 0x20; })) {
    return Error(fmt::format("{} = {} in {}: must not contain control characters", s.key,
                             Quote(value), source));
  }
  s.string_ref(c) = std::string(value);
  return Status::Ok();
}

// A value written as text (environment variable or flag).
Status AssignText(const Setting& s, std::string_view text, std::string_view source, Config& c) {
  if (s.kind == Kind::kString) return Assign(s, text, source, c);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) {
    return Error(fmt::format("{} = {} in {}: must be between {} and {}", s.key, Quote(text), source,
                             s.min, s.max));
  }
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Error(fmt::format("{} = {} in {}: must be an integer", s.key, Quote(text), source));
  }
  return Assign(s, value, text, source, c);
}

// ---------------------------------------------------------------------------------------
// parley.toml

std::string TomlShown(const toml::value& v) {
  if (v.is_string()) return Quote(v.as_string().str);
  if (v.is_array()) return "[...]";
  if (v.is_table()) return "{...}";
  return toml::format(v);  // integer, float, boolean or date: one short line
}

std::string Where(std::string_view file, const toml::value& v) {
  auto line = v.location().line();
  return line > 0 ? fmt::format("{} line {}", file, line) : std::string(file);
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string Suggestion(std::string_view key) {
  std::string_view name = key.substr(key.rfind('.') + 1);
  for (const auto& s : kSettings) {
    std::string_view sname = s.key.substr(s.key.find('.') + 1);
    if (sname == name || EditDistance(s.key, key) <= 3) {
      return fmt::format(" (did you mean {}?)", s.key);
    }
  }
  return "";
}

const Setting* Find(std::string_view key) {
  for (const auto& s : kSettings) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

bool IsSection(std::string_view name) {
  return std::any_of(std::begin(kSettings), std::end(kSettings),
                     [&](const Setting& s) { return s.key.substr(0, s.key.find('.')) == name; });
}

// toml tables are unordered maps; sorting keeps the reported error the same on every run.
template <typename Table>
std::vector<std::string> SortedKeys(const Table& table) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : table) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  return keys;
}

Status ApplyTomlValue(const Setting& s, const toml::value& v, const std::string& where, Config& c) {
  if (s.kind == Kind::kInt) {
    if (!v.is_integer()) {
      return Error(fmt::format("{} = {} in {}: must be an integer", s.key, TomlShown(v), where));
    }
    return Assign(s, v.as_integer(), TomlShown(v), where, c);
  }
  if (v.is_boolean() && s.allowed.data() == std::data(kTrueFalse)) {
    return Assign(s, v.as_boolean() ? "true" : "false", where, c);
  }
  if (!v.is_string()) {
    return Error(fmt::format("{} = {} in {}: must be a string", s.key, TomlShown(v), where));
  }
  return Assign(s, v.as_string().str, where, c);
}

Status ApplyToml(const std::string& file, std::vector<std::string>& sources, Config& c) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    return Error(fmt::format("config file {} is a directory", file));
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error(fmt::format("cannot read config file {}", file));
  toml::value root;
  try {
    // toml11 reports syntax errors only by throwing; this is startup, not the data path.
    root = toml::parse(in, file);
  } catch (const toml::exception& e) {
    std::string what = e.what();
    what = what.substr(0, what.find('\n'));
    if (what.rfind("[error] ", 0) == 0) what.erase(0, 8);
    if (auto colon = what.find(": "); what.rfind("toml::", 0) == 0 && colon != std::string::npos) {
      what.erase(0, colon + 2);
    }
    return Error(fmt::format("{} line {}: {}", file, e.location().line(), what));
  } catch (const std::exception& e) {
    return Error(fmt::format("{}: {}", file, e.what()));
  }
  const auto& top = root.as_table();
  for (const auto& section : SortedKeys(top)) {
    const toml::value& sv = top.at(section);
    if (!IsSection(section)) {
      return Error(
          fmt::format("unknown setting {} in {}{}", section, Where(file, sv), Suggestion(section)));
    }
    if (!sv.is_table()) {
      return Error(
          fmt::format("{} in {} must be a table ([{}])", section, Where(file, sv), section));
    }
    const auto& table = sv.as_table();
    for (const auto& name : SortedKeys(table)) {
      std::string key = section + "." + name;
      const toml::value& v = table.at(name);
      const Setting* s = Find(key);
      if (s == nullptr) {
        return Error(
            fmt::format("unknown setting {} in {}{}", key, Where(file, v), Suggestion(key)));
      }
      std::string where = Where(file, v);
      if (Status st = ApplyTomlValue(*s, v, where, c); !st.ok()) return st;
      sources[s - kSettings] = where;
    }
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// Settings that depend on each other, checked once every source has been applied.

Status CheckCombination(std::string_view small, std::string_view large,
                        const std::vector<std::string>& sources, const Config& c) {
  const Setting* a = Find(small);
  const Setting* b = Find(large);
  if (a->get_int(c) <= b->get_int(c)) return Status::Ok();
  return Error(fmt::format("{} = {} (from {}) must not be larger than {} = {} (from {})", a->key,
                           a->get_int(c), sources[a - kSettings], b->key, b->get_int(c),
                           sources[b - kSettings]));
}

Status CheckCombinations(const std::vector<std::string>& sources, const Config& c) {
  constexpr std::pair<std::string_view, std::string_view> kPairs[] = {
      {"limits.max_message_bytes", "limits.max_frame_bytes"},
      {"history.api_default", "limits.max_history_page"},
      {"history.join_messages", "history.ring_size"},
      {"auth.min_password_bytes", "auth.max_password_bytes"},
  };
  for (const auto& [small, large] : kPairs) {
    if (Status st = CheckCombination(small, large, sources, c); !st.ok()) return st;
  }
  return Status::Ok();
}

// The command line: one flag per table row plus --config, --help and --version. Values stay
// text here so that flags, variables and the file share one parser and one set of messages.
class CommandLine {
 public:
  CommandLine()
      : app_(
            "parley: a self-hosted realtime chat server.\n"
            "Precedence: defaults < parley.toml < PARLEY_* environment < flags.",
            "parley") {
    app_.set_version_flag("--version", "parley " PARLEY_VERSION);
    config_opt_ = app_.add_option("--config", config_,
                                  "TOML file to read (env PARLEY_CONFIG; default ./parley.toml, "
                                  "skipped if absent)")
                      ->type_name("FILE");
    const Config defaults;
    for (size_t i = 0; i < kSettingCount; ++i) {
      const Setting& s = kSettings[i];
      text_[i] = FormatValue(s, defaults);
      std::string help(s.help);
      if (s.kind == Kind::kInt) help += fmt::format(" ({}..{})", s.min, s.max);
      if (!s.env_alias.empty()) help += fmt::format(" (env {})", s.env_alias);
      std::string_view section = s.key.substr(0, s.key.find('.'));
      options_[i] = app_.add_option(std::string(s.flag), text_[i], help)
                        ->capture_default_str()
                        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
                        ->group(fmt::format("[{}] in parley.toml, env PARLEY_{}_*", section,
                                            EnvName(section).substr(7)));
      if (s.kind == Kind::kInt) {
        options_[i]->type_name("INT");
      } else if (!s.allowed.empty()) {
        options_[i]->type_name("{" + Join(s.allowed, ",") + "}");
      }
    }
  }

  // Sets out.action/out.text for --help and --version; an error for anything CLI11 refuses.
  Status Parse(int argc, char** argv, LoadedConfig& out) {
    try {
      // CLI11 reports parse results only by throwing; this is startup, not the data path.
      app_.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
      out.action = ConfigAction::kPrintHelp;
      out.text = app_.help();
    } catch (const CLI::CallForVersion&) {
      out.action = ConfigAction::kPrintVersion;
      out.text = "parley " PARLEY_VERSION "\n";
    } catch (const CLI::ParseError& e) {
      std::string what = e.what();
      std::replace(what.begin(), what.end(), '\n', ' ');
      return Error("command line: " + what);
    }
    return Status::Ok();
  }

  std::optional<std::string> config_file() const {
    return config_opt_->count() > 0 ? std::optional(config_) : std::nullopt;
  }
  // The text given for row i of the table, or null when the flag was not used.
  const std::string* flag(size_t i) const { return options_[i]->count() > 0 ? &text_[i] : nullptr; }

 private:
  CLI::App app_;
  std::string config_;
  CLI::Option* config_opt_ = nullptr;
  std::array<std::string, kSettingCount> text_;
  std::array<CLI::Option*, kSettingCount> options_{};
};

}  // namespace

std::vector<SettingInfo> ListSettings() {
  std::vector<SettingInfo> out;
  for (const auto& s : kSettings) {
    out.push_back({s.key, EnvName(s.key), s.env_alias, s.flag, s.kind == Kind::kInt, s.min, s.max});
  }
  return out;
}

std::string ToToml(const Config& config) {
  std::string out;
  std::string_view section;
  for (const auto& s : kSettings) {
    std::string_view sec = s.key.substr(0, s.key.find('.'));
    if (sec != section) {
      out += fmt::format("{}[{}]\n", out.empty() ? "" : "\n", sec);
      section = sec;
    }
    std::string value = FormatValue(s, config);
    if (s.kind == Kind::kString) value = Quote(value, std::string_view::npos);
    out += fmt::format("{} = {}\n", s.key.substr(sec.size() + 1), value);
  }
  return out;
}

Environ ProcessEnviron() {
  Environ env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view kv(*entry);
    auto eq = kv.find('=');
    if (eq != std::string_view::npos) env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return env;
}

Result<LoadedConfig> LoadConfig(int argc, char** argv, const Environ& env) {
  CommandLine cli;
  LoadedConfig out;
  if (Status st = cli.Parse(argc, argv, out); !st.ok()) return st;
  if (out.action != ConfigAction::kRun) return out;

  Config& c = out.config;
  std::vector<std::string> sources(kSettingCount, "default");

  // Which file: --config, else PARLEY_CONFIG, else the default (which may be absent).
  std::string file = kDefaultConfigFile;
  bool named = true;
  if (auto flag = cli.config_file()) {
    file = *flag;
  } else if (auto it = env.find("PARLEY_CONFIG"); it != env.end()) {
    file = it->second;
  } else {
    named = false;
  }
  std::error_code ec;
  bool exists = std::filesystem::exists(file, ec);
  if (named && !exists) return Error(fmt::format("config file {} does not exist", file));
  if (exists) {
    if (Status st = ApplyToml(file, sources, c); !st.ok()) return st;
    out.config_file = file;
  }

  for (size_t i = 0; i < kSettingCount; ++i) {
    const Setting& s = kSettings[i];
    // The full name is more specific than the short alias, so it is applied last.
    for (std::string name : {std::string(s.env_alias), EnvName(s.key)}) {
      auto it = name.empty() ? env.end() : env.find(name);
      if (it == env.end()) continue;
      std::string source = "environment variable " + name;
      if (Status st = AssignText(s, it->second, source, c); !st.ok()) return st;
      sources[i] = source;
    }
  }

  for (size_t i = 0; i < kSettingCount; ++i) {
    const std::string* text = cli.flag(i);
    if (text == nullptr) continue;
    std::string source = "flag " + std::string(kSettings[i].flag);
    if (Status st = AssignText(kSettings[i], *text, source, c); !st.ok()) return st;
    sources[i] = source;
  }

  if (Status st = CheckCombinations(sources, c); !st.ok()) return st;
  return out;
}

}  // namespace parley
