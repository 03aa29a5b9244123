// parley: one binary that serves the chat website, its API and its WebSockets.
//
// Startup: load the config (one clear line and exit 2 on a bad setting), open the store,
// bind every shard's listener, print "parley listening on http://HOST:PORT", serve.
// SIGINT/SIGTERM: stop accepting, close every WebSocket with 1001, flush the store, exit 0.
#include <csignal>
#include <cstdio>

#include "api/match_routes.h"
#include "api/router.h"
#include "app/config_loader.h"
#include "app/identity_setup.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/metrics.h"
#include "match/match_service.h"
#include "match/ticket.h"
#include "net/server.h"
#include "room/chat_service.h"
#include "store/sqlite_store.h"

namespace parley {
namespace {

net::NetOptions NetOptionsFrom(const Config& c) {
  net::NetOptions o;
  o.host = c.server.host;
  o.port = c.server.port;
  o.shards =
      c.server.shards > 0 ? c.server.shards : std::max(1u, std::thread::hardware_concurrency());
  o.max_connections = c.limits.max_connections;
  o.max_frame_bytes = static_cast<uint64_t>(c.limits.max_frame_bytes);
  o.send_queue_bytes = static_cast<size_t>(c.limits.send_queue_bytes);
  o.max_http_request_bytes = static_cast<uint32_t>(c.limits.max_http_request_bytes);
  o.request_timeout_s = c.timeouts.request_timeout_s;
  o.ws_ping_interval_s = c.timeouts.ws_ping_interval_s;
  o.ws_pong_timeout_s = c.timeouts.ws_pong_timeout_s;
  o.http_idle_timeout_s = c.timeouts.http_idle_timeout_s;
  return o;
}

// Exposes the network layer's and the chat service's own counters on GET /metrics.
void RegisterServerMetrics(const net::NetStats& s, const room::ChatService& chat) {
  auto& r = metrics::Default();
  auto read = [](const std::atomic<int64_t>& v) {
    return [&v] { return static_cast<double>(v.load(std::memory_order_relaxed)); };
  };
  r.AddGauge("parley_connections", "Open sockets, HTTP and WebSocket.", read(s.connections));
  r.AddGauge("parley_websockets", "Open WebSockets.", read(s.websockets));
  r.AddGauge("parley_rooms", "Rooms loaded in memory.",
             [&chat] { return static_cast<double>(chat.live_rooms()); });
  r.AddGauge("parley_accepted_total", "Accepted TCP connections.", read(s.accepted), true);
  r.AddGauge("parley_rejected_connection_limit_total",
             "Connections refused at limits.max_connections.", read(s.rejected_limit), true);
  r.AddGauge("parley_slow_consumer_closes_total",
             "WebSockets closed because their send queue passed limits.send_queue_bytes.",
             read(s.slow_consumer_closes), true);
  r.AddGauge("parley_protocol_errors_total", "WebSockets closed for breaking RFC 6455.",
             read(s.protocol_errors), true);
  r.AddGauge("parley_dropped_frames_total",
             "Typing and presence frames shed by connections whose queue was half full.",
             read(s.dropped_frames), true);
  r.AddGauge("parley_keepalive_closes_total",
             "WebSockets closed because nothing arrived within ws_pong_timeout_s of a ping.",
             read(s.keepalive_closes), true);
}

// The random 1:1 chat's settings from [match] and [auth].
match::MatchServiceOptions MatchOptionsFrom(const Config& c) {
  match::MatchServiceOptions o;
  o.matchmaker.ttl_ms = int64_t{c.match.queue_ttl_s} * 1000;
  o.matchmaker.max_queue = static_cast<size_t>(c.match.max_queue);
  o.pair.history = c.match.history_messages;
  o.pair_idle_ms = int64_t{c.match.pair_idle_s} * 1000;
  o.max_pairs = c.match.max_pairs;
  return o;
}

api::MatchSettings MatchSettingsFrom(const Config& c, match::MatchService& service,
                                     const match::TicketSigner& signer,
                                     const auth::Authenticator& authenticator) {
  api::MatchSettings s;
  s.auth = &authenticator;
  s.service = &service;
  s.signer = &signer;
  s.rules.max_field_chars = c.match.max_field_chars;
  s.rules.max_text_bytes = c.limits.max_message_bytes;
  s.rules.max_image_url_bytes = c.match.max_image_url_bytes;
  s.rules.emotions = match::SplitList(c.match.emotions);
  s.rules.languages = match::SplitList(c.match.languages);
  s.rules.modes = match::SplitList(c.match.modes);
  s.auth_timeout_s = c.match.auth_timeout_s;
  s.public_url = c.match.public_url;
  return s;
}

void RegisterMatchMetrics(const match::MatchService& m) {
  auto& r = metrics::Default();
  r.AddGauge("parley_match_waiting", "Users waiting for a partner.",
             [&m] { return static_cast<double>(m.waiting()); });
  r.AddGauge("parley_match_pairs", "Live pair rooms.",
             [&m] { return static_cast<double>(m.live_pairs()); });
  r.AddGauge(
      "parley_matches_total", "Pairs made by the matchmaker.",
      [&m] { return static_cast<double>(m.matches()); }, true);
}

// Blocks until SIGINT or SIGTERM arrives.
int WaitForStopSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

int Run(int argc, char** argv) {
  // Block the stop signals before any thread starts, so every thread inherits the mask and
  // only WaitForStopSignal receives them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  if (IsKeysCommand(argc, argv)) return RunKeysCommand(argc, argv);

  auto loaded = LoadConfig(argc, argv, ProcessEnviron());
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", loaded.status().message().c_str());
    return 2;
  }
  if (loaded->action != ConfigAction::kRun) {
    std::fputs(loaded->text.c_str(), stdout);
    return 0;
  }
  const Config& config = loaded->config;
  if (!InitLogging(config.server.log_level)) {
    std::fprintf(stderr, "config: server.log_level = %s: unknown level\n",
                 config.server.log_level.c_str());
    return 2;
  }
  const auto started = std::chrono::steady_clock::now();

