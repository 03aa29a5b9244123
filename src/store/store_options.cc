#include "store/store_options.h"

#include <fmt/format.h>

#include <filesystem>

namespace parley {

StoreOptions StoreOptions::FromConfig(const StoreConfig& config, const std::string& data_dir) {
  StoreOptions o;
  o.path = (std::filesystem::path(data_dir) / "parley.db").string();
  o.synchronous = config.synchronous;
  o.readers = config.readers;
  o.max_batch = config.max_batch;
  o.commit_window_us = config.commit_window_us;
  return o;
}

Status ValidateStoreOptions(const StoreOptions& o) {
  auto bad = [](std::string what) { return Status(ErrorCode::kBadRequest, std::move(what)); };
  if (o.path.empty()) return bad("store path is empty");
  if (o.synchronous != "full" && o.synchronous != "normal") {
    return bad(
        fmt::format("store synchronous must be \"full\" or \"normal\", not \"{}\"", o.synchronous));
  }
  if (o.readers < 1) return bad(fmt::format("store readers must be >= 1, not {}", o.readers));
  if (o.max_batch < 1) return bad(fmt::format("store max_batch must be >= 1, not {}", o.max_batch));
  if (o.busy_timeout_ms < 0) return bad("store busy_timeout_ms must be >= 0");
  if (o.commit_window_us < 0) return bad("store commit_window_us must be >= 0");
  return Status::Ok();
}

}  // namespace parley
