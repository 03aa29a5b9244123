#include "upload/file_store.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/log.h"

namespace parley::upload {
namespace fs = std::filesystem;
namespace {

Status IoError(std::string_view what, const std::string& path) {
  const int err = errno;
  PARLEY_LOG_ERROR("upload_io_error what={} path={} errno={} error=\"{}\"", what, path, err,
                   std::strerror(err));
  return Status(ErrorCode::kUnavailable, "Files cannot be stored right now; try again.");
}

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool SyncDir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

// A temporary name no other Put in this process or an earlier one is using.
std::string TempName() {
  static std::atomic<uint64_t> counter{0};
  return std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)) + ".part";
}

}  // namespace

bool IsValidId(std::string_view id) {
  if (id.size() != 64) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr) != 1 || len != 32) {
    PARLEY_LOG_ERROR("sha256_failed bytes={}", bytes.size());
    std::abort();  // OpenSSL's SHA-256 cannot fail on valid input: a broken installation
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(64, '0');
  for (unsigned i = 0; i < 32; ++i) {
    out[2 * i] = kHex[md[i] >> 4];
    out[2 * i + 1] = kHex[md[i] & 15];
  }
  return out;
}

Result<FileStore> FileStore::Open(std::string root) {
  std::error_code ec;
  fs::create_directories(root + "/tmp", ec);
  if (ec) {
    return Status(ErrorCode::kUnavailable, "cannot create " + root + "/tmp: " + ec.message());
  }
  // Leftovers of writes a crash interrupted: never renamed, so never part of the store.
  for (const auto& entry : fs::directory_iterator(root + "/tmp", ec)) {
    fs::remove(entry.path(), ec);
  }
  return FileStore(std::move(root));
}

std::string FileStore::PathOf(std::string_view id) const {
  return root_ + "/" + std::string(id.substr(0, 2)) + "/" + std::string(id.substr(2));
}

Result<StoredFile> FileStore::Put(std::string_view bytes) const {
  StoredFile out{.id = Sha256Hex(bytes)};
  const std::string path = PathOf(out.id);
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) return out;  // stored before: same hash, same bytes

  const std::string dir = root_ + "/" + out.id.substr(0, 2);
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return IoError("mkdir", dir);
  const std::string tmp = root_ + "/tmp/" + TempName();
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("open", tmp);
  const bool written = WriteAll(fd, bytes) && ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (!written || !closed) {
    Status st = IoError("write", tmp);
    ::unlink(tmp.c_str());
    return st;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Status st = IoError("rename", path);
    ::unlink(tmp.c_str());
    return st;
  }
  if (!SyncDir(dir)) return IoError("fsync_dir", dir);
  out.created = true;
  return out;
}

Result<std::string> FileStore::Read(std::string_view id) const {
  const std::string path = PathOf(id);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return Status(ErrorCode::kNotFound, "No such file.");
    }
    return IoError("open", path);
  }
  std::string out;
  struct stat st;
  if (::fstat(fd, &st) == 0 && st.st_size > 0) out.reserve(static_cast<size_t>(st.st_size));
  char buf[65536];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status s = IoError("read", path);
      ::close(fd);
      return s;
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

}  // namespace parley::upload
