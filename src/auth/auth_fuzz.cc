// libFuzzer entry for the identity parsers (JWT, base64url, credentials).
// Built only with -DPARLEY_FUZZ=ON (clang).
#include <cstddef>
#include <cstdint>

#include "auth/auth_fuzz_driver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  parley::auth::FuzzAuthOnce(data, size);
  return 0;
}
