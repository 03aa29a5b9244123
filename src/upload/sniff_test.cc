#include "upload/sniff.h"

#include <gtest/gtest.h>

namespace parley::upload {
namespace {

TEST(SniffTest, RecognisesEachImageSignature) {
  EXPECT_EQ(Sniff(std::string_view("\x89PNG\r\n\x1a\n\0\0", 10)), FileType::kPng);
  EXPECT_EQ(Sniff("\xff\xd8\xff\xe0rest"), FileType::kJpeg);
  EXPECT_EQ(Sniff("GIF87a..."), FileType::kGif);
  EXPECT_EQ(Sniff("GIF89a..."), FileType::kGif);
  EXPECT_EQ(Sniff(std::string_view("RIFF\x10\0\0\0WEBPVP8 ", 16)), FileType::kWebp);
}

TEST(SniffTest, RefusesLookalikesAndOtherContent) {
  EXPECT_EQ(Sniff(""), std::nullopt);
  EXPECT_EQ(Sniff("\x89PNG"), std::nullopt) << "a truncated signature";
  EXPECT_EQ(Sniff("<html><script>alert(1)</script>"), std::nullopt);
  EXPECT_EQ(Sniff("<svg xmlns='http://www.w3.org/2000/svg'/>"), std::nullopt);
  EXPECT_EQ(Sniff(" \x89PNG\r\n\x1a\n"), std::nullopt) << "the signature must come first";
  EXPECT_EQ(Sniff(std::string_view("RIFF\x10\0\0\0WAVEfmt ", 16)), std::nullopt);
  EXPECT_EQ(Sniff("GIF88a"), std::nullopt);
}

TEST(SniffTest, MimeTypes) {
  EXPECT_EQ(MimeType(FileType::kPng), "image/png");
  EXPECT_EQ(MimeType(FileType::kJpeg), "image/jpeg");
  EXPECT_EQ(MimeType(FileType::kGif), "image/gif");
  EXPECT_EQ(MimeType(FileType::kWebp), "image/webp");
}

TEST(SniffTest, ParsesAllowedTypes) {
  auto all = ParseAllowedTypes("image/png,image/jpeg, image/gif ,image/webp");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 4u);
  auto some = ParseAllowedTypes("image/gif,,image/gif");
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(*some, std::vector<FileType>{FileType::kGif});
  EXPECT_TRUE(ParseAllowedTypes("")->empty());
  auto bad = ParseAllowedTypes("image/png,text/html");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("text/html"), std::string::npos);
}

}  // namespace
}  // namespace parley::upload
