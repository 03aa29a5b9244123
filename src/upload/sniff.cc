#include "upload/sniff.h"

#include <algorithm>
#include <array>

namespace parley::upload {
namespace {

struct Known {
  FileType type;
  std::string_view mime;
};

constexpr std::array<Known, 4> kKnown = {{
    {FileType::kPng, "image/png"},
    {FileType::kJpeg, "image/jpeg"},
    {FileType::kGif, "image/gif"},
    {FileType::kWebp, "image/webp"},
}};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view MimeType(FileType type) {
  for (const Known& k : kKnown) {
    if (k.type == type) return k.mime;
  }
  return "application/octet-stream";  // cannot happen: every FileType is in kKnown
}

std::optional<FileType> Sniff(std::string_view b) {
  // Signatures from the WHATWG MIME Sniffing standard, section 6.1 (image type patterns).
  if (b.starts_with(std::string_view("\x89PNG\r\n\x1a\n", 8))) return FileType::kPng;
  if (b.starts_with(std::string_view("\xff\xd8\xff", 3))) return FileType::kJpeg;
  if (b.starts_with("GIF87a") || b.starts_with("GIF89a")) return FileType::kGif;
  if (b.size() >= 12 && b.starts_with("RIFF") && b.substr(8, 6) == "WEBPVP") {
    return FileType::kWebp;
  }
  return std::nullopt;
}

Result<std::vector<FileType>> ParseAllowedTypes(std::string_view list) {
  std::vector<FileType> out;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view item = Trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (item.empty()) continue;
    auto it = std::find_if(kKnown.begin(), kKnown.end(),
                           [item](const Known& k) { return k.mime == item; });
    if (it == kKnown.end()) {
      return Status(ErrorCode::kBadRequest,
                    "unknown file type \"" + std::string(item) +
                        "\" (known: image/png, image/jpeg, image/gif, image/webp)");
    }
    if (std::find(out.begin(), out.end(), it->type) == out.end()) out.push_back(it->type);
  }
  return out;
}

}  // namespace parley::upload
