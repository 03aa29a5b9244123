// One iteration of the cookie fuzzer: the Cookie header parser and the credential reader
// on raw bytes, run by the libFuzzer entry and the corpus replay test (tests/fuzz/).
// Aborts, naming the broken property, when one fails.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "auth/cookie.h"
#include "auth/credentials.h"
#include "fuzz_once.h"

namespace parley::auth {
namespace {

[[noreturn]] void Broken(const char* property) {
  std::fprintf(stderr, "cookie fuzz: property broken: %s\n", property);
  std::abort();
}

bool Within(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

void FuzzCookieOnce(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  // The input as a Cookie header: the value found is a view into it and holds no ';'; a
  // cookie written with FormatSetCookie reads back.
  for (std::string_view name : {kSessionCookie, std::string_view("a")}) {
    if (auto v = FindCookie(in, name)) {
      if (!v->empty() && !Within(*v, in)) Broken("the value is a view into the header");
      if (v->find(';') != std::string_view::npos) Broken("a value never holds ';'");
    }
  }
  if (IsCookieValue(in)) {
    const std::string set = FormatSetCookie({.value = in, .max_age_s = 60});
    const std::string_view pair = std::string_view(set).substr(0, set.find(';'));
    if (FindCookie(pair, kSessionCookie) != in) Broken("a written cookie reads back");
    if (in.find_first_of(" ;,\"\\\r\n") != std::string_view::npos) {
      Broken("cookie values hold no separators");
    }
  }

  // The input as a request's Cookie header, and the first half as another.
  net::HttpRequest req;
  req.headers.emplace_back("cookie", std::string(in.substr(0, in.size() / 2)));
  req.headers.emplace_back("Cookie", std::string(in));
  const Credentials c = ReadCredentials(req);
  if (!c.api_key.empty() || !c.token.empty()) Broken("a cookie is only ever a session");
  if (!c.session.empty()) {
    const bool found = FindCookie(req.headers[0].second, kSessionCookie).has_value() ||
                       FindCookie(req.headers[1].second, kSessionCookie).has_value();
    if (!found) Broken("a session comes from the parley_session cookie");
  }
}

}  // namespace
}  // namespace parley::auth

void parley::fuzz::RunOnce(const uint8_t* data, size_t size) {
  parley::auth::FuzzCookieOnce(data, size);
}
