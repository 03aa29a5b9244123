// Config: every setting parley has, as plain data with its default.
//
// Loaded once at startup by app/config_loader (parley.toml, then PARLEY_* environment
// variables, then command-line flags) and then only read, from any thread.
// Each limit states its overflow rule beside it.
#pragma once

#include <cstdint>
#include <string>

namespace parley {

struct ServerConfig {
  std::string host = "127.0.0.1";
  uint16_t port = 8787;  // 0 picks a free port (printed at startup)
  int shards = 0;        // 0 = one per core
  std::string data_dir = "./data";
  std::string log_level = "info";
  int shutdown_grace_ms = 3000;  // SIGTERM: close 1001 to everyone, then exit within this
};

struct LimitsConfig {
  // Connections per process. Overflow: the new upgrade gets HTTP 503 connection_limit.
  int max_connections = 100000;
  // Chat text bytes. Overflow: error frame message_too_large; the connection stays.
  int max_message_bytes = 4096;
  // One WebSocket message (all fragments). Overflow: close 1009.
  int max_frame_bytes = 65536;
  // Username length in characters (1..N). Overflow: HTTP 400 invalid_username.
  int max_username_chars = 32;
  // Room name length in characters (1..N; letters, digits, - _ .). Overflow: HTTP 400 invalid_room.
  int max_room_chars = 64;
  // Live rooms per process. Overflow: the join gets HTTP 503 room_limit.
  int max_rooms = 10000;
  // Bytes queued for one socket. Overflow: the socket is closed with 1008 (slow consumer).
  int send_queue_bytes = 1 << 20;
  // HTTP request head plus body. Overflow: HTTP 413 and close.
  int max_http_request_bytes = 16384;
  // Largest page GET /api/history and a history request return. Overflow: clamped to this.
  int max_history_page = 100;
  // Rooms one native-protocol WebSocket may be in at once. Overflow: error frame
  // too_many_rooms; the join is refused, the connection stays.
  int max_rooms_per_connection = 100;
  // clientId and ref length in bytes (1..N). Overflow: error frame invalid_field.
  int max_client_id_bytes = 64;
  // One reaction emoji in bytes (1..N). Overflow: error frame invalid_field.
  int max_emoji_bytes = 32;
  // A message's imageUrl in bytes. Overflow: error frame invalid_field.
  int max_image_url_bytes = 2048;
  // Typing events per connection per 10 seconds. Overflow: error frame rate_limited with
  // retryAfterMs; the event is dropped, the connection stays.
  int typing_per_10s = 20;
  // Open sockets from one IP address. Overflow: the new socket gets HTTP 429
  // ip_connection_limit and is closed before any request is read. 0 = no cap.
  int max_connections_per_ip = 256;
  // New sockets from one IP address per second, and their burst. Overflow: HTTP 429
  // rate_limited with Retry-After, then close. 0 per second = no cap.
  int new_connections_per_ip_per_s = 20;
  int new_connections_per_ip_burst = 100;
  // Decoded payload of one binary packet on the native socket, checked on the packet's
  // header before anything is allocated or decompressed. Overflow: error frame
  // packet_too_large; the packet is dropped, the connection stays.
  int max_packet_payload_bytes = 65536;
  // Packets parley sends compress their payload with LZ4 from this many bytes on (when that
  // makes them smaller); 0 = never compress. Not a limit: no overflow.
  int packet_compress_min_bytes = 512;
};

struct TimeoutsConfig {
  // A client that has not sent a whole HTTP request after this is dropped.
  int request_timeout_s = 10;
  // An idle keep-alive HTTP connection is closed after this.
  int http_idle_timeout_s = 30;
  // An empty room with everything persisted is unloaded from memory after this; it is
  // rebuilt from the store on next use.
  int room_idle_s = 60;
  // The server pings each WebSocket this often (0 = never) and closes one from which nothing
  // (a pong or any frame) arrived within ws_pong_timeout_s of the ping.
  int ws_ping_interval_s = 25;
  int ws_pong_timeout_s = 10;
};

struct HistoryConfig {
  int join_messages = 50;  // sent to a joining client (seed 004)
  int api_default = 100;   // GET /api/history without limit (seed 004)
  int ring_size = 256;     // recent messages each room keeps in memory
  // A join with `since` older than this many messages is not replayed: the reply says
  // recovered:false and sends the latest page instead.
  int max_replay = 1000;
  // A retried clientId is acknowledged with its original message for this long (and for
  // the newest dedupe_max_entries client ids of a room).
  int dedupe_window_s = 600;
  int dedupe_max_entries = 10000;
};

struct StoreConfig {
  std::string synchronous = "full";  // "full" or "normal" (SQLite PRAGMA synchronous)
  int readers = 2;                   // reader threads, each with its own connection
  int max_batch = 4096;              // messages per group-commit transaction
  // How long the writer waits for more appends before committing a batch that is not full.
  // A message is delivered once durable, so this adds to delivery latency; it turns a commit
  // (and an fsync) per message into one per window under load. 0 commits at once.
  int commit_window_us = 1000;
  // Writes waiting for the store. Overflow: a new message gets error frame unavailable
  // ("busy, send it again") and is not queued, so memory stays bounded when clients send
  // faster than the disk commits; a client retries with the same clientId.
  int max_backlog = 100000;
};

// Random 1:1 chat: the matchmaking queue and the pair rooms (seeds 000 and 001).
struct MatchConfig {
  // A waiting POST /api/match entry expires this long after its last request. Sockets
  // searching over /ws wait as long as they stay open.
  int queue_ttl_s = 30;
  // A pair room with no message, join or leave for this long is removed and its sockets
  // closed (1000, "idle").
  int pair_idle_s = 300;
  // Messages a pair room keeps and sends to a joiner. Older ones are dropped.
  int history_messages = 20;
  // Waiting users. Overflow: the request gets 503 queue_full (nothing is evicted).
  int max_queue = 100000;
  // Live pair rooms. Overflow: the request gets 503 pair_limit and stays unmatched.
  int max_pairs = 100000;
  // userId, userName, deviceId and each filter value, in characters. Overflow: 400
  // invalid_field.
  int max_field_chars = 64;
  // imageUrl bytes in a chat message. Overflow: error invalid_field; the socket stays.
  int max_image_url_bytes = 2048;
  // A /ws socket that has not authenticated after this is closed (1008, "auth_timeout").
  int auth_timeout_s = 10;
  // Base of the wsUrl POST /api/match returns ("https://chat.example.com"); empty = built
  // from the request's Host header.
  std::string public_url;
  // Allowed filter values, comma-separated; empty = any value within max_field_chars.
  // A value outside a non-empty list gets 400 unknown_filter.
  std::string emotions;
  std::string languages;
  std::string modes = "text,emoji,voice,video";
};

// Identity (docs/security.md): API keys per client app, JWTs from the operator's backend,
// private rooms.
struct AuthConfig {
  // Seed 001's WEB_API_KEY and MOBILE_API_KEY, in plain text as the seed keeps them. A /ws
  // socket presents one with {"type":"auth","apiKey":...}. "" = not set.
  std::string web_api_key;
  std::string mobile_api_key;
  // More app keys, by digest: "NAME:SHA256HEX,NAME:SHA256HEX" (keys created with
  // `parley keys create NAME` live in the database instead).
  std::string api_keys;
  // "yes": every WebSocket upgrade needs a known key (Authorization: Bearer KEY or
  // ?apiKey=KEY); without one it gets HTTP 401 api_key_required. The seed 001 socket may
  // send it as its auth message instead. A wrong key is refused either way (invalid_api_key).
  std::string require_api_key = "no";
  // JWTs: HS256 secret (at least 32 bytes) and/or a PEM file with the RS256 public key.
  // Both "" = tokens are refused (token_invalid).
  std::string jwt_hs256_secret;
  std::string jwt_rs256_public_key_file;
  // Clock skew allowed on exp and nbf, in seconds.
  int jwt_leeway_s = 30;
  // A token's length in bytes. Overflow: token_invalid.
  int max_token_bytes = 8192;
  // Entries in a token's "rooms" claim. Overflow: token_invalid.
  int max_token_rooms = 100;
  // Private rooms and their members: "ROOM=USER|USER, ROOM=USER". A listed room refuses
  // everyone else with private_room (HTTP 403 on upgrade, an error frame on a native join).
  std::string private_rooms;
  // Built-in accounts (src/auth/accounts.h, docs/security.md): "true" serves /api/auth/*
  // (register, login, logout, me) and accepts session cookies and tokens; "false" (the
  // default) answers 404 accounts_disabled there and ignores session cookies. In
  // parley.toml it may be written as a TOML boolean.
  std::string accounts = "false";
  // Password length in bytes. Outside it: 400 invalid_password.
  int min_password_bytes = 8;
  int max_password_bytes = 256;
  // argon2id cost for new hashes (libsodium crypto_pwhash, "interactive" by default);
  // stored hashes keep the cost they were made with.
  int password_ops_limit = 2;
  int password_mem_kib = 65536;
  // A session's life from login, in seconds (30 days). Past it: 401 session_expired.
  int session_ttl_s = 2592000;
  // Live sessions kept in memory (and SQLite). Overflow: expired ones are dropped first;
  // if all are live, a login gets 503 unavailable.
  int max_sessions = 100000;
  // Account work (hashing, SQLite) waiting for the accounts thread. Overflow: 503 unavailable.
  int max_queue = 64;
  // Bytes of a profile's avatarUrl (http(s):// or /files/...). Overflow: 400 invalid_field.
  int max_avatar_url_bytes = 2048;
  // The public URL users reach parley at; "https://..." marks the session cookie Secure
  // on every response (it is also Secure when a proxy sends X-Forwarded-Proto: https).
  std::string public_url;
};

// Browser access (src/guard/origin_policy.h, docs/security.md).
struct SecurityConfig {
  // Origins besides the server's own (the Host header) that may open a WebSocket or call
  // the HTTP API from a browser, comma-separated: "https://app.example.com",
  // "http://localhost:*" (any port), "*" (any). "" = same origin only. A WebSocket upgrade
  // from another origin gets HTTP 403 origin_not_allowed.
  std::string allowed_origins = "http://localhost:*,http://127.0.0.1:*";
  // 1: loopback peers (127.0.0.0/8, ::1) have no per-IP connection cap and no per-IP rate
  // buckets, since behind a reverse proxy on the same host every client is 127.0.0.1.
  int exempt_loopback = 1;
};

// Token buckets per action (src/guard/rate_limiter.h): `per_s` tokens a second, up to
// `burst`, per connection and per username; per IP address both are multiplied by
// ip_factor. Overflow: the action is refused with rate_limited and retryAfterMs (HTTP 429
// with Retry-After); a WebSocket stays open. per_s 0 turns an action's limit off.
struct RateConfig {
  int enabled = 1;        // 0: no rate limits at all (benchmarks)
  int ip_factor = 10;     // per-IP buckets are this many times larger and faster
  int max_keys = 100000;  // user and IP buckets kept; past it new keys share a bucket
  int message_per_s = 5;  // chat messages: sockets (native, seed 004, seed 001) and REST posts
  int message_burst = 30;
  int typing_per_s = 3;  // typing events with active: true
  int typing_burst = 20;
  int join_per_s = 10;  // room joins on the native socket
  int join_burst = 100;
  int match_per_s = 2;  // POST /api/match and /ws search
  int match_burst = 10;
  int upload_per_s = 1;  // file uploads
  int upload_burst = 10;
  int ai_per_s = 1;  // AI replies
  int ai_burst = 5;
  int http_per_s = 20;  // HTTP API calls (/api/*), per IP only
  int http_burst = 100;
  int login_per_s = 1;  // login and register attempts, per username and per IP
  int login_burst = 10;
};

// File uploads (POST /api/files, GET /files/<id>), stored under <data_dir>/files.
struct UploadsConfig {
  // One file, in bytes. Overflow: HTTP 413 file_too_large, nothing stored. A declared
  // Content-Length over it (plus limits.max_http_request_bytes for a form's framing) is
  // refused before the body is read.
  int max_bytes = 10 << 20;
  // Types accepted, decided from the file's bytes; comma-separated, from image/png,
  // image/jpeg, image/gif, image/webp. Another type: HTTP 415 unsupported_file_type.
  std::string allowed_types = "image/png,image/jpeg,image/gif,image/webp";
  // Uploads and file reads waiting for the disk. Overflow: HTTP 503 unavailable.
  int max_queue = 64;
};

// The AI assistant (seed 003's /ai/chat and /ai/stream): an OpenAI-compatible
// chat-completions provider. base_url empty = no provider; the AI endpoints then answer
// 503 ai_not_configured.
struct AiConfig {
  // "https://api.openai.com/v1" or "http://127.0.0.1:8080/v1"; requests go to
  // {base_url}/chat/completions. Anything but http:// or https:// stops startup.
  std::string base_url;
  // https:// only: a PEM file of the CAs trusted for the provider's certificate, instead of
  // the system's (a provider behind a private CA). Unreadable: every AI request answers
  // 502 ai_provider_error, as does a certificate it does not vouch for.
  std::string ca_file;
  // Sent as "Authorization: Bearer <api_key>"; empty = no header. Never logged, never sent
  // to a client (a provider error that quotes it is redacted).
  std::string api_key;
  // The model used when a request names none.
  std::string model = "gpt-3.5-turbo";
  // Models a request may name, comma-separated; empty = only `model`. Any other model:
  // 400 unknown_model.
  std::string models;
  // Sent as the first (system) message of every conversation; empty = none.
  std::string system_prompt = "You are a helpful assistant.";
  // Seconds to resolve and connect (and finish TLS). Overflow: 504 ai_timeout.
  int connect_timeout_s = 10;
  // Seconds for a whole answer, first byte to last token. Overflow: 504 ai_timeout (a
  // stream already under way ends with an error event).
  int total_timeout_s = 120;
  // Seconds without a byte from the provider. Overflow: as total_timeout_s.
  int idle_timeout_s = 30;
  // max_tokens sent to the provider with each request.
  int max_tokens = 1024;
  // Bytes of one user message. Overflow: 413 message_too_large.
  int max_prompt_bytes = 8192;
  // Bytes of one provider answer (the whole response body). Overflow: 502
  // ai_provider_error; a stream ends with an error event.
  int max_response_bytes = 1 << 20;
  // Messages (user and assistant) a conversation keeps; older ones are deleted when a new
  // exchange is stored. Only these are sent to the provider as context.
  int max_turns = 20;
  // Characters of a conversationId. Overflow: 400 invalid_field.
  int max_conversation_id_chars = 128;
  // Provider calls in flight in the whole process. Overflow: 503 unavailable.
  int max_inflight = 1024;
};

// Visitor analytics (seed 003's VisitorTracker): POST /visitors/add and /remove, GET
// /stats/domain/:domainId and the visitor messages of the seed 003 socket.
struct VisitorsConfig {
  // A visitor with no add (heartbeat) for this long is no longer current.
  int timeout_s = 1800;
  // visitorData as compact JSON, in bytes. Overflow: 413 visitor_data_too_large (the socket
  // gets an error frame and stays); nothing is recorded.
  int max_data_bytes = 2048;
  // domainId length in characters. Overflow: 400 invalid_domain.
  int max_domain_chars = 253;
  // Domains kept in memory at once (a domain without current visitors is unloaded after a
  // minute). Overflow: a request for a new domain gets 503 domain_limit.
  int max_domains = 10000;
  // Current visitors of one domain. Overflow: a new visitor gets 503 visitor_limit; current
  // ones keep heart-beating.
  int max_per_domain = 10000;
  // Visitors one seed 003 socket may announce (they leave when it closes). Overflow: error
  // frame visitor_limit; the socket stays.
  int max_per_socket = 16;
  // Distinct domains one IP address may add visitors to within ip_window_s (0 = no
  // limit). Overflow: a visitor add for one more domain gets 429 ip_domain_limit (the
  // socket: an error frame; it stays); domains already counted keep working. Loopback is
  // exempt with security.exempt_loopback.
  int max_domains_per_ip = 100;
  int ip_window_s = 3600;
  // Pages listed in topPages. More are counted but not listed.
  int top_pages = 10;
};

// Moderation (docs/security.md, "Moderation"): the /api/admin/* endpoints.
struct AdminConfig {
  // The admin key, sent as Authorization: Bearer KEY. Kept in memory only as its SHA-256
  // and never logged. "" = moderation is off: every /api/admin/* route answers 404
  // admin_disabled.
  std::string key;
};

struct Config {
  ServerConfig server;
  LimitsConfig limits;
  TimeoutsConfig timeouts;
  HistoryConfig history;
  StoreConfig store;
  MatchConfig match;
  AuthConfig auth;
  SecurityConfig security;
  RateConfig rate;
  UploadsConfig uploads;
  AiConfig ai;
  VisitorsConfig visitors;
  AdminConfig admin;
};

}  // namespace parley
