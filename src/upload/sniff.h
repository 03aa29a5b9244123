// Sniffing: the type of an uploaded file, decided from its first bytes (magic numbers),
// never from the client's Content-Type or file name. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace parley::upload {

// The file types parley can recognise. Each has one MIME type.
enum class FileType { kPng, kJpeg, kGif, kWebp };

// "image/png", ...
std::string_view MimeType(FileType type);

// The type whose signature `bytes` starts with, or nullopt. Only the signature is read:
// a file that starts like a PNG is a PNG to a browser told `image/png` with nosniff, so
// anything else in it cannot be run as HTML or script.
std::optional<FileType> Sniff(std::string_view bytes);

// Parses a comma-separated list of MIME types ("image/png, image/gif") into the types it
// names. Empty entries are skipped; an unknown type is an error naming it.
Result<std::vector<FileType>> ParseAllowedTypes(std::string_view list);

}  // namespace parley::upload
