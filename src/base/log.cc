#include "base/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace parley {

bool InitLogging(std::string_view level) {
  auto lvl = spdlog::level::from_str(std::string(level));
  if (lvl == spdlog::level::off && level != "off") return false;
  auto logger = spdlog::stderr_color_mt("parley");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  logger->set_level(lvl);
  spdlog::set_default_logger(logger);
  spdlog::set_level(lvl);
  return true;
}

}  // namespace parley
