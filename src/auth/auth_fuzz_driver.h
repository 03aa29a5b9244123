// One iteration of the identity fuzzer: the JWT parser, base64url and the credential
// reader on raw bytes. Shared by the libFuzzer entry (auth_fuzz.cc) and the corpus replay
// test. Aborts, naming the broken property, when one fails.
#pragma once

#include <cstddef>
#include <cstdint>

namespace parley::auth {

void FuzzAuthOnce(const uint8_t* data, size_t size);

}  // namespace parley::auth
