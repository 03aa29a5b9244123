// The web UI's static files, embedded in the binary at build time (Pages' job in the
// seeds). Read-only data; thread-safe. The build generates the table from src/web/static
// (embed_assets.cmake): one entry per file, body byte-for-byte equal to the file.
#pragma once

#include <string_view>

namespace parley::web {

struct Asset {
  std::string_view path;          // "/index.html", "/chat.html", "/style.css", ...
  std::string_view content_type;  // "text/html; charset=utf-8", ...
  std::string_view body;
  std::string_view etag;  // quoted strong validator derived from the content
};

// The asset served at `path` ("/" is "/index.html"), or nullptr. `path` is the URL path
// alone, without query string; matching is exact and case-sensitive.
const Asset* FindAsset(std::string_view path);

}  // namespace parley::web
