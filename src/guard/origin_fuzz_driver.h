// One iteration of the origin fuzzer: OriginPolicy::Parse on a list and Allows on an Origin
// and a Host header, all taken from the input (split at newlines). Shared by the libFuzzer
// entry (origin_fuzz.cc) and the corpus replay test. Aborts, naming the broken property,
// when one fails.
#pragma once

#include <cstddef>
#include <cstdint>

namespace parley::guard {

void FuzzOriginOnce(const uint8_t* data, size_t size);

}  // namespace parley::guard
