// libFuzzer entry for the upload parsers (multipart bodies, boundaries, type sniffing).
// Built only with -DPARLEY_FUZZ=ON (clang).
#include <cstddef>
#include <cstdint>

#include "upload/multipart_fuzz_driver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  parley::upload::FuzzMultipartOnce(data, size);
  return 0;
}
