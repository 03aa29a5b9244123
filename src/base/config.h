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
};

struct Config {
  ServerConfig server;
  LimitsConfig limits;
  TimeoutsConfig timeouts;
  HistoryConfig history;
  StoreConfig store;
  MatchConfig match;
  AuthConfig auth;
};

}  // namespace parley
