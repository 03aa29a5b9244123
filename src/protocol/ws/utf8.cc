#include "protocol/ws/utf8.h"

#include <array>
#include <cstring>

namespace parley::ws {
namespace {

// A DFA over byte classes, derived from the RFC 3629 section 4 syntax. Each state is the
// set of bytes allowed next; the narrowed ranges after E0, ED, F0 and F4 are what reject
// overlongs, surrogates and code points past U+10FFFF.
enum Class : uint8_t {
  kAscii,    // 00..7F
  kCont8,    // 80..8F
  kCont9,    // 90..9F
  kContA,    // A0..BF
  kLead2,    // C2..DF
  kE0,       // E0
  kLead3,    // E1..EC, EE..EF
  kED,       // ED
  kF0,       // F0
  kLead4,    // F1..F3
  kF4,       // F4
  kInvalid,  // C0, C1, F5..FF
};
constexpr unsigned kNumClasses = kInvalid + 1;

enum State : uint8_t {
  kAccept = 0,  // must be 0: Utf8Validator::Complete() tests state_ == 0
  kReject,
  kNeed1,    // one more 80..BF
  kNeed2,    // two more 80..BF
  kNeed3,    // three more 80..BF
  kAfterE0,  // A0..BF then kNeed1 (shorter forms would be overlong)
  kAfterED,  // 80..9F then kNeed1 (A0..BF would encode a surrogate)
  kAfterF0,  // 90..BF then kNeed2 (shorter forms would be overlong)
  kAfterF4,  // 80..8F then kNeed2 (higher would pass U+10FFFF)
};
constexpr unsigned kNumStates = kAfterF4 + 1;

constexpr Class ClassOf(unsigned b) {
  if (b <= 0x7F) return kAscii;
  if (b <= 0x8F) return kCont8;
  if (b <= 0x9F) return kCont9;
  if (b <= 0xBF) return kContA;
  if (b <= 0xC1) return kInvalid;
  if (b <= 0xDF) return kLead2;
  if (b == 0xE0) return kE0;
  if (b == 0xED) return kED;
  if (b <= 0xEF) return kLead3;
  if (b == 0xF0) return kF0;
  if (b <= 0xF3) return kLead4;
  if (b == 0xF4) return kF4;
  return kInvalid;
}

constexpr State Next(State s, Class c) {
  const bool cont = c == kCont8 || c == kCont9 || c == kContA;
  switch (s) {
    case kAccept:
      switch (c) {
        case kAscii:
          return kAccept;
        case kLead2:
          return kNeed1;
        case kE0:
          return kAfterE0;
        case kLead3:
          return kNeed2;
        case kED:
          return kAfterED;
        case kF0:
          return kAfterF0;
        case kLead4:
          return kNeed3;
        case kF4:
          return kAfterF4;
        default:
          return kReject;
      }
    case kNeed1:
      return cont ? kAccept : kReject;
    case kNeed2:
      return cont ? kNeed1 : kReject;
    case kNeed3:
      return cont ? kNeed2 : kReject;
    case kAfterE0:
      return c == kContA ? kNeed1 : kReject;
    case kAfterED:
      return (c == kCont8 || c == kCont9) ? kNeed1 : kReject;
    case kAfterF0:
      return (c == kCont9 || c == kContA) ? kNeed2 : kReject;
    case kAfterF4:
      return c == kCont8 ? kNeed2 : kReject;
    default:
      return kReject;
  }
}

struct Tables {
  std::array<uint8_t, 256> byte_class{};
  std::array<uint8_t, kNumStates * kNumClasses> next{};
};

constexpr Tables MakeTables() {
  Tables t;
  for (unsigned b = 0; b < 256; ++b) t.byte_class[b] = ClassOf(b);
  for (unsigned s = 0; s < kNumStates; ++s) {
    for (unsigned c = 0; c < kNumClasses; ++c) {
      t.next[s * kNumClasses + c] = Next(static_cast<State>(s), static_cast<Class>(c));
    }
  }
  return t;
}

constexpr Tables kTables = MakeTables();

constexpr uint64_t kHighBits = 0x8080808080808080ull;

}  // namespace

bool Utf8Validator::Feed(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto* end = p + bytes.size();
  uint32_t state = state_;
  while (p < end) {
    // Chat text is mostly ASCII: between code points, skip 8 ASCII bytes per step.
    if (state == kAccept) {
      while (end - p >= 8) {
        uint64_t word;
        std::memcpy(&word, p, 8);
        if (word & kHighBits) break;
        p += 8;
      }
      if (p == end) break;
    }
    state = kTables.next[state * kNumClasses + kTables.byte_class[*p++]];
    if (state == kReject) break;
  }
  state_ = state;
  return state_ != kReject;
}

bool IsValidUtf8(std::string_view bytes) {
  Utf8Validator v;
  return v.Feed(bytes) && v.Complete();
}

}  // namespace parley::ws
