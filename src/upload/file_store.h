// FileStore: uploaded files on disk, content-addressed. A file's id is the SHA-256 of its
// bytes in lowercase hex; it lives at <root>/<id[0:2]>/<id[2:]>. It is written to
// <root>/tmp/ first and renamed into place, so a reader never sees half a file and a crash
// leaves at most a temporary file (removed at the next Open). The same bytes stored twice
// are one file.
//
// Thread: blocking disk I/O. Call it only from the upload worker (worker.h), never from a
// shard thread. Concurrent Put/Read calls are safe (each file is written once, under a
// unique temporary name, and renamed atomically).
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace parley::upload {

struct StoredFile {
  std::string id;        // 64 lowercase hex characters
  bool created = false;  // false when the same bytes were already stored
};

class FileStore {
 public:
  // Creates <root> and <root>/tmp when missing and empties <root>/tmp.
  static Result<FileStore> Open(std::string root);

  // Stores `bytes` (durably: fsync of the file and its directory) and returns its id.
  Result<StoredFile> Put(std::string_view bytes) const;
  // The bytes stored under `id`. kNotFound when there is none. REQUIRES: IsValidId(id).
  Result<std::string> Read(std::string_view id) const;

  const std::string& root() const { return root_; }

 private:
  explicit FileStore(std::string root) : root_(std::move(root)) {}
  std::string PathOf(std::string_view id) const;

  std::string root_;
};

// True when `id` is exactly 64 characters of [0-9a-f]. Checked before any path is built,
// so no id can name a file outside the store ("..", "/", "%2e" are not hex).
bool IsValidId(std::string_view id);

// The lowercase hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);

}  // namespace parley::upload
