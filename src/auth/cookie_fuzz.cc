// libFuzzer entry for the Cookie header parser and the session credential.
// Built only with -DPARLEY_FUZZ=ON (clang).
#include <cstddef>
#include <cstdint>

#include "auth/cookie_fuzz_driver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  parley::auth::FuzzCookieOnce(data, size);
  return 0;
}
