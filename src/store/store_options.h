// StoreOptions: how SqliteStore opens its database. Plain value, read-only after Open.
#pragma once

#include <cstdint>
#include <string>

#include "base/config.h"
#include "base/status.h"

namespace parley {

struct StoreOptions {
  std::string path;                  // the database file; its parent dir is created if missing
  std::string synchronous = "full";  // "full": durable at commit; "normal": may lose the last
                                     // commits on power loss (never corrupts)
  int readers = 2;                   // >= 1 reader threads, each with its own connection
  int max_batch = 4096;              // >= 1 appends per transaction
  int busy_timeout_ms = 5000;        // how long a connection waits for a lock held elsewhere
  int commit_window_us = 0;          // >= 0: wait this long for more appends before a commit

  // Fault injection for tests: after this many successful commits, every COMMIT is rolled
  // back instead and its batch fails with kUnavailable. -1 = never.
  int64_t fail_commit_after = -1;
  // How many of those commits fail before commits succeed again; -1 = every one.
  int64_t fail_commits = -1;

  // Options from the config file's [store] table; the file is data_dir/parley.db.
  static StoreOptions FromConfig(const StoreConfig& config, const std::string& data_dir);
};

// Ok, or a kBadRequest naming the first option that is out of range.
Status ValidateStoreOptions(const StoreOptions& options);

}  // namespace parley
