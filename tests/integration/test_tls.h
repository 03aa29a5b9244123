// Self-signed certificates for the TLS integration tests, made with OpenSSL in the test
// itself: no file in the repository, nothing that expires under the tests.
#pragma once

#include <string>

namespace parley::integration {

struct TestCertificate {
  std::string cert_pem;  // self-signed, CA:TRUE, for DNS:localhost and IP:127.0.0.1
  std::string key_pem;
};

// A fresh P-256 key and a certificate for it valid from an hour ago for a day, named
// `common_name`. Empty PEMs when OpenSSL failed.
TestCertificate MakeSelfSignedCertificate(const std::string& common_name);

}  // namespace parley::integration
