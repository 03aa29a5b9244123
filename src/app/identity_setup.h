// Startup wiring for identity: builds the Authenticator from [auth] and the database's API
// keys, and runs `parley keys ...`. Main thread only, before any shard starts.
#pragma once

#include <memory>
#include <string>

#include "auth/authenticator.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/status.h"

namespace parley {

// Reads the RS256 PEM file, the keys stored at `db_path` and every [auth] setting. Errors are
// one line for main to print.
Result<std::unique_ptr<auth::Authenticator>> BuildAuthenticator(const Config& config,
                                                                const std::string& db_path,
                                                                const Clock& clock);

// True when argv asks for a `parley keys` command (argv[1] == "keys").
bool IsKeysCommand(int argc, char** argv);

// `parley keys create NAME [flags]`: stores a new random key's SHA-256 for app NAME in the
// database of the configured data_dir and prints the key once on stdout. Flags and
// PARLEY_* variables are read as for the server (--data-dir, --config). Returns the exit
// code.
int RunKeysCommand(int argc, char** argv);

}  // namespace parley
