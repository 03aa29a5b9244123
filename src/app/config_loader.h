// LoadConfig: builds parley's Config from defaults, parley.toml, PARLEY_* environment
// variables and command-line flags, in that order of precedence (later wins).
//
// One table in config_loader.cc describes every setting once (toml key, environment
// variable, flag, help text, allowed range or values, where it lives in Config); the toml
// reader, the environment reader and the command line are all driven by it.
//
// Which file: --config, else PARLEY_CONFIG, else ./parley.toml. Only that default path may
// be missing (then the file is skipped); a path the user named must exist.
//
// Errors are one line naming the setting and where the bad value came from, e.g.
//   config: limits.max_message_bytes = -1 in parley.toml: must be between 1 and 1048576
// so main can print status().message() and exit non-zero.
//
// Thread-safety: call once at startup, before any other thread exists; the result is a
// plain value. LoadConfig never prints; --help and --version come back as text.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/config.h"
#include "base/status.h"

namespace parley {

// Environment variables by name. Tests pass their own; main passes ProcessEnviron().
using Environ = std::map<std::string, std::string, std::less<>>;

// A copy of this process's environment.
Environ ProcessEnviron();

// What main should do after loading the configuration.
enum class ConfigAction {
  kRun,          // start the server with `config`
  kPrintHelp,    // print `text` to stdout and exit 0
  kPrintVersion  // print `text` to stdout and exit 0
};

struct LoadedConfig {
  ConfigAction action = ConfigAction::kRun;
  Config config;
  std::string text;         // help or version text, ending in a newline; empty for kRun
  std::string config_file;  // the toml file that was read; empty when none was
};

// Returns the configuration, a help/version request, or a one-line error (code
// kBadRequest) naming the setting and its source. argv[0] is the program name.
Result<LoadedConfig> LoadConfig(int argc, char** argv, const Environ& env);

// One row of the settings table, for documentation and tests.
struct SettingInfo {
  std::string_view key;        // toml key, "limits.max_message_bytes"
  std::string env_var;         // "PARLEY_LIMITS_MAX_MESSAGE_BYTES"
  std::string_view env_alias;  // a shorter variable also accepted ("PARLEY_PORT"), or ""
  std::string_view flag;       // "--max-message-bytes"
  bool is_integer;
  int64_t min, max;  // inclusive; integers only
};
std::vector<SettingInfo> ListSettings();

// Every setting of `config` as parley.toml text (sections in table order), so the
// effective configuration can be logged or compared.
std::string ToToml(const Config& config);

// The file name used when neither --config nor PARLEY_CONFIG names one.
inline constexpr char kDefaultConfigFile[] = "parley.toml";

}  // namespace parley
