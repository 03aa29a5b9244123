// libFuzzer entry for the text inputs parley parses outside the WebSocket layer.
// Built only with -DPARLEY_FUZZ=ON (clang).
#include <cstddef>
#include <cstdint>

#include "api/input_fuzz_driver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  parley::api::FuzzInputsOnce(data, size);
  return 0;
}
