// The body of the seed 003 request fuzzer (seed003_fuzz.cc), shared with the test that
// replays its corpus (seed003_corpus_test.cc). Aborts when a property breaks.
#pragma once

#include <cstddef>
#include <cstdint>

namespace parley::api {

// Decodes `data` as a seed 003 frame and as both visitor bodies, and checks that what is
// accepted keeps every limit and that IsSeed003Frame agrees with the decoder.
void FuzzSeed003Once(const uint8_t* data, size_t size);

}  // namespace parley::api
