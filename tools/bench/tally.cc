#include "tally.h"

namespace parley::bench {
namespace {

void MergeMap(std::map<uint32_t, uint64_t>& into, const std::map<uint32_t, uint64_t>& from) {
  for (const auto& [k, v] : from) into[k] += v;
}

}  // namespace

void Tally::Merge(const Tally& o) {
  sent += o.sent;
  sent_in_window += o.sent_in_window;
  send_skipped += o.send_skipped;
  deliveries += o.deliveries;
  deliveries_in_window += o.deliveries_in_window;
  reorders += o.reorders;
  connect_errors += o.connect_errors;
  closed_by_server += o.closed_by_server;
  error_frames += o.error_frames;
  upgrades += o.upgrades;
  joins += o.joins;
  join_behind += o.join_behind;
  acks += o.acks;
  acks_in_window += o.acks_in_window;
  matched += o.matched;
  matched_in_window += o.matched_in_window;
  searches += o.searches;
  chats_ended += o.chats_ended;
  latency.Merge(o.latency);
  delivery_latency.Merge(o.delivery_latency);
  MergeMap(sample_received, o.sample_received);
  MergeMap(sample_receivers, o.sample_receivers);
  MergeMap(sent_by_sender, o.sent_by_sender);
}

uint64_t Tally::SampleDrops() const {
  uint64_t drops = 0;
  for (const auto& [sender, receivers] : sample_receivers) {
    auto sent_it = sent_by_sender.find(sender);
    auto got_it = sample_received.find(sender);
    const uint64_t want = sent_it == sent_by_sender.end() ? 0 : sent_it->second * receivers;
    const uint64_t got = got_it == sample_received.end() ? 0 : got_it->second;
    if (want > got) drops += want - got;
  }
  return drops;
}

}  // namespace parley::bench
