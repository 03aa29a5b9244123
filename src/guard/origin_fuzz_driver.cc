// One iteration of the origin fuzzer: OriginPolicy::Parse on a list and Allows on an Origin
// and a Host header, all taken from the input (split at newlines). Shared by the libFuzzer
// entry (tests/fuzz/libfuzzer_main.cc) and the corpus replay test. Aborts, naming the broken
// property, when one fails.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "fuzz_once.h"
#include "guard/origin_policy.h"

namespace parley::guard {
namespace {

void Check(bool ok, const char* property) {
  if (!ok) {
    std::fprintf(stderr, "origin fuzz: broken property: %s\n", property);
    std::abort();
  }
}

// The next newline-separated field of `in`.
std::string_view Field(std::string_view& in) {
  const size_t nl = in.find('\n');
  std::string_view out = in.substr(0, nl);
  in.remove_prefix(nl == std::string_view::npos ? in.size() : nl + 1);
  return out;
}

void FuzzOriginOnce(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::string_view list = Field(in);
  const std::string_view origin = Field(in);
  const std::string_view host = Field(in);

  auto parsed = ParseOrigin(origin);
  if (parsed.ok()) {
    Check(parsed->scheme == "http" || parsed->scheme == "https", "scheme is http(s)");
    Check(!parsed->host.empty(), "host is not empty");
    Check(parsed->port >= 0 && parsed->port <= 65535, "port in range");
  }
  const OriginPolicy same_only = OriginPolicy::Parse("").value();
  const bool same = same_only.Allows(origin, host);
  // Only a well-formed origin can match anything but "*".
  if (same) Check(parsed.ok(), "an allowed origin parses");
  Check(OriginPolicy::Parse("*")->Allows(origin, host), "* allows everything");

  auto policy = OriginPolicy::Parse(list);
  if (!policy.ok()) {
    Check(!policy.status().message().empty(), "a refused list says why");
    return;
  }
  const bool allowed = policy->Allows(origin, host);
  Check(allowed == policy->Allows(origin, host), "Allows is deterministic");
  if (same) Check(allowed, "the same origin is allowed under every list");
}

}  // namespace
}  // namespace parley::guard

void parley::fuzz::RunOnce(const uint8_t* data, size_t size) {
  parley::guard::FuzzOriginOnce(data, size);
}
