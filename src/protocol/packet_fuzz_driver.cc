// One iteration of the packet fuzzer: DecodePacket on arbitrary bytes, and the encoder's
// round trip on the same bytes used as a payload. Shared by the libFuzzer entry
// (tests/fuzz/libfuzzer_main.cc) and the corpus replay test. Aborts, naming the broken property,
// when one fails.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_once.h"
#include "protocol/packet.h"

namespace parley::packet {
namespace {

[[noreturn]] void Broken(const char* property) {
  std::fprintf(stderr, "packet fuzz: property broken: %s\n", property);
  std::abort();
}

// Small, so inputs that declare more than it are common and the refusal path is exercised.
constexpr size_t kLimit = 4096;

void FuzzPacketOnce(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  // 1. Untrusted bytes as a packet: never more than the limit, and what decodes encodes
  //    back to something that decodes to the same payload.
  Result<std::string> decoded = DecodePacket(bytes, kLimit);
  if (decoded.ok()) {
    if (decoded->size() > kLimit) Broken("decoded payload over the limit");
    Header h;
    if (!ReadHeader(bytes, &h) || h.payload_bytes != decoded->size()) {
      Broken("decoded size differs from the header's");
    }
    Result<std::string> again = DecodePacket(EncodePacket(*decoded, 1), kLimit);
    if (!again.ok() || *again != *decoded) Broken("re-encoded packet does not round-trip");
  } else if (decoded.status().message().empty()) {
    Broken("a refusal without a sentence");
  }

  // 2. The same bytes as a payload, compressed or not (threshold from the first byte).
  const size_t threshold = size == 0 ? 0 : data[0] % 64;
  const std::string packet = EncodePacket(bytes, threshold);
  Result<std::string> back = DecodePacket(packet, size);
  if (!back.ok() || *back != bytes) Broken("EncodePacket does not round-trip");
  if (packet.size() > kHeaderBytes + size) Broken("a packet larger than its raw form");
  if (size > 0 && DecodePacket(packet, size - 1).ok()) Broken("limit not enforced");
}

}  // namespace
}  // namespace parley::packet

void parley::fuzz::RunOnce(const uint8_t* data, size_t size) {
  parley::packet::FuzzPacketOnce(data, size);
}
