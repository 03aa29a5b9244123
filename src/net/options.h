// NetOptions: the network layer's settings, taken from Config by app/. Plain value.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace parley::net {

// A route whose requests may carry a larger body than max_http_request_bytes (file
// uploads). Matched on the method and the raw path (the target before any '?').
struct LargeBodyRoute {
  std::string method;      // "POST"
  std::string path;        // "/api/files"
  uint64_t max_bytes = 0;  // overflow: HTTP 413 with `code` and `message`, nothing dispatched
  std::string code;        // stable error code, e.g. "file_too_large"
  std::string message;     // the human sentence
};

struct NetOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8787;
  int shards = 1;
  int max_connections = 100000;             // overflow: HTTP 503 connection_limit, then close
  uint64_t max_frame_bytes = 65536;         // overflow: close 1009
  size_t send_queue_bytes = 1 << 20;        // overflow: close 1008 (slow consumer)
  uint32_t max_http_request_bytes = 16384;  // overflow: HTTP 413/431 and close
  int request_timeout_s = 10;               // overflow: HTTP 408 and close
  int http_idle_timeout_s = 30;             // idle keep-alive: close
  int close_timeout_s = 2;                  // waiting for the peer's close frame
  int ws_ping_interval_s = 25;              // a WebSocket is pinged this often (0 = never)...
  int ws_pong_timeout_s = 10;               // ...and closed when nothing arrives this long after

  // Routes allowed a larger body than max_http_request_bytes (file uploads).
  std::vector<LargeBodyRoute> large_body_routes;
};

// Process-wide counters, readable from any thread.
struct NetStats {
  std::atomic<int64_t> connections{0};  // open sockets
  std::atomic<int64_t> websockets{0};   // of which upgraded
  std::atomic<int64_t> accepted{0};
  std::atomic<int64_t> rejected_limit{0};  // refused at max_connections
  std::atomic<int64_t> rejected_ip{0};     // refused by the per-IP caps (guard::ConnectionGate)
  std::atomic<int64_t> slow_consumer_closes{0};
  std::atomic<int64_t> dropped_frames{0};    // droppable frames (typing, presence) shed
  std::atomic<int64_t> keepalive_closes{0};  // peers that did not answer a ping in time
  std::atomic<int64_t> protocol_errors{0};
};

}  // namespace parley::net
