// The body of one fuzzer iteration. Every parser parley fuzzes has a driver (a
// *_fuzz_driver.cc beside the parser) that defines RunOnce for its own parser; parley_fuzzer()
// in CMakeLists.txt links that driver into two binaries: the libFuzzer target
// (libfuzzer_main.cc) and the corpus replay test (corpus_replay_test.cc), so the seeds and
// every crasher found so far run in every build.
//
// RunOnce aborts, with a line on stderr naming the broken property, when the parser
// misbehaves; sanitizers catch the rest. It keeps no state between calls.
#pragma once

#include <cstddef>
#include <cstdint>

namespace parley::fuzz {

void RunOnce(const uint8_t* data, size_t size);

}  // namespace parley::fuzz
