#include "auth/room_access.h"

#include <gtest/gtest.h>

namespace parley::auth {
namespace {

Identity User(std::string id) {
  return Identity{.kind = Identity::Kind::kToken, .user_id = std::move(id)};
}

TEST(RoomAccessTest, PublicByDefaultPrivateForListedMembers) {
  auto access = RoomAccess::Parse("staff=alice|bob, ops = carol");
  ASSERT_TRUE(access.ok()) << access.status().message();
  EXPECT_TRUE(access->Check(Identity{}, "general").ok());
  EXPECT_TRUE(access->Check(User("alice"), "staff").ok());
  EXPECT_TRUE(access->Check(User("carol"), "ops").ok());
  Status st = access->Check(User("carol"), "staff");
  EXPECT_EQ(st.code(), ErrorCode::kPrivateRoom);
  EXPECT_TRUE(access->IsPrivate("staff"));
  EXPECT_FALSE(access->IsPrivate("general"));
}

TEST(RoomAccessTest, AChosenNameNeverOpensAPrivateRoom) {
  auto access = RoomAccess::Parse("staff=alice");
  ASSERT_TRUE(access.ok());
  Identity anonymous;
  anonymous.user_id = "alice";  // as if someone typed it
  EXPECT_EQ(access->Check(anonymous, "staff").code(), ErrorCode::kPrivateRoom);
}

TEST(RoomAccessTest, TokenRoomsGrantAndLimit) {
  auto access = RoomAccess::Parse("staff=alice");
  ASSERT_TRUE(access.ok());
  Identity dave = User("dave");
  dave.rooms = std::vector<std::string>{"staff", "lobby"};
  EXPECT_TRUE(access->Check(dave, "staff").ok());
  EXPECT_TRUE(access->Check(dave, "lobby").ok());
  EXPECT_EQ(access->Check(dave, "general").code(), ErrorCode::kPrivateRoom);
}

TEST(RoomAccessTest, ParseErrors) {
  EXPECT_TRUE(RoomAccess::Parse("").ok());
  EXPECT_FALSE(RoomAccess::Parse("staff").ok());
  EXPECT_FALSE(RoomAccess::Parse("=alice").ok());
  // A private room with nobody listed admits only tokens that name it.
  auto closed = RoomAccess::Parse("vault=");
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->Check(User("alice"), "vault").code(), ErrorCode::kPrivateRoom);
}

}  // namespace
}  // namespace parley::auth
