// One iteration of the multipart fuzzer: the upload parsers that see raw client bytes
// (the multipart body and its Content-Type boundary, the type sniffer, the allowed-types
// list). Shared by the libFuzzer entry (multipart_fuzz.cc) and the corpus replay test.
// Aborts, naming the broken property, when one fails.
#pragma once

#include <cstddef>
#include <cstdint>

namespace parley::upload {

// The input's first line is a Content-Type value; the rest is the body.
void FuzzMultipartOnce(const uint8_t* data, size_t size);

}  // namespace parley::upload
