// One iteration of the cookie fuzzer: the Cookie header parser and the credential reader
// on raw bytes. Shared by the libFuzzer entry (cookie_fuzz.cc) and the corpus replay test.
// Aborts, naming the broken property, when one fails.
#pragma once

#include <cstddef>
#include <cstdint>

namespace parley::auth {

void FuzzCookieOnce(const uint8_t* data, size_t size);

}  // namespace parley::auth
