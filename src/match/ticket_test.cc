#include "match/ticket.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace parley::match {
namespace {

std::string TempDir() {
  char tmpl[] = "/tmp/parley-ticket-XXXXXX";
  return mkdtemp(tmpl);
}

TEST(TicketTest, OnlyTheSignedSessionAndUserVerify) {
  TicketSigner::Secret secret{};
  secret[0] = 1;
  TicketSigner t(secret);
  const std::string ticket = t.Sign("chat:a:b", "a");
  EXPECT_EQ(ticket.size(), 64u);
  EXPECT_TRUE(t.Verify("chat:a:b", "a", ticket));
  EXPECT_FALSE(t.Verify("chat:a:b", "b", ticket));
  EXPECT_FALSE(t.Verify("chat:a:c", "a", ticket));
  EXPECT_FALSE(t.Verify("chat:a:b", "a", ""));
  EXPECT_FALSE(t.Verify("chat:a:b", "a", ticket.substr(0, 63)));
  secret[0] = 2;
  EXPECT_FALSE(TicketSigner(secret).Verify("chat:a:b", "a", ticket));
}

TEST(TicketTest, SecretIsCreatedPrivateAndSurvivesARestart) {
  const std::string dir = TempDir();
  const std::string path = dir + "/match_secret";
  auto first = TicketSigner::LoadOrCreate(path);
  ASSERT_TRUE(first.ok()) << first.status().message();
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  auto second = TicketSigner::LoadOrCreate(path);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->Verify("s", "u", first->Sign("s", "u")));
  std::ofstream(path, std::ios::trunc) << "short";
  EXPECT_FALSE(TicketSigner::LoadOrCreate(path).ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace parley::match
