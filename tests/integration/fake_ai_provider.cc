#include "fake_ai_provider.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>

#include "json.h"

namespace parley::integration {
namespace {

using testing::JsonDoc;

// One accepted connection: plain, or TLS when `ssl` is set.
struct Io {
  int fd = -1;
  SSL* ssl = nullptr;

  ssize_t Read(char* buf, size_t n) {
    if (ssl == nullptr) return ::recv(fd, buf, n, 0);
    return SSL_read(ssl, buf, static_cast<int>(n));
  }
  ssize_t Write(std::string_view bytes) {
    if (ssl == nullptr) return ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    return SSL_write(ssl, bytes.data(), static_cast<int>(bytes.size()));
  }
};

bool WriteAll(Io& io, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = io.Write(bytes);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Reads one request (head and Content-Length body). False when the peer went away.
bool ReadRequest(Io& io, FakeRequest& out) {
  std::string data;
  char buf[4096];
  size_t head_end = std::string::npos;
  size_t length = 0;
  for (;;) {
    if (head_end == std::string::npos) {
      head_end = data.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        std::string lower = data.substr(0, head_end);
        std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
        auto at = lower.find("content-length:");
        if (at != std::string::npos) length = std::stoul(lower.substr(at + 15));
      }
    }
    if (head_end != std::string::npos && data.size() >= head_end + 4 + length) break;
    ssize_t n = io.Read(buf, sizeof buf);
    if (n <= 0) return false;
    data.append(buf, static_cast<size_t>(n));
  }
  out.head = data.substr(0, head_end);
  out.body = data.substr(head_end + 4, length);
  return true;
}

std::string Chunk(std::string_view data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return std::string(size) + std::string(data) + "\r\n";
}

std::string TokenEvent(std::string_view text) {
  return Chunk(
      "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
      "\"delta\":{\"content\":\"" +
      std::string(text) + "\"},\"finish_reason\":null}]}\n\n");
}

constexpr std::string_view kSseHead =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
    "Connection: close\r\n\r\n";

std::string JsonResponse(int status, std::string_view body) {
  return "HTTP/1.1 " + std::to_string(status) +
         " X\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

// The bearer key of the request head, or "".
std::string BearerKey(const std::string& head) {
  auto at = head.find("Authorization: Bearer ");
  if (at == std::string::npos) return "";
  at += 22;
  return head.substr(at, head.find("\r\n", at) - at);
}

}  // namespace

FakeAiProvider::FakeAiProvider(const TestCertificate* tls) {
  if (tls != nullptr) {
    // SSL_write to a client that hung up must fail, not kill the test.
    std::signal(SIGPIPE, SIG_IGN);
    tls_ = SSL_CTX_new(TLS_server_method());
    BIO* cert = BIO_new_mem_buf(tls->cert_pem.data(), static_cast<int>(tls->cert_pem.size()));
    BIO* key = BIO_new_mem_buf(tls->key_pem.data(), static_cast<int>(tls->key_pem.size()));
    X509* x = PEM_read_bio_X509(cert, nullptr, nullptr, nullptr);
    EVP_PKEY* k = PEM_read_bio_PrivateKey(key, nullptr, nullptr, nullptr);
    SSL_CTX_use_certificate(tls_, x);
    SSL_CTX_use_PrivateKey(tls_, k);
    X509_free(x);
    EVP_PKEY_free(k);
    BIO_free(cert);
    BIO_free(key);
  }
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::listen(listen_fd_, 64);
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

FakeAiProvider::~FakeAiProvider() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  {
    std::lock_guard lock(mu_);
    for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
  }
  stop_cv_.notify_all();
  acceptor_.join();
  ::close(listen_fd_);
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mu_);
    workers.swap(workers_);
  }
  for (auto& t : workers) t.join();
  if (tls_ != nullptr) SSL_CTX_free(tls_);
}

std::vector<FakeRequest> FakeAiProvider::requests() {
  std::lock_guard lock(mu_);
  return requests_;
}

void FakeAiProvider::AcceptLoop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    std::lock_guard lock(mu_);
    if (stopping_) {
      ::close(fd);
      break;
    }
    fds_.push_back(fd);
    workers_.emplace_back([this, fd] { Serve(fd); });
  }
}

void FakeAiProvider::Serve(int fd) {
  FakeRequest req;
  Io io{.fd = fd};
  bool ready = true;
  if (tls_ != nullptr) {
    io.ssl = SSL_new(tls_);
    SSL_set_fd(io.ssl, fd);
    // A client that does not trust the certificate gives up here.
    ready = SSL_accept(io.ssl) == 1;
  }
  if (ready && ReadRequest(io, req)) {
    {
      std::lock_guard lock(mu_);
      requests_.push_back(req);
    }
    auto doc = JsonDoc::Parse(req.body);
    const std::string model = doc ? doc->Str("model") : "";
    const auto messages = doc ? doc->Items("messages") : std::vector<std::string>{};
    std::string last_user;
    for (const auto& m : messages) {
      auto md = JsonDoc::Parse(m);
      if (md && md->Str("role") == "user") last_user = md->Str("content");
    }
    if (model == "echo") {
      const std::string text =
          "echo: " + last_user + " [" + std::to_string(messages.size()) + " messages]";
      std::string body =
          "{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
          "\"assistant\",\"content\":\"" +
          text + "\"},\"finish_reason\":\"stop\"}]}";
      WriteAll(io, JsonResponse(200, body));
    } else if (model == "stream" || model == "slow") {
      WriteAll(io, kSseHead);
      WriteAll(io,
               Chunk("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n"));
      const std::vector<std::string> tokens =
          model == "stream" ? std::vector<std::string>{"Hel", "lo", " world"}
                            : std::vector<std::string>{"one", " two", " three", " four", " five"};
      for (const auto& t : tokens) {
        if (model == "slow") std::this_thread::sleep_for(std::chrono::milliseconds(300));
        WriteAll(io, TokenEvent(t));
      }
      WriteAll(io, Chunk("data: [DONE]\n\n"));
      WriteAll(io, "0\r\n\r\n");
    } else if (model == "midfail") {
      WriteAll(io, kSseHead);
      WriteAll(io, TokenEvent("par") + TokenEvent("tial"));
      WriteAll(io, Chunk("data: {\"error\":{\"message\":\"The server is overloaded.\"}}\n\n"));
    } else if (model == "cut") {
      WriteAll(io, kSseHead);
      WriteAll(io, TokenEvent("only"));
    } else if (model == "malformed") {
      WriteAll(io, kSseHead);
      WriteAll(io, TokenEvent("ok") + Chunk("data: {this is not json\n\n"));
    } else if (model == "refuse") {
      WriteAll(io, JsonResponse(401, "{\"error\":{\"message\":\"Incorrect API key provided: " +
                                         BearerKey(req.head) +
                                         ".\",\"type\":\"invalid_request_error\"}}"));
    } else if (model == "garbage") {
      WriteAll(io, JsonResponse(200, "<html>not json</html>"));
    } else {  // hang, or anything unknown: never answer
      std::unique_lock lock(mu_);
      stop_cv_.wait(lock, [this] { return stopping_.load(); });
    }
  }
  if (io.ssl != nullptr) {
    if (ready) SSL_shutdown(io.ssl);
    SSL_free(io.ssl);
  }
  std::lock_guard lock(mu_);
  fds_.erase(std::remove(fds_.begin(), fds_.end(), fd), fds_.end());
  ::close(fd);
}

}  // namespace parley::integration
