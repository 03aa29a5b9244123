#include "api/admin_routes.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <string>
#include <string_view>

#include "api/http_answer.h"
#include "net/shard.h"
#include "protocol/chat_json.h"
#include "protocol/json_writer.h"

namespace parley::api {
namespace {

constexpr std::string_view kPrefix = "/api/admin/";

std::array<uint8_t, 32> Sha256(std::string_view bytes) {
  std::array<uint8_t, 32> out{};
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), out.data(), &len, EVP_sha256(), nullptr);
  return out;
}

void StringArray(JsonWriter& w, const std::vector<std::string>& items) {
  w.BeginArray();
  for (const std::string& s : items) w.String(s);
  w.EndArray();
}

std::string EncodeRooms(const std::vector<room::RoomSummary>& rooms) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("rooms").BeginArray();
  for (const auto& r : rooms) {
    w.BeginObject().Key("name").String(r.name).Key("users");
    StringArray(w, r.users);
    w.Key("connections").Int(r.connections).Key("lastSeq").Int(r.last_seq).EndObject();
  }
  w.EndArray().EndObject();
  return out;
}

std::string EncodeConnections(const std::vector<room::ConnectionSummary>& conns) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("connections").BeginArray();
  for (const auto& c : conns) {
    // The id is shard-qualified: connection ids are only unique within a shard.
    w.BeginObject()
        .Key("id")
        .String(std::to_string(c.shard) + "-" + std::to_string(c.id))
        .Key("ip")
        .String(c.ip)
        .Key("user")
        .String(c.user)
        .Key("websocket")
        .Bool(c.websocket)
        .Key("rooms");
    StringArray(w, c.rooms);
    w.Key("openedAt").Int(c.opened_at_ms).EndObject();
  }
  w.EndArray().EndObject();
  return out;
}

}  // namespace

AdminRoutes::AdminRoutes(const AdminSettings& settings)
    : settings_(settings), enabled_(!settings.config->admin.key.empty()) {
  if (enabled_) key_digest_ = Sha256(settings.config->admin.key);
}

bool AdminRoutes::Handle(net::Connection& c, net::HttpRequest& req) const {
  if (req.path != "/api/admin" && !req.path.starts_with(kPrefix)) return false;
  if (!enabled_) {
    c.Respond(ErrorAnswer(ErrorCode::kAdminDisabled,
                          "Moderation is off on this server: set admin.key to turn it on."));
    return true;
  }
  if (!Authorized(c, req)) return true;
  const std::string_view rest =
      std::string_view(req.path).substr(std::min(req.path.size(), kPrefix.size()));
  const bool get = req.method == "GET" || req.method == "HEAD";
  if (rest == "rooms" || rest == "connections") {
    if (!get) {
      c.Respond(ErrorAnswer(ErrorCode::kMethodNotAllowed, "Use GET for " + req.path + "."));
    } else if (rest == "rooms") {
      Rooms(c);
    } else {
      Connections(c);
    }
    return true;
  }
  c.Respond(ErrorAnswer(ErrorCode::kNotFound, "No such API route: " + req.path));
  return true;
}

bool AdminRoutes::Authorized(net::Connection& c, const net::HttpRequest& req) const {
  constexpr std::string_view kBearer = "Bearer ";
  auto header = req.Header("Authorization");
  if (header && header->size() > kBearer.size() && header->starts_with(kBearer)) {
    const auto digest = Sha256(header->substr(kBearer.size()));
    if (CRYPTO_memcmp(digest.data(), key_digest_.data(), digest.size()) == 0) return true;
  }
  net::HttpResponse r =
      ErrorAnswer(ErrorCode::kAdminUnauthorized,
                  "The admin API needs the admin key: Authorization: Bearer KEY.");
  r.extra_headers = "WWW-Authenticate: Bearer realm=\"parley-admin\"\r\n";
  c.Respond(std::move(r));
  return false;
}

void AdminRoutes::Rooms(net::Connection& c) const {
  settings_.chat->ListRooms([respond = AnswerLater(c)](std::vector<room::RoomSummary> rooms) {
    respond(JsonAnswer(EncodeRooms(rooms)));
  });
}

void AdminRoutes::Connections(net::Connection& c) const {
  settings_.chat->ListConnections(
      [respond = AnswerLater(c)](std::vector<room::ConnectionSummary> conns) {
        respond(JsonAnswer(EncodeConnections(conns)));
      });
}

}  // namespace parley::api
