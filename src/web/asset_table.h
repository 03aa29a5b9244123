// The embedded asset table that the build generates from src/web/static
// (embed_assets.cmake -> assets_data.cc). Internal to parley_web: everything else uses
// FindAsset in assets.h. Read-only static data; thread-safe.
#pragma once

#include <cstddef>

#include "web/assets.h"

namespace parley::web::internal {

// Every embedded file, sorted by path (byte-wise), one entry per file.
extern const Asset kAssets[];
extern const std::size_t kAssetCount;

}  // namespace parley::web::internal
