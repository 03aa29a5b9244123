// One fuzz iteration over FrameReader, shared by the libFuzzer target (frame_fuzz.cc) and
// the corpus replay test (frame_corpus_test.cc), so every corpus file runs in every build.
#pragma once

#include <cstddef>
#include <cstdint>

namespace parley::ws {

// Input layout: byte 0 seeds the chunking, byte 1 picks the message size limit, the rest
// is the byte stream a client sends. Feeds the stream whole and in pseudo-random chunks
// and aborts (with a line on stderr) if an invariant breaks: both feedings report the same
// events; delivered text is valid UTF-8 and within the limit; the bytes left unconsumed
// are unmodified and bounded by max_pending_bytes(); every delivered message round-trips
// through EncodeClientFrame. Thread-compatible: no shared state.
void FuzzFrameReaderOnce(const uint8_t* data, size_t size);

}  // namespace parley::ws
