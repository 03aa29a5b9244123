// fanout: one room with --members members, --senders of which send --rate messages/s in
// total; every message is delivered to every member (the sender included).
#include <fmt/format.h>

#include <string>

#include "common.h"
#include "persistent_run.h"
#include "scenarios.h"

namespace parley::bench {

Result RunFanout(const Options& o) {
  Result r;
  AddCommonParams(o, &r);
  r.params.emplace_back("members", std::to_string(o.members));
  r.params.emplace_back("senders", std::to_string(o.senders));
  r.params.emplace_back("rate", JsonNumber(o.rate));
  r.params.emplace_back("size", std::to_string(o.size));
  r.params.emplace_back("step_up", o.step_up ? "true" : "false");
  r.params.emplace_back("sample_receivers", std::to_string(o.sample_receivers));

  PersistentPlan plan;
  const std::string room = RunRoomBase(o);
  const int members = std::max(1, o.members);
  const int senders = std::clamp(o.senders, 0, members);
  const int samples = std::clamp(o.sample_receivers, 0, members);
  plan.senders = senders;
  plan.members.resize(members);
  for (int i = 0; i < members; ++i) {
    MemberSpec& m = plan.members[i];
    m.path = JoinPath(o, fmt::format("u{}", i), room);
    m.source_addr = SourceAddress(o, i);
    if (i < senders) m.sender_id = i;
  }
  // Sampled receivers spread evenly over the members.
  for (int k = 0; k < samples; ++k) {
    plan.members[static_cast<size_t>(k) * members / samples].sampled = true;
  }
  plan.recipients = [](uint64_t joined) { return joined; };
  RunPersistent(o, std::move(plan), &r);
  return r;
}

}  // namespace parley::bench
