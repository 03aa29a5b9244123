// Tally: what one thread (or process) of parley-bench counted during one phase of a run.
// Each thread owns its own Tally; the coordinator merges them after the phase, so the data
// path takes no locks. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "histogram.h"

namespace parley::bench {

struct Tally {
  uint64_t sent = 0;                  // chat messages written (all of the phase)
  uint64_t sent_in_window = 0;        // of those, scheduled inside the measured window
  uint64_t send_skipped = 0;          // not sent: the socket's send queue was over its bound
  uint64_t deliveries = 0;            // chat frames received (all of the phase)
  uint64_t deliveries_in_window = 0;  // received inside the measured window
  uint64_t reorders = 0;              // sampled receivers: a sequence number at or below one seen
  uint64_t connect_errors = 0;        // refused, failed upgrade, closed or timed out before joining
  uint64_t closed_by_server = 0;      // joined connections the server closed
  uint64_t error_frames = 0;          // {"type":"error"} frames received
  uint64_t upgrades = 0;              // completed upgrades (connect scenario), inside the window
  uint64_t joins = 0;                 // completed joins (join scenario), inside the window
  uint64_t join_behind = 0;           // join scenario: scheduled joins not started (cap reached)
  uint64_t acks = 0;                  // durable: acknowledgements received (all of the phase)
  uint64_t acks_in_window = 0;        // durable: ... of messages scheduled inside the window
  uint64_t matched = 0;               // match: matched frames received (two per match)
  uint64_t matched_in_window = 0;     // match: ... received inside the window
  uint64_t searches = 0;              // match: searches sent
  uint64_t chats_ended = 0;           // match: chat_ended + partner_disconnected received
  Histogram latency;                  // microseconds: the scenario's main latency
  Histogram delivery_latency;         // durable: send to chat frame, every member
  // Sampled receivers: messages received per sender id, summed over those receivers, and
  // how many sampled receivers saw each sender (to compare with what each sender sent).
  std::map<uint32_t, uint64_t> sample_received;
  std::map<uint32_t, uint64_t> sample_receivers;
  // Messages each local sender sent.
  std::map<uint32_t, uint64_t> sent_by_sender;

  void Merge(const Tally& other);
  // Messages that sampled receivers should have seen but did not.
  uint64_t SampleDrops() const;
};

}  // namespace parley::bench
