// One iteration of the packet fuzzer: DecodePacket on arbitrary bytes, and the encoder's
// round trip on the same bytes used as a payload. Shared by the libFuzzer entry
// (packet_fuzz.cc) and the corpus replay test. Aborts, naming the broken property, when one
// fails.
#pragma once

#include <cstddef>
#include <cstdint>

namespace parley::packet {

void FuzzPacketOnce(const uint8_t* data, size_t size);

}  // namespace parley::packet
