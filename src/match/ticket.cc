#include "match/ticket.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace parley::match {
namespace {

Status IoError(const std::string& path, std::string_view what) {
  return Status(ErrorCode::kUnavailable,
                "match secret " + path + ": " + std::string(what) + ": " + std::strerror(errno));
}

bool ReadAll(int fd, uint8_t* out, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::read(fd, out + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    got += static_cast<size_t>(r);
  }
  uint8_t extra;
  return ::read(fd, &extra, 1) == 0;  // exactly n bytes, nothing more
}

}  // namespace

Result<TicketSigner> TicketSigner::LoadOrCreate(const std::string& path) {
  Secret secret{};
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    const bool ok = ReadAll(fd, secret.data(), secret.size());
    ::close(fd);
    if (!ok) {
      return Status(ErrorCode::kUnavailable,
                    "match secret " + path + " must hold exactly 32 bytes; delete it to " +
                        "create a new one (open chats then lose their tickets)");
    }
    return TicketSigner(secret);
  }
  if (errno != ENOENT) return IoError(path, "cannot open");
  if (RAND_bytes(secret.data(), static_cast<int>(secret.size())) != 1) {
    return Status(ErrorCode::kUnavailable, "match secret: no random bytes available");
  }
  // O_EXCL: two processes starting on one data dir never overwrite each other's secret.
  fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return IoError(path, "cannot create");
  const bool ok =
      ::write(fd, secret.data(), secret.size()) == static_cast<ssize_t>(secret.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return IoError(path, "cannot write");
  return TicketSigner(secret);
}

std::string TicketSigner::Sign(std::string_view session_id, std::string_view user_id) const {
  std::string input;
  input.reserve(session_id.size() + user_id.size() + 1);
  input.append(session_id).append("\n").append(user_id);
  uint8_t mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const uint8_t*>(input.data()), input.size(), mac, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 15];
  }
  return out;
}

bool TicketSigner::Verify(std::string_view session_id, std::string_view user_id,
                          std::string_view ticket) const {
  const std::string expected = Sign(session_id, user_id);
  if (ticket.size() != expected.size()) return false;
  return CRYPTO_memcmp(expected.data(), ticket.data(), expected.size()) == 0;
}

}  // namespace parley::match
