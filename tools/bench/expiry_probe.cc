#include "expiry_probe.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "loop.h"
#include "scenarios/common.h"

namespace parley::bench {
namespace {

struct Post {
  int64_t sent_ns = 0;
  int64_t answered_ns = 0;
  std::optional<bool> matched;  // nullopt: no answer, or not a match answer
};

// One POST /api/match on a fresh connection (Connection: close), read to the end.
Post PostMatch(const Options& o, const std::string& user, const std::string& language) {
  Post p;
  const std::string body = fmt::format(
      R"({{"userId":"{0}","userName":"{0}","deviceId":"{0}","mode":"voice","language":"{1}"}})",
      user, language);
  const std::string request = fmt::format(
      "POST /api/match HTTP/1.1\r\nHost: {}:{}\r\nContent-Type: application/json\r\n"
      "Content-Length: {}\r\nConnection: close\r\n\r\n{}",
      o.host, o.port, body.size(), body);
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return p;
  timeval timeout{.tv_sec = 5, .tv_usec = 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  const sockaddr_in server = ServerAddress(o);
  p.sent_ns = NowNs();
  std::string answer;
  if (connect(fd, reinterpret_cast<const sockaddr*>(&server), sizeof(server)) == 0 &&
      send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
    char buf[4096];
    for (ssize_t n; (n = recv(fd, buf, sizeof(buf), 0)) > 0;) answer.append(buf, n);
  }
  p.answered_ns = NowNs();
  close(fd);
  if (answer.find("\"matched\":true") != std::string::npos) p.matched = true;
  if (answer.find("\"matched\":false") != std::string::npos) p.matched = false;
  return p;
}

struct Probe {
  std::string name;
  bool expect_matched;
  int64_t offset_ns;  // kept: before first send + ttl; expired: after first answer + ttl
};

}  // namespace

ExpiryProbeResult RunExpiryProbes(const Options& o, double ttl_s) {
  const int64_t ttl_ns = static_cast<int64_t>(ttl_s * 1e9);
  const std::vector<Probe> probes = {
      {"kept, second post 200 ms before the end", true, -200'000'000},
      {"kept, second post 50 ms before the end", true, -50'000'000},
      {"expired, second post at the end", false, 0},
      {"expired, second post 50 ms after the end", false, 50'000'000},
  };
  const std::string run = std::to_string(NowNs() % 1'000'000'000);
  ExpiryProbeResult result;
  std::mutex lock;
  std::vector<std::thread> threads;
  for (size_t i = 0; i < probes.size(); ++i) {
    threads.emplace_back([&, i] {
      const Probe& probe = probes[i];
      const std::string language = fmt::format("probe{}x{}", run, i);
      const Post first = PostMatch(o, language + "a", language);
      std::string verdict;
      bool ok = false;
      bool judged = false;
      if (first.matched != false) {
        verdict = "first post was not left waiting";
      } else {
        const int64_t second_at = probe.expect_matched
                                      ? first.sent_ns + ttl_ns + probe.offset_ns
                                      : first.answered_ns + ttl_ns + probe.offset_ns;
        SleepUntil(second_at);
        const Post second = PostMatch(o, language + "b", language);
        if (!second.matched) {
          verdict = "no answer to the second post";
        } else if (probe.expect_matched && second.answered_ns >= first.sent_ns + ttl_ns) {
          verdict = "second post answered too late to judge";
        } else {
          judged = true;
          ok = *second.matched == probe.expect_matched;
          verdict = fmt::format("{} ({} expected)", *second.matched ? "matched" : "waiting",
                                probe.expect_matched ? "matched" : "waiting");
        }
      }
      std::lock_guard<std::mutex> hold(lock);
      if (!judged) {
        ++result.inconclusive;
      } else if (ok) {
        ++result.correct;
      } else {
        ++result.wrong;
      }
      result.detail += fmt::format("  expiry probe: {}: {}{}\n", probe.name, verdict,
                                   !judged ? " [inconclusive]" : (ok ? "" : " [WRONG]"));
    });
  }
  for (std::thread& t : threads) t.join();
  return result;
}

}  // namespace parley::bench
