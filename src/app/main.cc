// parley: one binary that serves the chat website, its API and its WebSockets.
//
// Startup: load the config (one clear line and exit 2 on a bad setting), open the store,
// bind every shard's listener, print "parley listening on http://HOST:PORT", serve.
// SIGINT/SIGTERM: stop accepting, close every WebSocket with 1001, flush the store, exit 0.
#include <fmt/format.h>

#include <csignal>
#include <cstdio>

#include "ai/ai_json.h"
#include "api/admin_routes.h"
#include "api/ai_routes.h"
#include "api/auth_routes.h"
#include "api/guard_routes.h"
#include "api/match_routes.h"
#include "api/message_routes.h"
#include "api/router.h"
#include "api/seed003_routes.h"
#include "api/seed003_socket.h"
#include "api/upload_routes.h"
#include "app/config_loader.h"
#include "app/identity_setup.h"
#include "auth/accounts.h"
#include "auth/session_table.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/metrics.h"
#include "guard/connection_gate.h"
#include "guard/origin_policy.h"
#include "guard/rate_limiter.h"
#include "match/match_service.h"
#include "match/ticket.h"
#include "net/server.h"
#include "room/chat_service.h"
#include "store/sqlite_store.h"
#include "upload/file_store.h"
#include "upload/sniff.h"
#include "upload/worker.h"
#include "visitor/visitor_service.h"
#include "visitor/visitor_store.h"

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
  // An upload may be a form: its framing gets max_http_request_bytes on top of the file.
  o.large_body_routes.push_back(net::LargeBodyRoute{
      .method = "POST",
      .path = "/api/files",
      .max_bytes = static_cast<uint64_t>(c.uploads.max_bytes) + o.max_http_request_bytes,
      .code = "file_too_large",
      .message = fmt::format("Files are at most {} bytes.", c.uploads.max_bytes)});
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

// The token buckets from [rate] and [security].
guard::RateOptions RateOptionsFrom(const Config& c) {
  guard::RateOptions o;
  const RateConfig& r = c.rate;
  o.enabled = r.enabled != 0;
  auto set = [&o](guard::Action a, int per_s, int burst) {
    o.rules[static_cast<int>(a)] = guard::RateRule{per_s, burst};
  };
  set(guard::Action::kMessage, r.message_per_s, r.message_burst);
  set(guard::Action::kTyping, r.typing_per_s, r.typing_burst);
  set(guard::Action::kJoin, r.join_per_s, r.join_burst);
  set(guard::Action::kMatch, r.match_per_s, r.match_burst);
  set(guard::Action::kUpload, r.upload_per_s, r.upload_burst);
  set(guard::Action::kAi, r.ai_per_s, r.ai_burst);
  set(guard::Action::kHttp, r.http_per_s, r.http_burst);
  set(guard::Action::kLogin, r.login_per_s, r.login_burst);
  o.ip_factor = r.ip_factor;
  o.max_keys = r.max_keys;
  o.exempt_loopback = c.security.exempt_loopback != 0;
  return o;
}

// The per-IP connection caps from [limits] and [security].
guard::GateOptions GateOptionsFrom(const Config& c) {
  return guard::GateOptions{
      .max_per_ip = c.limits.max_connections_per_ip,
      .new_per_ip = {c.limits.new_connections_per_ip_per_s, c.limits.new_connections_per_ip_burst},
      .max_keys = c.rate.max_keys,
      .exempt_loopback = c.security.exempt_loopback != 0};
}

