// pairs: --pairs rooms of two members; both members send, --rate messages/s in total, and
// each message is delivered to both members of its room.
#include <fmt/format.h>

#include <string>

#include "common.h"
#include "persistent_run.h"
#include "scenarios.h"

namespace parley::bench {

Result RunPairs(const Options& o) {
  Result r;
  AddCommonParams(o, &r);
  r.params.emplace_back("pairs", std::to_string(o.pairs));
  r.params.emplace_back("rate", JsonNumber(o.rate));
  r.params.emplace_back("size", std::to_string(o.size));
  r.params.emplace_back("sample_receivers", std::to_string(o.sample_receivers));

  PersistentPlan plan;
  const std::string base = RunRoomBase(o);
  const int pairs = std::max(1, o.pairs);
  const int members = 2 * pairs;
  const int samples = std::clamp(o.sample_receivers, 0, members);
  plan.senders = members;
  plan.members.resize(members);
  for (int i = 0; i < members; ++i) {
    MemberSpec& m = plan.members[i];
    m.path = JoinPath(o, fmt::format("u{}", i), fmt::format("{}-{}", base, i / 2));
    m.source_addr = SourceAddress(o, i);
    m.sender_id = i;
  }
  for (int k = 0; k < samples; ++k) {
    plan.members[static_cast<size_t>(k) * members / samples].sampled = true;
  }
  plan.recipients = [](uint64_t) { return 2; };
  RunPersistent(o, std::move(plan), &r);
  return r;
}

}  // namespace parley::bench
