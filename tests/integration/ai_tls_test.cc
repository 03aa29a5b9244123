// The AI client over HTTPS: a fake provider behind TLS on loopback with a certificate made
// in the test, trusted by parley through ai.ca_file; and the same provider under a CA
// parley does not trust.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "fake_ai_provider.h"
#include "integration.h"
#include "test_tls.h"

namespace parley::integration {
namespace {

// A file under the system's temporary directory, removed with the object.
class TempFile {
 public:
  TempFile(std::string_view stem, std::string_view contents)
      : path_((std::filesystem::temp_directory_path() /
               (std::string(stem) + "-" + std::to_string(::getpid()) + "-" +
                std::to_string(reinterpret_cast<uintptr_t>(this)) + ".pem"))
                  .string()) {
    std::ofstream(path_) << contents;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class AiTlsTest : public ParleyTest {
 protected:
  std::vector<std::string> ExtraArgs() const override {
    return {"--ai-base-url",        provider_.base_url(),
            "--ai-ca-file",         TrustTheProvider() ? ca_file_.path() : other_ca_file_.path(),
            "--ai-model",           "echo",
            "--ai-models",          "stream",
            "--ai-idle-timeout-s",  "2",
            "--ai-total-timeout-s", "5"};
  }
  // Whether parley's ai.ca_file holds the provider's certificate or another one.
  virtual bool TrustTheProvider() const { return true; }

  HttpResponse Post(std::string_view path, std::string_view body) {
    testing::HttpClient http(port());
    EXPECT_TRUE(http.SendRaw("POST " + std::string(path) +
                             " HTTP/1.1\r\nHost: localhost\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\n\r\n" + std::string(body)));
    return http.ReadResponse(AfterSeconds(20));
  }

  const TestCertificate cert_ = MakeSelfSignedCertificate("parley test provider");
  const TestCertificate other_ = MakeSelfSignedCertificate("someone else");
  FakeAiProvider provider_{&cert_};
  TempFile ca_file_{"parley-ca", cert_.cert_pem};
  TempFile other_ca_file_{"parley-other-ca", other_.cert_pem};
};

TEST_F(AiTlsTest, AnswersOverHttpsWithTheConfiguredCa) {
  ASSERT_FALSE(cert_.cert_pem.empty());
  HttpResponse r = Post("/ai/chat", R"({"message":"over TLS"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(JsonDoc::Parse(r.body)->Str("response"), "echo: over TLS [2 messages]");
  HttpResponse s = Post("/ai/stream", R"({"message":"hi","model":"stream"})");
  ASSERT_EQ(s.status, 200) << s.body;
  EXPECT_NE(s.body.find(R"("response":"Hello world")"), std::string::npos) << s.body;
  EXPECT_EQ(provider_.requests().size(), 2u);
}

// The same provider, but parley trusts another CA: the handshake fails.
class AiWrongCaTest : public AiTlsTest {
 protected:
  bool TrustTheProvider() const override { return false; }
};

TEST_F(AiWrongCaTest, AnUntrustedCertificateIsAProviderError) {
  for (const char* path : {"/ai/chat", "/ai/stream"}) {
    HttpResponse r = Post(path, R"({"message":"hi","model":"stream"})");
    EXPECT_EQ(r.status, 502) << r.body;
    auto doc = JsonDoc::Parse(r.body);
    ASSERT_TRUE(doc) << r.body;
    EXPECT_EQ(doc->Str("error"), "ai_provider_error");
    EXPECT_FALSE(doc->Str("message").empty());
  }
  EXPECT_TRUE(provider_.requests().empty()) << "nothing was sent to an untrusted provider";
  // parley is still up and answers.
  EXPECT_EQ(HttpGet(port(), "/api/health").status, 200);
}

}  // namespace
}  // namespace parley::integration
