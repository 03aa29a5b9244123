// libFuzzer entry for the AI provider's parsers. Built only with -DPARLEY_FUZZ=ON (clang).
#include <cstddef>
#include <cstdint>

#include "ai/sse_fuzz_driver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  parley::ai::FuzzSseOnce(data, size);
  return 0;
}
