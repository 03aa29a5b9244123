// libFuzzer's entry point for every parley fuzzer; which parser it fuzzes is decided by the
// driver it is linked with (see fuzz_once.h). Built only with -DPARLEY_FUZZ=ON (clang).
#include <cstddef>
#include <cstdint>

#include "fuzz_once.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  parley::fuzz::RunOnce(data, size);
  return 0;
}