void RegisterGuardMetrics(const net::NetStats& s, const guard::RateLimiter& limiter,
                          const guard::ConnectionGate& gate) {
  auto& r = metrics::Default();
  r.AddGauge(
      "parley_rate_limited_total", "Actions refused with rate_limited (all actions).",
      [&limiter] { return static_cast<double>(limiter.refused()); }, true);
  r.AddGauge("parley_rate_buckets", "User and IP token buckets held in memory.",
             [&limiter] { return static_cast<double>(limiter.tracked_keys()); });
  r.AddGauge(
      "parley_rate_overflow_total", "Keys limited through a shared bucket past rate.max_keys.",
      [&limiter] { return static_cast<double>(limiter.overflowed()); }, true);
  r.AddGauge(
      "parley_rejected_ip_total", "Connections refused by the per-IP caps.",
      [&s] { return static_cast<double>(s.rejected_ip.load(std::memory_order_relaxed)); }, true);
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

// The AI assistant's settings from [ai]. Fails on a base_url parley cannot use.
Result<api::AiSettings> AiSettingsFrom(const Config& c, Store& store) {
  api::AiSettings s;
  s.store = &store;
  s.configured = !c.ai.base_url.empty();
  if (s.configured) {
    auto url = ai::ParseProviderUrl(c.ai.base_url);
    if (!url.ok()) return Status(ErrorCode::kBadRequest, "config: " + url.status().message());
    s.provider = std::move(url.value());
  }
  s.api_key = c.ai.api_key;
  s.ca_file = c.ai.ca_file;
  s.model = c.ai.model;
  s.models = match::SplitList(c.ai.models);
  s.system_prompt = c.ai.system_prompt;
  s.connect_timeout_s = c.ai.connect_timeout_s;
  s.total_timeout_s = c.ai.total_timeout_s;
  s.idle_timeout_s = c.ai.idle_timeout_s;
  s.max_tokens = c.ai.max_tokens;
  s.max_response_bytes = c.ai.max_response_bytes;
  s.max_turns = c.ai.max_turns;
  s.max_inflight = c.ai.max_inflight;
  s.rules.max_prompt_bytes = c.ai.max_prompt_bytes;
  s.rules.max_conversation_id_chars = c.ai.max_conversation_id_chars;
  return s;
}

// The built-in accounts' settings from [auth] and [limits]; the pointers are filled in Run.
api::AuthRouteSettings AuthRouteSettingsFrom(const Config& c) {
  api::AuthRouteSettings s;
  s.enabled = c.auth.accounts == "true";
  s.limits.max_username_chars = c.limits.max_username_chars;
  s.limits.min_password_bytes = c.auth.min_password_bytes;
  s.limits.max_password_bytes = c.auth.max_password_bytes;
  s.limits.max_avatar_url_bytes = c.auth.max_avatar_url_bytes;
  s.session_ttl_s = c.auth.session_ttl_s;
  s.always_secure = c.auth.public_url.starts_with("https://");
  return s;
}

auth::AccountOptions AccountOptionsFrom(const Config& c) {
  return auth::AccountOptions{
      .cost = {.ops_limit = static_cast<uint64_t>(c.auth.password_ops_limit),
               .mem_kib = static_cast<uint64_t>(c.auth.password_mem_kib)},
      .session_ttl_ms = int64_t{c.auth.session_ttl_s} * 1000};
}

visitor::VisitorServiceOptions VisitorOptionsFrom(const Config& c) {
  visitor::VisitorServiceOptions o;
  o.domain.timeout_ms = int64_t{c.visitors.timeout_s} * 1000;
  o.domain.max_per_domain = c.visitors.max_per_domain;
  o.domain.top_pages = c.visitors.top_pages;
  o.max_domains = c.visitors.max_domains;
  return o;
}

// Seed 003's routes and socket: [limits] for rooms and messages, [visitors] for analytics.
api::Seed003Settings Seed003SettingsFrom(const Config& c, room::ChatService& chat,
                                         visitor::VisitorService& visitors,
                                         const api::MatchSettings& match, const Clock& clock,
                                         const api::AiSettings& ai) {
  api::Seed003Settings s;
  s.chat = &chat;
  s.visitors = &visitors;
  s.match = &match;
  s.clock = &clock;
  s.ai = &ai;
  s.limits.max_field_chars = c.limits.max_username_chars;
  s.limits.max_room_chars = c.limits.max_room_chars;
  s.limits.max_message_bytes = c.limits.max_message_bytes;
  s.limits.max_domain_chars = c.visitors.max_domain_chars;
  s.limits.max_visitor_data_bytes = c.visitors.max_data_bytes;
  s.max_rooms_per_socket = c.limits.max_rooms_per_connection;
  s.max_visitors_per_socket = c.visitors.max_per_socket;
  s.version = PARLEY_VERSION;
  return s;
}

void RegisterVisitorMetrics(const visitor::VisitorService& v) {
  metrics::Default().AddGauge("parley_visitor_domains", "Visitor domains loaded in memory.",
                              [&v] { return static_cast<double>(v.live_domains()); });
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

  const StoreOptions store_options = StoreOptions::FromConfig(config.store, config.server.data_dir);
  auto visitor_store =
      visitor::VisitorStore::Open(store_options.path, store_options.busy_timeout_ms);
  if (!visitor_store.ok()) {
    std::fprintf(stderr, "store: %s\n", visitor_store.status().message().c_str());
    return 1;
  }

  SystemClock clock;
  auto authenticator = BuildAuthenticator(config, store_options.path, clock);
  if (!authenticator.ok()) {
    std::fprintf(stderr, "%s\n", authenticator.status().message().c_str());
    return 2;
  }

  // Built-in accounts: the live sessions are loaded here, before any shard can ask.
  api::AuthRouteSettings auth_settings = AuthRouteSettingsFrom(config);
  auth::SessionTable sessions(static_cast<size_t>(config.auth.max_sessions));
  std::unique_ptr<auth::Accounts> accounts;
  if (auth_settings.enabled) {
    auto opened =
        auth::Accounts::Open(store_options.path, AccountOptionsFrom(config), sessions, clock);
    if (!opened.ok()) {
      std::fprintf(stderr, "accounts: %s\n", opened.status().message().c_str());
      return 1;
    }
    accounts = std::move(opened).value();
    (*authenticator)->set_sessions(&sessions);
  }

  auto signer = match::TicketSigner::LoadOrCreate(config.server.data_dir + "/match_secret");
  if (!signer.ok()) {
    std::fprintf(stderr, "%s\n", signer.status().message().c_str());
    return 1;
  }

  auto origins = guard::OriginPolicy::Parse(config.security.allowed_origins);
  if (!origins.ok()) {
    std::fprintf(stderr, "config: security.allowed_origins: %s\n",
                 origins.status().message().c_str());
    return 2;
  }
  guard::RateLimiter limiter(RateOptionsFrom(config));
  guard::ConnectionGate gate(GateOptionsFrom(config));
  const api::GuardRoutes guard_routes(*origins, limiter);
  auto allowed_types = upload::ParseAllowedTypes(config.uploads.allowed_types);
  if (!allowed_types.ok()) {
    std::fprintf(stderr, "config: uploads.allowed_types: %s\n",
                 allowed_types.status().message().c_str());
    return 2;
  }
  auto files = upload::FileStore::Open(config.server.data_dir + "/files");
  if (!files.ok()) {
    std::fprintf(stderr, "files: %s\n", files.status().message().c_str());
    return 1;
  }
  auto ai_settings = AiSettingsFrom(config, **store);
  if (!ai_settings.ok()) {
    std::fprintf(stderr, "%s\n", ai_settings.status().message().c_str());
    return 2;
  }
  ai_settings->limiter = &limiter;
  ai_settings->auth = authenticator->get();
  const api::AiRoutes ai_routes(*ai_settings);

  net::Server server(NetOptionsFrom(config));
  server.set_gate(&gate);
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
  api::MatchSettings match_settings = MatchSettingsFrom(config, matches, *signer, **authenticator);
  match_settings.limiter = &limiter;
  const api::MatchRoutes match_routes(match_settings);
  // Declared after the server, so it is destroyed (its queued jobs run, its thread joined)
  // while the shards its answers are posted to still exist.
  upload::Worker upload_worker(static_cast<size_t>(config.uploads.max_queue));
  auto& registry = metrics::Default();
  const api::UploadSettings upload_settings{
      .store = &*files,
      .worker = &upload_worker,
      .max_bytes = static_cast<uint64_t>(config.uploads.max_bytes),
      .allowed = *allowed_types,
      .stored = &registry.AddCounter("parley_files_stored_total", "Files written by uploads."),
      .refused = &registry.AddCounter("parley_uploads_refused_total",
                                      "Uploads refused: malformed, wrong type or too large."),
      .auth = authenticator->get(),
      .limiter = &limiter};
  const api::UploadRoutes upload_routes(upload_settings);
  // The accounts thread: argon2id hashing and the accounts' SQLite writes. Declared after
  // the server for the same reason as the upload worker.
  upload::Worker accounts_worker(static_cast<size_t>(config.auth.max_queue));
  auth_settings.accounts = accounts.get();
  auth_settings.worker = &accounts_worker;
  auth_settings.sessions = &sessions;
  auth_settings.limiter = &limiter;
  auth_settings.clock = &clock;
  const api::AuthRoutes auth_routes(auth_settings);
  visitor::VisitorService visitors(server.shards(), **visitor_store, clock,
                                   VisitorOptionsFrom(config));
  api::RoomAi room_ai(*ai_settings, chat, config.limits.max_message_bytes);
  api::Seed003Settings seed003_settings =
      Seed003SettingsFrom(config, chat, visitors, match_settings, clock, *ai_settings);
  seed003_settings.room_ai = &room_ai;
  visitor::IpDomains ip_domains({.max_domains_per_ip = config.visitors.max_domains_per_ip,
                                 .window_ms = int64_t{config.visitors.ip_window_s} * 1000,
                                 .max_ips = config.rate.max_keys});
  seed003_settings.ip_domains = &ip_domains;
  seed003_settings.exempt_loopback = config.security.exempt_loopback != 0;
  const api::Seed003Routes seed003_routes(seed003_settings);
  // /ws without a name is shared by seeds 001 and 003: the match routes check the upgrade,
  // and the socket decides its vocabulary on the first frame.
  match_settings.make_search_socket = [&seed003_settings](bool key_on_upgrade) {
    return std::make_unique<api::JsonWsSocket>(seed003_settings, key_on_upgrade);
  };
  const api::MessageSettings message_settings{
      .config = &config, .chat = &chat, .limiter = &limiter, .auth = authenticator->get()};
  const api::MessageRoutes message_routes(message_settings);
  const api::AdminSettings admin_settings{.config = &config, .chat = &chat};
  const api::AdminRoutes admin_routes(admin_settings);
  std::vector<std::unique_ptr<api::Router>> routers;
  for (net::Shard* shard : server.shards()) {
    routers.push_back(std::make_unique<api::Router>(config, chat, server.stats(), started));
    routers.back()->set_match_routes(&match_routes);
    routers.back()->set_guard_routes(&guard_routes);
    routers.back()->set_upload_routes(&upload_routes);
    routers.back()->set_ai_routes(&ai_routes);
    routers.back()->set_room_ai(&room_ai);
    routers.back()->set_seed003_routes(&seed003_routes);
    routers.back()->set_message_routes(&message_routes);
    routers.back()->set_auth_routes(&auth_routes);
    routers.back()->set_admin_routes(&admin_routes);
    routers.back()->set_authenticator(authenticator->get());
    shard->set_http_handler(routers.back().get());
  }
  RegisterServerMetrics(server.stats(), chat);
  RegisterMatchMetrics(matches);
  RegisterGuardMetrics(server.stats(), limiter, gate);
  RegisterVisitorMetrics(visitors);
  registry.AddGauge("parley_account_sessions", "Live account sessions held in memory.",
                    [&sessions] { return static_cast<double>(sessions.size()); });
  server.Run();
  chat.Start();
  matches.Start();
  visitors.Start();
  PARLEY_LOG_INFO("started shards={} data_dir={} config_file={}", server.shards().size(),
                  config.server.data_dir, loaded->config_file);
  std::printf("parley listening on http://%s:%u\n", config.server.host.c_str(), server.port());
  std::fflush(stdout);

  const int sig = WaitForStopSignal();
  PARLEY_LOG_INFO("stopping signal={}", sig);
  server.Shutdown(std::chrono::milliseconds(config.server.shutdown_grace_ms));
  // Finish the visitor store's queued work while the shards its callbacks post to exist.
  visitor_store->reset();
  (*store)->Flush();
  PARLEY_LOG_INFO("stopped");
  return 0;
}

}  // namespace
}  // namespace parley

int main(int argc, char** argv) { return parley::Run(argc, argv); }