  auto store = SqliteStore::Open(StoreOptions::FromConfig(config.store, config.server.data_dir));
  if (!store.ok()) {
    std::fprintf(stderr, "store: %s\n", store.status().message().c_str());
    return 1;
  }

  SystemClock clock;
  auto authenticator = BuildAuthenticator(
      config, StoreOptions::FromConfig(config.store, config.server.data_dir).path, clock);
  if (!authenticator.ok()) {
    std::fprintf(stderr, "%s\n", authenticator.status().message().c_str());
    return 2;
  }

  auto signer = match::TicketSigner::LoadOrCreate(config.server.data_dir + "/match_secret");
  if (!signer.ok()) {
    std::fprintf(stderr, "%s\n", signer.status().message().c_str());
    return 1;
  }

  net::Server server(NetOptionsFrom(config));
  if (Status st = server.Bind(); !st.ok()) {
    std::fprintf(stderr, "%s\n", st.message().c_str());
    return 1;
  }
  room::ChatOptions chat_options;
  chat_options.room.shard_count = static_cast<int>(server.shards().size());
  chat_options.room.join_messages = config.history.join_messages;
  chat_options.room.ring_size = config.history.ring_size;
  chat_options.room.max_replay = config.history.max_replay;
  chat_options.room.dedupe_window_ms = int64_t{config.history.dedupe_window_s} * 1000;
  chat_options.room.dedupe_max_entries = config.history.dedupe_max_entries;
  chat_options.max_rooms = config.limits.max_rooms;
  chat_options.idle_unload_s = config.timeouts.room_idle_s;
  chat_options.max_store_backlog = config.store.max_backlog;
  room::ChatService chat(server.shards(), **store, clock, chat_options);
  match::MatchService matches(server.shards(), clock, MatchOptionsFrom(config));
  const api::MatchSettings match_settings =
      MatchSettingsFrom(config, matches, *signer, **authenticator);
  const api::MatchRoutes match_routes(match_settings);
  std::vector<std::unique_ptr<api::Router>> routers;
  for (net::Shard* shard : server.shards()) {
    routers.push_back(std::make_unique<api::Router>(config, chat, server.stats(), started));
    routers.back()->set_match_routes(&match_routes);
    routers.back()->set_authenticator(authenticator->get());
    shard->set_http_handler(routers.back().get());
  }
  RegisterServerMetrics(server.stats(), chat);
  RegisterMatchMetrics(matches);
  server.Run();
  chat.Start();
  matches.Start();
  PARLEY_LOG_INFO("started shards={} data_dir={} config_file={}", server.shards().size(),
                  config.server.data_dir, loaded->config_file);
  std::printf("parley listening on http://%s:%u\n", config.server.host.c_str(), server.port());
  std::fflush(stdout);

  const int sig = WaitForStopSignal();
  PARLEY_LOG_INFO("stopping signal={}", sig);
  server.Shutdown(std::chrono::milliseconds(config.server.shutdown_grace_ms));
  (*store)->Flush();
  PARLEY_LOG_INFO("stopped");
  return 0;
}

}  // namespace
}  // namespace parley

int main(int argc, char** argv) { return parley::Run(argc, argv); }
