#include "web/assets.h"

#include <algorithm>

#include "web/asset_table.h"

namespace parley::web {

const Asset* FindAsset(std::string_view path) {
  if (path == "/") path = "/index.html";
  // The generator sorts the table by path, so a binary search finds any entry; the
  // table is a few files today but costs nothing to keep logarithmic.
  const Asset* begin = internal::kAssets;
  const Asset* end = internal::kAssets + internal::kAssetCount;
  const Asset* it = std::lower_bound(
      begin, end, path, [](const Asset& asset, std::string_view p) { return asset.path < p; });
  if (it == end || it->path != path) return nullptr;
  return it;
}

}  // namespace parley::web
