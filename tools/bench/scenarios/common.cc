#include "common.h"

#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include <random>

#include "../loop.h"
#include "../proc_sampler.h"

namespace parley::bench {

sockaddr_in ServerAddress(const Options& o) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(o.port);
  if (inet_pton(AF_INET, o.host.c_str(), &a.sin_addr) != 1) a.sin_addr.s_addr = 0;
  return a;
}

uint32_t SourceAddress(const Options& o, uint64_t index) {
  const uint32_t n = static_cast<uint32_t>(std::max(1, std::min(o.source_addrs, 250)));
  const uint32_t host = (127u << 24) | (2u + static_cast<uint32_t>(index % n));
  return htonl(host);
}

std::string RunRoomBase(const Options& o) {
  std::random_device rd;
  const uint32_t id = rd() ^ static_cast<uint32_t>(getpid());
  char hex[9];
  snprintf(hex, sizeof(hex), "%08x", id);
  return o.room_prefix + "-" + o.scenario + "-" + hex;
}

std::string JoinPath(const Options& o, const std::string& username, const std::string& room) {
  if (o.protocol == Protocol::kSocketIo) {
    return "/socket.io/?EIO=4&transport=websocket&username=" + username + "&room=" + room;
  }
  return "/ws?username=" + username + "&room=" + room;
}

void SleepUntil(int64_t when_ns) {
  timespec ts{};
  ts.tv_sec = when_ns / 1'000'000'000;
  ts.tv_nsec = when_ns % 1'000'000'000;
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

void WindowSampler::Begin() {
  own_begin_ = OwnCpuSeconds();
  if (pid_ > 0) {
    if (auto s = SampleProcess(pid_)) begin_cpu_ = s->cpu_s;
  }
}

void WindowSampler::End() {
  own_end_ = OwnCpuSeconds();
  if (pid_ > 0) {
    if (auto s = SampleProcess(pid_)) {
      end_cpu_ = s->cpu_s;
      rss_kb_ = s->rss_kb;
    }
  }
}

std::optional<double> WindowSampler::server_cpu_s() const {
  if (!begin_cpu_ || !end_cpu_) return std::nullopt;
  return *end_cpu_ - *begin_cpu_;
}

void AddCommonParams(const Options& o, Result* r) {
  r->scenario = o.scenario;
  r->label = o.label;
  r->params.emplace_back("host", JsonString(o.host));
  r->params.emplace_back("port", std::to_string(o.port));
  // durable and match speak parley's own protocols whatever --protocol says.
  const char* protocol = o.scenario == "durable"             ? "native-v1"
                         : o.scenario == "match"             ? "random-chat"
                         : o.protocol == Protocol::kSocketIo ? "socketio"
                                                             : "seed004";
  r->params.emplace_back("protocol", JsonString(protocol));
  r->params.emplace_back("threads", std::to_string(o.threads));
  r->params.emplace_back("duration", JsonNumber(o.duration));
  r->params.emplace_back("warmup", JsonNumber(o.warmup));
  r->params.emplace_back("server_pid", std::to_string(o.server_pid));
  r->params.emplace_back("bulk_interval_us", std::to_string(o.bulk_interval_us));
}

}  // namespace parley::bench
