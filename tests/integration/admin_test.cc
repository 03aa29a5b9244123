// Moderation (/api/admin/*) against the real binary over real sockets: the admin key is
// required and checked, and the listings show the live rooms and sockets of every shard.
#include "integration.h"

namespace parley::integration {
namespace {

using testing::Headers;

constexpr std::string_view kKey = "a-long-admin-key-for-the-tests";

std::string Code(const HttpResponse& r) {
  auto doc = JsonDoc::Parse(r.body);
  return doc ? doc->Str("error") : "not json: " + r.body;
}

Headers AdminAuth(std::string_view key = kKey) {
  return {{"Authorization", "Bearer " + std::string(key)}};
}

class AdminTest : public ParleyTest {
 protected:
  std::vector<std::string> ExtraArgs() const override {
    return {"--admin-key", std::string(kKey), "--shards", "2"};
  }
  // GET an admin route with the key; the items of the array at `key`.
  std::vector<JsonDoc> List(std::string_view target, std::string_view key) {
    HttpResponse r = HttpGet(port(), target, AdminAuth());
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<JsonDoc> out;
    auto doc = JsonDoc::Parse(r.body);
    if (!doc) return out;
    for (const std::string& item : doc->Items(key)) {
      if (auto d = JsonDoc::Parse(item)) out.push_back(std::move(*d));
    }
    return out;
  }
};

class AdminDisabledTest : public ParleyTest {};

TEST_F(AdminDisabledTest, WithoutAKeyEveryAdminRouteIsOff) {
  for (std::string_view target : {"/api/admin/rooms", "/api/admin/connections", "/api/admin/x"}) {
    HttpResponse r = HttpGet(port(), target, AdminAuth());
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(Code(r), "admin_disabled") << target;
  }
}

TEST_F(AdminTest, AMissingOrWrongKeyIsRefused) {
  HttpResponse none = HttpGet(port(), "/api/admin/rooms");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(Code(none), "admin_unauthorized");
  HttpResponse wrong = HttpGet(port(), "/api/admin/connections", AdminAuth("not-the-key"));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(Code(wrong), "admin_unauthorized");
  HttpResponse basic =
      HttpGet(port(), "/api/admin/rooms", {{"Authorization", "Basic " + std::string(kKey)}});
  EXPECT_EQ(basic.status, 401);
  EXPECT_EQ(Code(basic), "admin_unauthorized");
  // The key itself is never written to the log.
  EXPECT_EQ(server_.StderrText().find(kKey), std::string::npos);
}

TEST_F(AdminTest, ConnectionsListALiveSocketWithItsUserAndRooms) {
  Join("ann", "lobby");
  bool found = false;
  for (const JsonDoc& c : List("/api/admin/connections", "connections")) {
    if (c.Str("user") != "ann") continue;
    found = true;
    EXPECT_EQ(c.Str("ip"), "127.0.0.1");
    EXPECT_EQ(c.StrList("rooms"), std::vector<std::string>{"lobby"});
    EXPECT_FALSE(c.Str("id").empty());
    EXPECT_GT(c.Int("openedAt"), 0);
  }
  EXPECT_TRUE(found) << "ann's socket is listed";
}

TEST_F(AdminTest, RoomsListLiveRoomsWithMembersAndLastSeq) {
  WsClient& ann = Join("ann", "r1");
  Join("bob", "r2");
  SendAndEcho(ann, "one");
  SendAndEcho(ann, "two");
  std::vector<JsonDoc> rooms = List("/api/admin/rooms", "rooms");
  ASSERT_EQ(rooms.size(), 2u);
  EXPECT_EQ(rooms[0].Str("name"), "r1");
  EXPECT_EQ(rooms[0].StrList("users"), std::vector<std::string>{"ann"});
  EXPECT_EQ(rooms[0].Int("connections"), 1);
  EXPECT_EQ(rooms[0].Int("lastSeq"), 2);
  EXPECT_EQ(rooms[1].Str("name"), "r2");
  EXPECT_EQ(rooms[1].StrList("users"), std::vector<std::string>{"bob"});
  EXPECT_EQ(rooms[1].Int("lastSeq"), 0);
}

}  // namespace
}  // namespace parley::integration
