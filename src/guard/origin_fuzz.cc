// libFuzzer entry for the Origin header and security.allowed_origins parser.
// Built only with -DPARLEY_FUZZ=ON (clang).
#include <cstddef>
#include <cstdint>

#include "guard/origin_fuzz_driver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  parley::guard::FuzzOriginOnce(data, size);
  return 0;
}
