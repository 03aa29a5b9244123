#include "server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace parley::testing {
namespace {

#ifndef PARLEY_BIN
#define PARLEY_BIN "parley"
#endif

constexpr char kListening[] = "parley listening on http://127.0.0.1:";

ExitStatus FromWaitStatus(int status) {
  ExitStatus e;
  if (WIFEXITED(status)) {
    e.exited = true;
    e.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    e.signal = WTERMSIG(status);
  }
  return e;
}

}  // namespace

std::string ExitStatus::Describe() const {
  if (exited) return "exit code " + std::to_string(code);
  return "killed by signal " + std::to_string(signal);
}

ServerProcess::ServerProcess(std::string binary)
    : binary_(binary.empty() ? std::string(PARLEY_BIN) : std::move(binary)) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "parley-test-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) != nullptr) data_dir_ = tmpl;
  stderr_path_ = data_dir_ + "-stderr.log";
}

ServerProcess::~ServerProcess() {
  Kill();
  std::error_code ec;
  if (!data_dir_.empty()) std::filesystem::remove_all(data_dir_, ec);
  std::filesystem::remove(stderr_path_, ec);
}

::testing::AssertionResult ServerProcess::Start(const std::vector<std::string>& extra_args,
                                                std::chrono::milliseconds timeout) {
  if (pid_ > 0) return ::testing::AssertionFailure() << "server already running";
  if (data_dir_.empty()) return ::testing::AssertionFailure() << "mkdtemp failed";
  std::vector<std::string> args = {binary_,      "--host",  "127.0.0.1",   "--port", "0",
                                   "--data-dir", data_dir_, "--log-level", "warn"};
  // The suite's servers run without rate limits unless a test asks for them: most tests
  // post as fast as they can to check delivery, which parley's limits would call a flood.
  // Tests of the limits pass --rate-enabled 1 (tests/integration/guard_test.cc).
  if (std::find(extra_args.begin(), extra_args.end(), "--rate-enabled") == extra_args.end()) {
    args.insert(args.end(), {"--rate-enabled", "0"});
  }
  args.insert(args.end(), extra_args.begin(), extra_args.end());

  int out_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return ::testing::AssertionFailure() << "pipe failed";
  int err_fd = ::open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    // Child: die with the test process so a crashed test leaves no server behind.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    if (err_fd >= 0) ::dup2(err_fd, STDERR_FILENO);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  if (err_fd >= 0) ::close(err_fd);
  if (pid < 0) {
    ::close(out_pipe[0]);
    return ::testing::AssertionFailure() << "fork failed";
  }
  pid_ = pid;
  port_ = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stdout_.clear();
    stdout_eof_ = false;
  }
  int read_fd = out_pipe[0];
  drain_ = std::thread([this, read_fd] {
    char buf[4096];
    for (;;) {
      ssize_t n = ::read(read_fd, buf, sizeof(buf));
      if (n < 0 && errno == EINTR) continue;
      std::lock_guard<std::mutex> lock(mu_);
      if (n <= 0) {
        stdout_eof_ = true;
        cv_.notify_all();
        break;
      }
      stdout_.append(buf, static_cast<size_t>(n));
      cv_.notify_all();
    }
    ::close(read_fd);
  });

  std::string line;
  bool found = false;
  {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, timeout, [&] {
      size_t at = stdout_.find(kListening);
      if (at != std::string::npos && stdout_.find('\n', at) != std::string::npos) {
        line = stdout_.substr(at, stdout_.find('\n', at) - at);
        found = true;
        return true;
      }
      return stdout_eof_;
    });
  }
  if (found) {
    int port = std::atoi(line.c_str() + sizeof(kListening) - 1);
    if (port > 0 && port < 65536) {
      port_ = static_cast<uint16_t>(port);
      return ::testing::AssertionSuccess();
    }
  }
  std::string command;
  for (const auto& a : args) command += a + " ";
  Kill();
  return ::testing::AssertionFailure()
         << "parley did not print its listening line within " << timeout.count() << " ms\n"
         << "command: " << command << "\nstdout:\n"
         << StdoutText() << "\nstderr:\n"
         << StderrText();
}

std::optional<ExitStatus> ServerProcess::WaitExit(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  // A pidfd becomes readable when the child exits: wait on it with poll, no sleeping.
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      if (pidfd >= 0) ::close(pidfd);
      pid_ = -1;
      JoinDrain();
      return FromWaitStatus(status);
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    if (pidfd >= 0) {
      pollfd p{pidfd, POLLIN, 0};
      ::poll(&p, 1, static_cast<int>(left.count()) + 1);
    } else {
      // Kernels without pidfd_open: re-check at a short interval until the deadline.
      ::usleep(5000);
    }
  }
  if (pidfd >= 0) ::close(pidfd);
  return std::nullopt;
}

std::optional<ExitStatus> ServerProcess::Stop(int sig, std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  ::kill(pid_, sig);
  std::optional<ExitStatus> status = WaitExit(timeout);
  if (!status) Kill();
  return status;
}

bool ServerProcess::Signal(int sig) { return pid_ > 0 && ::kill(pid_, sig) == 0; }

void ServerProcess::Kill() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
  JoinDrain();
}

void ServerProcess::JoinDrain() {
  if (drain_.joinable()) drain_.join();
}

std::string ServerProcess::StderrText() const {
  std::ifstream in(stderr_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ServerProcess::StdoutText() {
  std::lock_guard<std::mutex> lock(mu_);
  return stdout_;
}

}  // namespace parley::testing
