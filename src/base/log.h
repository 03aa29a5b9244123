// parley's one logging facade: one line per event, "event key=value ...".
//
// Levels: error = needs an operator; warn = a client or dependency misbehaved;
// info = lifecycle (start, stop, listen); debug = per-connection detail.
// Never log message bodies or secrets. Thread-safe (spdlog's default logger).
#pragma once

#include <spdlog/spdlog.h>

#define PARLEY_LOG_ERROR(...) SPDLOG_ERROR(__VA_ARGS__)
#define PARLEY_LOG_WARN(...) SPDLOG_WARN(__VA_ARGS__)
#define PARLEY_LOG_INFO(...) SPDLOG_INFO(__VA_ARGS__)
#define PARLEY_LOG_DEBUG(...) SPDLOG_DEBUG(__VA_ARGS__)

namespace parley {

// Sets up the default logger on stderr with the given level name
// ("error", "warn", "info", "debug"). Returns false on an unknown name.
bool InitLogging(std::string_view level);

}  // namespace parley
