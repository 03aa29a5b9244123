// One iteration of the input fuzzer: the text parsers and validators that see raw client
// bytes before the WebSocket layer (request targets, percent-decoding, usernames, room
// names, chat text) and the JSON escaper that writes those bytes back out. Shared by the
// libFuzzer entry (input_fuzz.cc) and the corpus replay test. Aborts, naming the broken
// property, when one fails.
#pragma once

#include <cstddef>
#include <cstdint>

namespace parley::api {

void FuzzInputsOnce(const uint8_t* data, size_t size);

}  // namespace parley::api
