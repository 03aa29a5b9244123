// One iteration of the identity fuzzer: the JWT parser, base64url and the credential
// reader on raw bytes. Shared by the libFuzzer entry (tests/fuzz/libfuzzer_main.cc) and the corpus
// replay test. Aborts, naming the broken property, when one fails.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "auth/base64url.h"
#include "auth/credentials.h"
#include "auth/jwt.h"
#include "fuzz_once.h"

namespace parley::auth {
namespace {

[[noreturn]] void Broken(const char* property) {
  std::fprintf(stderr, "auth fuzz: property broken: %s\n", property);
  std::abort();
}

void FuzzAuthOnce(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  // The whole input as a token.
  JwtLimits limits{.max_token_bytes = 4096, .max_rooms = 4, .max_field_bytes = 64};
  auto jwt = ParseJwt(in, limits);
  if (jwt.ok()) {
    if (!LooksLikeJwt(in)) Broken("a parsed token looks like a JWT");
    if (in.substr(0, jwt->signing_input.size()) != jwt->signing_input) {
      Broken("signing input is the token's prefix");
    }
    if (jwt->claims.sub.empty()) Broken("sub is never empty");
    if (jwt->claims.rooms && jwt->claims.rooms->size() > limits.max_rooms) {
      Broken("rooms within the limit");
    }
  } else if (jwt.status().code() != ErrorCode::kTokenInvalid) {
    Broken("every refusal is token_invalid");
  }

  // base64url: whatever decodes re-encodes to the same text (one encoding per value).
  if (auto decoded = Base64UrlDecode(in)) {
    if (Base64UrlEncode(*decoded) != in) Broken("base64url decoding is canonical");
  }

  // The input as an Authorization header and as a query string.
  if (auto bearer = BearerCredential(in); bearer && bearer->empty()) {
    Broken("a bearer credential is never empty");
  }
  net::HttpRequest req;
  req.headers.emplace_back("Authorization", std::string(in));
  std::string target = "/ws?";
  target.append(in);
  if (net::ParseTarget(target, req.path, req.query)) {
    Credentials c = ReadCredentials(req);
    if (!c.api_key.empty() && c.api_key == c.token) Broken("a credential has one kind");
  }
}

}  // namespace
}  // namespace parley::auth

void parley::fuzz::RunOnce(const uint8_t* data, size_t size) {
  parley::auth::FuzzAuthOnce(data, size);
}
