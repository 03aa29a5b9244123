// libFuzzer entry for the RFC 6455 frame reader. Built only with -DPARLEY_FUZZ=ON (clang).
#include <cstddef>
#include <cstdint>

#include "protocol/ws/frame_fuzz_driver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  parley::ws::FuzzFrameReaderOnce(data, size);
  return 0;
}
