// The fixture of the AI integration tests: parley started against a fake OpenAI-compatible
// provider on loopback (fake_ai_provider.h), with helpers for POST /ai/* and the seed 003
// socket's ai-chat / ai-stream.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fake_ai_provider.h"
#include "integration.h"

namespace parley::integration {

inline constexpr std::string_view kKey = "sk-test-secret-123";

// The data of every server-sent event in `body`, in order.
inline std::vector<std::string> EventData(const std::string& body) {
  std::vector<std::string> out;
  size_t at = 0;
  while ((at = body.find("data: ", at)) != std::string::npos) {
    const size_t end = body.find("\n\n", at);
    out.push_back(body.substr(at + 6, end - at - 6));
    at = end;
  }
  return out;
}

class AiTest : public ParleyTest {
 protected:
  std::vector<std::string> ExtraArgs() const override {
    std::vector<std::string> args = {
        "--ai-base-url",        provider_.base_url(),
        "--ai-api-key",         std::string(kKey),
        "--ai-model",           Model(),
        "--ai-models",          "echo,stream,slow,midfail,cut,malformed,refuse,garbage,hang",
        "--ai-system-prompt",   "Be brief.",
        "--ai-max-turns",       "4",
        "--ai-idle-timeout-s",  "2",
        "--ai-total-timeout-s", "5"};
    for (const std::string& a : MoreArgs()) args.push_back(a);
    return args;
  }
  // Flags a derived fixture adds, and its default model (the fake's behaviour).
  virtual std::vector<std::string> MoreArgs() const { return {}; }
  virtual std::string Model() const { return "echo"; }

  HttpResponse Post(std::string_view path, std::string_view body) {
    testing::HttpClient http(port());
    std::string req = "POST " + std::string(path) +
                      " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                      "Content-Length: " +
                      std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
    EXPECT_TRUE(http.SendRaw(req));
    return http.ReadResponse(AfterSeconds(20));
  }

  // A seed 003 socket on /ws (its first frame decides the vocabulary).
  WsClient& Socket() {
    sockets_.push_back(std::make_unique<WsClient>());
    WsClient& c = *sockets_.back();
    EXPECT_TRUE(c.Connect(port(), "/ws")) << c.error();
    return c;
  }

  // The next text frame of `c` as JSON ("{}" and a failure when there is none in 20 s).
  static JsonDoc NextJson(WsClient& c) {
    for (;;) {
      auto m = c.ReadMessage(AfterSeconds(20));
      if (!m) {
        ADD_FAILURE() << "no frame: " << c.error();
        return *JsonDoc::Parse("{}");
      }
      if (m->opcode == testing::op::kPing) {
        c.SendPong(m->payload);
        continue;
      }
      auto doc = JsonDoc::Parse(m->payload);
      EXPECT_TRUE(doc) << "not JSON: " << m->payload;
      return doc ? std::move(*doc) : *JsonDoc::Parse("{}");
    }
  }

  FakeAiProvider provider_;

 private:
  std::vector<std::unique_ptr<WsClient>> sockets_;
};

}  // namespace parley::integration
