// libFuzzer entry for binary packets (protocol/packet.h). Built only with -DPARLEY_FUZZ=ON
// (clang).
#include <cstddef>
#include <cstdint>

#include "protocol/packet_fuzz_driver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  parley::packet::FuzzPacketOnce(data, size);
  return 0;
}
