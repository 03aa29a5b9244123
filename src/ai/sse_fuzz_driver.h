// One fuzz iteration over the provider-facing parsers, shared by the libFuzzer target
// (sse_fuzz.cc) and the corpus replay test (sse_corpus_test.cc), so every corpus file runs
// in every build.
#pragma once

#include <cstddef>
#include <cstdint>

namespace parley::ai {

// Input layout: byte 0 seeds the chunking, the rest is a provider's response body. Feeds it
// to an SseParser whole and in pseudo-random chunks and aborts (with a line on stderr) if an
// invariant breaks: both feedings report the same events; buffered bytes stay within the
// limit; every event's data goes through DecodeStreamChunk, and any text it yields encodes
// to valid UTF-8 JSON. The whole body also goes through DecodeChatAnswer,
// DescribeProviderError (which must never echo the key) and DecodeAsk.
void FuzzSseOnce(const uint8_t* data, size_t size);

}  // namespace parley::ai
