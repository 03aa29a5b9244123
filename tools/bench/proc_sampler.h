// Reads the CPU time and resident memory of a process (the server under test) from /proc,
// and parley-bench's own CPU time from getrusage. Linux only. Thread-safe (no state).
#pragma once

#include <sys/types.h>

#include <optional>

namespace parley::bench {

struct ProcSample {
  double cpu_s = 0;  // utime + stime
  long rss_kb = 0;   // VmRSS
};

// The process's CPU seconds and RSS; nullopt when /proc/PID is not readable.
std::optional<ProcSample> SampleProcess(pid_t pid);

// This process's CPU seconds (user + system, every thread), plus its children that have
// been waited for.
double OwnCpuSeconds();

// Raises RLIMIT_NOFILE's soft limit to the hard limit; returns the resulting soft limit.
long RaiseFileLimit();

}  // namespace parley::bench
