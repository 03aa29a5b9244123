# Installs the browser test's pinned dependencies (package-lock.json) when they are not
# installed yet. Run as a CTest fixture: cmake -DDIR=<tests/e2e> -DNPM=<npm> -P npm_ci.cmake
if(EXISTS "${DIR}/node_modules/playwright-core/package.json")
  return()
endif()
execute_process(
  COMMAND "${NPM}" ci --no-audit --no-fund
  WORKING_DIRECTORY "${DIR}"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "npm ci in ${DIR} failed (${rc})")
endif()
