// SharedFrame: one complete, encoded WebSocket frame (header + payload) shared by every
// recipient of a broadcast. Immutable once made, so any thread may hold and read it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "protocol/ws/frame.h"

namespace parley {

using SharedFrame = std::shared_ptr<const std::string>;

// Wraps a JSON payload into one unmasked text frame, encoded once.
inline SharedFrame MakeTextFrame(std::string_view payload) {
  return std::make_shared<const std::string>(ws::EncodeFrame(ws::Opcode::kText, payload));
}

}  // namespace parley
