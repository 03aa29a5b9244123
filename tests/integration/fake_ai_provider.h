// A fake OpenAI-compatible provider for the AI integration tests: a loopback HTTP/1.1
// server on port 0, one thread per connection, answering POST /v1/chat/completions in the
// OpenAI wire format. The request's "model" picks the behaviour:
//
//   echo       JSON answer "echo: <last user message> [<n> messages]"
//   stream     SSE (chunked): "Hel", "lo", " world", then [DONE]
//   slow       SSE: five tokens, a pause before each, then [DONE]
//   midfail    SSE: two tokens, then {"error": {...}} and the connection closes
//   cut        SSE: one token, then the connection closes without [DONE]
//   malformed  SSE: one token, then an event that is not JSON
//   refuse     HTTP 401 with an OpenAI error that quotes the request's bearer key
//   garbage    HTTP 200 whose body is not JSON
//   hang       reads the request and never answers
//
// With a certificate it speaks HTTPS (OpenSSL) instead of plain HTTP.
// It records every request (head and body) so tests can check what parley sent.
// Thread-safe; the destructor stops every connection and joins the threads.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "test_tls.h"

typedef struct ssl_ctx_st SSL_CTX;

namespace parley::integration {

struct FakeRequest {
  std::string head;
  std::string body;
};

class FakeAiProvider {
 public:
  // `tls`: serve HTTPS with this certificate and key; nullptr = plain HTTP.
  explicit FakeAiProvider(const TestCertificate* tls = nullptr);
  ~FakeAiProvider();
  FakeAiProvider(const FakeAiProvider&) = delete;
  FakeAiProvider& operator=(const FakeAiProvider&) = delete;

  uint16_t port() const { return port_; }
  std::string base_url() const {
    return std::string(tls_ != nullptr ? "https" : "http") +
           "://127.0.0.1:" + std::to_string(port_) + "/v1";
  }
  std::vector<FakeRequest> requests();

 private:
  void AcceptLoop();
  void Serve(int fd);

  SSL_CTX* tls_ = nullptr;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  std::mutex mu_;
  std::condition_variable stop_cv_;
  std::vector<std::thread> workers_;   // guarded by mu_
  std::vector<int> fds_;               // open connections, guarded by mu_
  std::vector<FakeRequest> requests_;  // guarded by mu_
};

}  // namespace parley::integration
