// Runs the real parley binary as a child process for integration and conformance tests:
// binds port 0 in a private temporary data directory, waits for the one startup line
// (`parley listening on http://127.0.0.1:PORT`), and stops it with a signal and a deadline.
//
// The data directory outlives Stop()/Kill(), so Start() again on the same object restarts
// the server on the same data. It is deleted by the destructor, which also kills a server
// still running. Not thread-safe: one test thread drives it (a private thread drains the
// child's stdout so the child never blocks on a full pipe).
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace parley::testing {

// How the child ended.
struct ExitStatus {
  bool exited = false;  // normal exit; `code` is the exit code
  int code = -1;
  int signal = 0;  // the signal that killed it, when !exited
  std::string Describe() const;
};

class ServerProcess {
 public:
  // `binary` defaults to the PARLEY_BIN compile definition.
  explicit ServerProcess(std::string binary = "");
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts `parley --host 127.0.0.1 --port 0 --data-dir DIR --log-level warn EXTRA...` and
  // waits up to `timeout` for the listening line. Rate limits are off (--rate-enabled 0)
  // unless EXTRA names --rate-enabled. On failure the result carries the
  // child's stderr, and the child is killed.
  ::testing::AssertionResult Start(const std::vector<std::string>& extra_args = {},
                                   std::chrono::milliseconds timeout = std::chrono::seconds(15));

  // Sends `sig` and waits for the exit. nullopt when it did not exit in time (it is then
  // killed).
  std::optional<ExitStatus> Stop(int sig = SIGTERM,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Sends `sig` without waiting (for tests that watch the clients while it shuts down).
  bool Signal(int sig);
  // Waits for the child to exit after Signal(). nullopt when it is still running.
  std::optional<ExitStatus> Wait(std::chrono::milliseconds timeout) { return WaitExit(timeout); }
  // SIGKILL and reap.
  void Kill();

  bool running() const { return pid_ > 0; }
  uint16_t port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }
  // What the child wrote to stderr so far (all runs).
  std::string StderrText() const;
  // What the child wrote to stdout in the current run.
  std::string StdoutText();

 private:
  std::optional<ExitStatus> WaitExit(std::chrono::milliseconds timeout);
  void JoinDrain();

  std::string binary_;
  std::string data_dir_;
  std::string stderr_path_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;

  // stdout of the current run, filled by drain_.
  std::thread drain_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string stdout_;
  bool stdout_eof_ = false;
};

}  // namespace parley::testing
