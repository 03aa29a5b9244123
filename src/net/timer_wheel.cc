#include "net/timer_wheel.h"

namespace parley::net {

void TimerNode::Cancel() {
  if (wheel_ != nullptr) wheel_->Unlink(*this);
}

TimerWheel::TimerWheel(size_t slots) : heads_(slots, nullptr) {}

TimerWheel::~TimerWheel() {
  for (auto*& head : heads_) {
    while (head != nullptr) Unlink(*head);
  }
}

void TimerWheel::Unlink(TimerNode& node) {
  auto& head = heads_[node.expires_tick_ % heads_.size()];
  if (node.prev_ != nullptr) {
    node.prev_->next_ = node.next_;
  } else {
    head = node.next_;
  }
  if (node.next_ != nullptr) node.next_->prev_ = node.prev_;
  node.prev_ = node.next_ = nullptr;
  node.wheel_ = nullptr;
  --size_;
}

void TimerWheel::Schedule(TimerNode& node, uint64_t ticks) {
  if (node.wheel_ != nullptr) node.wheel_->Unlink(node);
  node.expires_tick_ = now_ + (ticks == 0 ? 1 : ticks);
  auto& head = heads_[node.expires_tick_ % heads_.size()];
  node.prev_ = nullptr;
  node.next_ = head;
  if (head != nullptr) head->prev_ = &node;
  head = &node;
  node.wheel_ = this;
  ++size_;
}

void TimerWheel::Tick() {
  ++now_;
  // One due node at a time, rescanning from the head: OnTimeout may schedule, cancel or
  // destroy any other node, so no pointer into the list survives a callback.
  auto& head = heads_[now_ % heads_.size()];
  for (;;) {
    TimerNode* node = head;
    while (node != nullptr && node->expires_tick_ > now_) node = node->next_;
    if (node == nullptr) return;
    Unlink(*node);
    node->OnTimeout();
  }
}

}  // namespace parley::net
