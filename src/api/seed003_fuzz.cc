// libFuzzer entry for seed 003's request decoder (frames and visitor bodies).
// Built only with -DPARLEY_FUZZ=ON (clang).
#include <cstddef>
#include <cstdint>

#include "api/seed003_fuzz_driver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  parley::api::FuzzSeed003Once(data, size);
  return 0;
}
