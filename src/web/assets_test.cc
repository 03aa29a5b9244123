#include "web/assets.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

namespace parley::web {
namespace {

namespace fs = std::filesystem;

const fs::path kStaticDir = PARLEY_WEB_STATIC_DIR;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// URL path ("/css/x.css") of every regular file under the static folder.
std::vector<std::string> StaticPaths() {
  std::vector<std::string> paths;
  for (const auto& entry : fs::recursive_directory_iterator(kStaticDir)) {
    if (!entry.is_regular_file()) continue;
    std::string rel = fs::relative(entry.path(), kStaticDir).generic_string();
    if (rel.front() == '.' || rel.find("/.") != std::string::npos) continue;
    paths.push_back("/" + rel);
  }
  return paths;
}

std::string ExpectedType(const std::string& path) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".ico", "image/x-icon"},
      {".png", "image/png"},
      {".json", "application/json"},
  };
  auto it = kTypes.find(fs::path(path).extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

TEST(AssetsTest, EveryStaticFileIsEmbeddedWithItsBytesAndType) {
  std::vector<std::string> paths = StaticPaths();
  ASSERT_FALSE(paths.empty());
  for (const std::string& path : paths) {
    SCOPED_TRACE(path);
    const Asset* asset = FindAsset(path);
    ASSERT_NE(asset, nullptr);
    EXPECT_EQ(asset->path, path);
    EXPECT_EQ(asset->content_type, ExpectedType(path));
    EXPECT_EQ(asset->body, ReadFile(kStaticDir / path.substr(1)));
  }
}

TEST(AssetsTest, TheUiPagesAndScriptsAreAllThere) {
  for (const char* path : {"/index.html", "/chat.html", "/style.css", "/app.js", "/chat.js"}) {
    EXPECT_NE(FindAsset(path), nullptr) << path;
  }
}

TEST(AssetsTest, BinaryFilesKeepEveryByte) {
  // The icon is a real binary file: it has NUL bytes, so it only matches the file on disk
  // if the embedding never treats the data as a C string.
  const Asset* icon = FindAsset("/favicon.ico");
  ASSERT_NE(icon, nullptr);
  std::string on_disk = ReadFile(kStaticDir / "favicon.ico");
  ASSERT_NE(on_disk.find('\0'), std::string::npos);
  EXPECT_EQ(icon->body.size(), on_disk.size());
  EXPECT_EQ(icon->body, on_disk);
}

TEST(AssetsTest, RootServesTheLandingPage) {
  const Asset* root = FindAsset("/");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root, FindAsset("/index.html"));
  EXPECT_EQ(root->content_type, "text/html; charset=utf-8");
}

TEST(AssetsTest, UnknownPathsAreNotFound) {
  for (const char* path : {"", "/nope.html", "index.html", "/index.html/", "/INDEX.HTML",
                           "/../CMakeLists.txt", "/static/index.html", "//index.html"}) {
    EXPECT_EQ(FindAsset(path), nullptr) << '"' << path << '"';
  }
}

TEST(AssetsTest, EtagsAreQuotedAndFollowTheContent) {
  std::map<std::string, std::string> body_by_etag;
  for (const std::string& path : StaticPaths()) {
    const Asset* asset = FindAsset(path);
    ASSERT_NE(asset, nullptr) << path;
    std::string etag(asset->etag);
    ASSERT_GE(etag.size(), 3u) << path;
    EXPECT_EQ(etag.front(), '"') << path;
    EXPECT_EQ(etag.back(), '"') << path;
    EXPECT_EQ(etag.find('"', 1), etag.size() - 1) << path;
    // Two different bodies never share a validator, or a cache would serve the wrong one.
    auto [it, inserted] = body_by_etag.emplace(etag, std::string(asset->body));
    if (!inserted) {
      EXPECT_EQ(it->second, asset->body) << path;
    }
  }
}

}  // namespace
}  // namespace parley::web
