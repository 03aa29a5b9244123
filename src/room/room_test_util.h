// The fake RoomEffects and fixture shared by the Room tests: a room driven synchronously,
// every effect recorded.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <utility>
#include <vector>

#include "room/room.h"

namespace parley::room::testing_util {

// Records every effect, the way a shard would carry it out.
struct FakeEffects : RoomEffects {
  struct Sent {
    MemberRef to;
    std::string json;
  };
  struct Delivered {
    int shard;
    std::string json;
    bool droppable;
    std::string topic{};  // the hub topic: the room, or Seed003Topic(room)
  };
  std::vector<Sent> welcomed;  // frames sent to a joiner as it subscribes
  std::vector<std::string> welcome_topics;
  std::vector<Sent> sent;  // frames sent to one connection
  std::vector<Delivered> delivered;
  std::vector<std::pair<StoredMessage, uint64_t>> persisted;  // (message, epoch)
  std::vector<std::pair<Mutation, uint64_t>> mutations;       // (mutation, token)
  std::vector<std::pair<HistoryQuery, uint64_t>> reads;       // (query, token)

  static std::string Payload(const SharedFrame& f) {
    // Server frames are unmasked; skip the 2, 4 or 10 byte header.
    const auto len7 = static_cast<uint8_t>((*f)[1]) & 0x7F;
    const size_t header = len7 < 126 ? 2 : (len7 == 126 ? 4 : 10);
    return f->substr(header);
  }
  void Welcome(const MemberRef& to, const std::string& topic,
               std::vector<SharedFrame> frames) override {
    for (auto& f : frames) welcomed.push_back({to, Payload(f)});
    welcome_topics.push_back(topic);
  }
  void Send(const MemberRef& to, std::vector<SharedFrame> frames) override {
    for (auto& f : frames) sent.push_back({to, Payload(f)});
  }
  void Deliver(int shard, const std::string& topic, SharedFrame frame, bool droppable) override {
    delivered.push_back({shard, Payload(frame), droppable, topic});
  }
  void Persist(const StoredMessage& m, uint64_t epoch) override {
    persisted.emplace_back(m, epoch);
  }
  void Mutate(Mutation m, uint64_t token) override { mutations.emplace_back(std::move(m), token); }
  void Read(HistoryQuery q, uint64_t token) override { reads.emplace_back(std::move(q), token); }
  void Answer(uint64_t waiter, Result<RoomAnswer> answer) override {
    answers.emplace_back(waiter, std::move(answer));
  }
  std::vector<std::pair<uint64_t, Result<RoomAnswer>>> answers;  // (waiter, answer)
};

inline std::string Field(const std::string& json, const char* key) {
  simdjson::dom::parser p;
  auto el = p.parse(json)[key];
  if (el.is_string()) return std::string(std::string_view(el));
  if (el.is_bool()) return bool(el) ? "true" : "false";
  return std::to_string(int64_t(el));
}

// The seqs of the chat frames in `frames`, in order.
inline std::vector<int64_t> ChatSeqs(const std::vector<FakeEffects::Sent>& frames) {
  std::vector<int64_t> out;
  for (const auto& f : frames) {
    if (Field(f.json, "type") == "chat") out.push_back(std::stoll(Field(f.json, "seq")));
  }
  return out;
}

class RoomTest : public ::testing::Test {
 protected:
  RoomTest() : room_("general", Options(), clock_, fx_) { room_.Restore(RoomTail{}); }
  static RoomOptions Options() {
    return RoomOptions{.shard_count = 2, .join_messages = 3, .ring_size = 5, .max_replay = 20};
  }
  // Posts from `who` and has the store make it durable at once.
  int64_t PostDurable(const MemberRef& who, std::string text, std::string client_id = {}) {
    const int64_t seq =
        room_.Post(who, PostRequest{.text = std::move(text), .client_id = std::move(client_id)});
    if (seq > 0) room_.OnPersisted(seq, fx_.persisted.back().second, Status::Ok());
    return seq;
  }
  ManualClock clock_;
  FakeEffects fx_;
  Room room_;
};

}  // namespace parley::room::testing_util
