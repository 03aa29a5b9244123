// idle: open --connections connections (rooms of --room-size members), hold them for
// --duration seconds, and report the server's memory per connection.
#include <fmt/format.h>

#include <string>

#include "common.h"
#include "persistent_run.h"
#include "scenarios.h"

namespace parley::bench {

Result RunIdle(const Options& o) {
  Result r;
  AddCommonParams(o, &r);
  r.params.emplace_back("connections", std::to_string(o.connections));
  r.params.emplace_back("room_size", std::to_string(o.room_size));

  PersistentPlan plan;
  plan.idle = true;
  const std::string base = RunRoomBase(o);
  const int n = std::max(1, o.connections);
  const int room_size = std::max(1, o.room_size);
  plan.members.resize(n);
  for (int i = 0; i < n; ++i) {
    MemberSpec& m = plan.members[i];
    m.path = JoinPath(o, fmt::format("u{}", i), fmt::format("{}-{}", base, i / room_size));
    m.source_addr = SourceAddress(o, i);
  }
  plan.recipients = [](uint64_t) { return 0; };
  RunPersistent(o, std::move(plan), &r);
  return r;
}

}  // namespace parley::bench
