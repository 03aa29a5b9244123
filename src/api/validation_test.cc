#include "api/validation.h"

#include <gtest/gtest.h>

namespace parley::api {
namespace {

TEST(ValidationTest, Usernames) {
  EXPECT_TRUE(ValidateUsername("alice", 32).ok());
  EXPECT_TRUE(ValidateUsername("Jürgen 😀", 32).ok());
  EXPECT_TRUE(ValidateUsername(std::string(32, 'a'), 32).ok());
  EXPECT_TRUE(ValidateUsername("ééééé", 5).ok()) << "limit counts characters, not bytes";
  EXPECT_EQ(ValidateUsername(std::string(33, 'a'), 32).code(), ErrorCode::kInvalidUsername);
  EXPECT_EQ(ValidateUsername("", 32).code(), ErrorCode::kInvalidUsername);
  EXPECT_EQ(ValidateUsername("   ", 32).code(), ErrorCode::kInvalidUsername);
  EXPECT_EQ(ValidateUsername("bell\x07", 32).code(), ErrorCode::kInvalidUsername);
  EXPECT_EQ(ValidateUsername("new\nline", 32).code(), ErrorCode::kInvalidUsername);
  EXPECT_EQ(ValidateUsername("c1\xC2\x85", 32).code(), ErrorCode::kInvalidUsername);
  EXPECT_EQ(ValidateUsername("bad\xFF", 32).code(), ErrorCode::kInvalidUsername);
  EXPECT_EQ(ValidateUsername("x", 32).wire_name(), "ok");
  EXPECT_EQ(ValidateUsername("", 32).wire_name(), "invalid_username");
}

// The assistant's name is parley's in every place a name is chosen: ?username=, a REST
// post's username, an account's username.
TEST(ValidationTest, TheAssistantsNameIsReserved) {
  EXPECT_EQ(ValidateUsername("ai", 32).code(), ErrorCode::kInvalidUsername);
  EXPECT_EQ(ValidateUsername("AI", 32).code(), ErrorCode::kInvalidUsername);
  EXPECT_EQ(ValidateUsername("Ai", 32).code(), ErrorCode::kInvalidUsername);
  EXPECT_TRUE(ValidateUsername("aisha", 32).ok());
  EXPECT_TRUE(ValidateUsername("a", 32).ok());
}

TEST(ValidationTest, Rooms) {
  EXPECT_TRUE(ValidateRoom("general", 64).ok());
  EXPECT_TRUE(ValidateRoom("team-1_a.b", 64).ok());
  EXPECT_EQ(ValidateRoom("", 64).code(), ErrorCode::kInvalidRoom);
  EXPECT_EQ(ValidateRoom("has space", 64).code(), ErrorCode::kInvalidRoom);
  EXPECT_EQ(ValidateRoom("a/b", 64).code(), ErrorCode::kInvalidRoom);
  EXPECT_EQ(ValidateRoom(std::string(65, 'r'), 64).code(), ErrorCode::kInvalidRoom);
}

TEST(ValidationTest, Messages) {
  EXPECT_TRUE(ValidateMessage("hi", 4096).ok());
  EXPECT_TRUE(ValidateMessage(std::string(4096, 'x'), 4096).ok());
  EXPECT_EQ(ValidateMessage(std::string(4097, 'x'), 4096).code(), ErrorCode::kMessageTooLarge);
  EXPECT_EQ(ValidateMessage(" \n\t", 4096).code(), ErrorCode::kEmptyMessage);
  EXPECT_EQ(ValidateMessage("", 4096).code(), ErrorCode::kEmptyMessage);
}

}  // namespace
}  // namespace parley::api
