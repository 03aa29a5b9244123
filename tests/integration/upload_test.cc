// File uploads: POST /api/files (raw and multipart), GET /files/<id>, and every refusal,
// against the real binary over real sockets, checking what ends up on disk.
#include <filesystem>

#include "integration.h"

namespace parley::integration {
namespace {

namespace fs = std::filesystem;
using testing::HttpClient;

// A 1x1 PNG, a GIF header and an HTML page (the kind of file that must never be served
// as a page from parley's origin).
constexpr char kPngBytes[] =
    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\r"
    "IDATx\x9c\x63\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xae\x42\x60\x82";
const std::string kPng(kPngBytes, sizeof kPngBytes - 1);
constexpr char kGifBytes[] =
    "GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff!\xf9\x04\x01\0\0\0\0,\0\0\0\0"
    "\x01\0\x01\0\0\x02\x02\x44\x01\0;";
const std::string kGif(kGifBytes, sizeof kGifBytes - 1);
const std::string kHtml = "<!doctype html><script>alert(document.cookie)</script>";

std::string Form(std::string_view filename, std::string_view part_type, std::string_view bytes) {
  return "--BoUnDaRy\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nmy cat\r\n"
         "--BoUnDaRy\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
         std::string(filename) + "\"\r\nContent-Type: " + std::string(part_type) + "\r\n\r\n" +
         std::string(bytes) + "\r\n--BoUnDaRy--\r\n";
}
constexpr std::string_view kFormType = "multipart/form-data; boundary=BoUnDaRy";

class UploadTest : public ParleyTest {
 protected:
  // Sends one request with `body` and reads the answer.
  HttpResponse Post(std::string_view content_type, std::string_view body,
                    std::string_view target = "/api/files", std::string_view extra_headers = "") {
    HttpClient http(port());
    EXPECT_TRUE(http.Connect());
    EXPECT_TRUE(http.SendRaw(
        "POST " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
        std::string(extra_headers) + "Content-Type: " + std::string(content_type) +
        "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body)));
    return http.ReadResponse();
  }

  // The upload's answer, checked to be a success.
  JsonDoc Upload(std::string_view content_type, std::string_view body) {
    HttpResponse r = Post(content_type, body);
    EXPECT_EQ(r.status, 200) << r.body;
    auto doc = JsonDoc::Parse(r.body);
    EXPECT_TRUE(doc) << r.body;
    return doc ? std::move(*doc) : *JsonDoc::Parse("{}");
  }

  // Regular files anywhere under <data_dir>/files, temporary ones included.
  size_t FilesOnDisk() const {
    size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(server_.data_dir() + "/files")) {
      n += e.is_regular_file();
    }
    return n;
  }

  static std::string Code(const HttpResponse& r) {
    auto doc = JsonDoc::Parse(r.body);
    return doc ? doc->Str("error") : "(not JSON: " + r.body + ")";
  }
};

TEST_F(UploadTest, RawUploadIsStoredByHashAndServedSafely) {
  // The Content-Type the client claims plays no part: the bytes say PNG.
  JsonDoc up = Upload("application/octet-stream", kPng);
  const std::string id = up.Str("id");
  ASSERT_EQ(id.size(), 64u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(up.Str("url"), "/files/" + id);
  EXPECT_EQ(up.Int("size"), static_cast<int64_t>(kPng.size()));
  EXPECT_EQ(up.Str("contentType"), "image/png");
  EXPECT_TRUE(
      fs::is_regular_file(server_.data_dir() + "/files/" + id.substr(0, 2) + "/" + id.substr(2)));

  HttpResponse got = HttpGet(port(), up.Str("url"));
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body, kPng);
  EXPECT_EQ(got.Header("Content-Type"), "image/png");
  EXPECT_EQ(got.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(got.Header("Content-Security-Policy"), "default-src 'none'; sandbox");
  EXPECT_EQ(got.Header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(got.Header("ETag"), "\"" + id + "\"");

  HttpResponse again = HttpGet(port(), up.Str("url"), {{"If-None-Match", "\"" + id + "\""}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST_F(UploadTest, MultipartUploadStoresTheFilePart) {
  JsonDoc up = Upload(kFormType, Form("cat.gif", "image/gif", kGif));
  EXPECT_EQ(up.Str("contentType"), "image/gif");
  EXPECT_EQ(up.Int("size"), static_cast<int64_t>(kGif.size()));
  HttpResponse got = HttpGet(port(), up.Str("url"));
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body, kGif) << "the part's bytes exactly, without the form around them";
  EXPECT_EQ(got.Header("Content-Type"), "image/gif");
}

TEST_F(UploadTest, SameBytesAreStoredOnce) {
  const std::string raw_id = Upload("image/png", kPng).Str("id");
  const std::string form_id =
      Upload(kFormType, Form("other-name.png", "image/png", kPng)).Str("id");
  EXPECT_EQ(raw_id, form_id);
  EXPECT_EQ(FilesOnDisk(), 1u);
  Upload("image/gif", kGif);
  EXPECT_EQ(FilesOnDisk(), 2u);
}

TEST_F(UploadTest, DisguisedFilesAreRefused) {
  HttpResponse raw = Post("image/png", kHtml);
  EXPECT_EQ(raw.status, 415);
  EXPECT_EQ(Code(raw), "unsupported_file_type");
  HttpResponse form = Post(kFormType, Form("cat.png", "image/png", kHtml));
  EXPECT_EQ(form.status, 415);
  EXPECT_EQ(Code(form), "unsupported_file_type");
  HttpResponse svg = Post("image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
  EXPECT_EQ(svg.status, 415);
  EXPECT_EQ(FilesOnDisk(), 0u);
}

TEST_F(UploadTest, MalformedUploadsAreRefused) {
  HttpResponse empty = Post("image/png", "");
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(Code(empty), "invalid_upload");
  HttpResponse no_boundary = Post("multipart/form-data", Form("a.png", "image/png", kPng));
  EXPECT_EQ(no_boundary.status, 400);
  EXPECT_EQ(Code(no_boundary), "invalid_upload");
  const std::string two = Form("a.png", "image/png", kPng);
  HttpResponse two_files =
      Post(kFormType, two.substr(0, two.size() - std::string_view("--BoUnDaRy--\r\n").size()) +
                          two.substr(two.find("--BoUnDaRy\r\nContent-Disposition: form-data; "
                                              "name=\"file\"")));
  EXPECT_EQ(two_files.status, 400);
  EXPECT_EQ(Code(two_files), "invalid_upload");
  HttpResponse get = HttpGet(port(), "/api/files");
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(Post("text/plain", "x", "/files/" + std::string(64, 'a')).status, 405);
  EXPECT_EQ(FilesOnDisk(), 0u);
}

TEST_F(UploadTest, TraversalAndUnknownIdsAreNotFound) {
  Upload("image/png", kPng);
  const std::string unknown(64, 'e');
  for (const std::string& target : std::vector<std::string>{
           "/files/" + unknown, "/files/../parley.db", "/files/../../etc/passwd",
           "/files/%2e%2e/parley.db", "/files/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
           "/files/..%2fparley.db", "/files/" + std::string(64, 'A'), "/files/" + unknown + "/..",
           "/files/" + unknown.substr(0, 63), "/files/", "/files//etc/passwd",
           "/files/%00" + unknown.substr(1)}) {
    SCOPED_TRACE(target);
    HttpResponse r = HttpGet(port(), target);
    EXPECT_TRUE(r.status == 404 || r.status == 400) << r.status;
    EXPECT_EQ(r.body.find("SQLite"), std::string::npos);
    EXPECT_EQ(r.body.find("root:"), std::string::npos);
    EXPECT_EQ(r.Header("Content-Type"), "application/json");
  }
  HttpResponse r = HttpGet(port(), "/files/" + unknown);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(Code(r), "not_found");
}

class SmallUploadTest : public UploadTest {
 protected:
  std::vector<std::string> ExtraArgs() const override {
    return {"--upload-max-bytes", "1000", "--upload-allowed-types", "image/png"};
  }
};

TEST_F(SmallUploadTest, OversizedUploadIsRefusedAndNothingIsStored) {
  // Declared too large: refused before a byte of the body is read.
  HttpClient declared(port());
  ASSERT_TRUE(declared.Connect());
  ASSERT_TRUE(
      declared.SendRaw("POST /api/files HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n"));
  HttpResponse r = declared.ReadResponse();
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(Code(r), "file_too_large");
  EXPECT_TRUE(declared.WaitClosed(AfterSeconds(5)));

  // A chunk larger than the limit: refused at its chunk header.
  HttpClient chunked(port());
  ASSERT_TRUE(chunked.Connect());
  ASSERT_TRUE(chunked.SendRaw(
      "POST /api/files HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n100000\r\n"));
  r = chunked.ReadResponse();
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(Code(r), "file_too_large");

  // Sent whole, one byte over the limit.
  std::string big = kPng + std::string(1000 - kPng.size() + 1, '\0');
  r = Post("image/png", big);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(Code(r), "file_too_large");
  r = Post(kFormType, Form("big.png", "image/png", big));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(Code(r), "file_too_large");
  EXPECT_EQ(FilesOnDisk(), 0u);

  // Exactly at the limit is fine.
  big.pop_back();
  EXPECT_EQ(Upload("image/png", big).Int("size"), 1000);
  EXPECT_EQ(FilesOnDisk(), 1u);
}

TEST_F(SmallUploadTest, OnlyTheAllowedTypesAreAccepted) {
  HttpResponse r = Post("image/gif", kGif);
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(Code(r), "unsupported_file_type");
  EXPECT_NE(r.body.find("image/png"), std::string::npos) << "says what is accepted";
  Upload("image/png", kPng);
}

TEST_F(UploadTest, OrdinaryRoutesKeepTheSmallBodyLimit) {
  HttpClient http(port());
  ASSERT_TRUE(http.Connect());
  ASSERT_TRUE(
      http.SendRaw("POST /api/match HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"));
  HttpResponse r = http.ReadResponse();
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(Code(r), "payload_too_large");
}

TEST_F(UploadTest, ExpectContinueIsAnswered) {
  HttpClient http(port());
  ASSERT_TRUE(http.Connect());
  ASSERT_TRUE(
      http.SendRaw("POST /api/files HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                   "Content-Length: " +
                   std::to_string(kPng.size()) + "\r\n\r\n"));
  HttpResponse interim = http.ReadResponse();
  EXPECT_EQ(interim.status, 100);
  ASSERT_TRUE(http.SendRaw(kPng));
  HttpResponse r = http.ReadResponse();
  EXPECT_EQ(r.status, 200) << r.body;
}

// Who may upload: with keys required, only requests with a known key.
class UploadKeyTest : public UploadTest {
 protected:
  std::vector<std::string> ExtraArgs() const override {
    return {"--web-api-key", "web-secret", "--require-api-key", "yes"};
  }
};

TEST_F(UploadKeyTest, UploadsNeedAKeyWhenKeysAreRequired) {
  HttpResponse none = Post("image/png", kPng);
  EXPECT_EQ(none.status, 401) << none.body;
  EXPECT_EQ(Code(none), "api_key_required");
  HttpResponse wrong =
      Post("image/png", kPng, "/api/files", "Authorization: Bearer not-the-key\r\n");
  EXPECT_EQ(wrong.status, 401) << wrong.body;
  EXPECT_EQ(Code(wrong), "invalid_api_key");
  EXPECT_EQ(FilesOnDisk(), 0u) << "nothing stored for a refused upload";
  HttpResponse ok = Post("image/png", kPng, "/api/files", "Authorization: Bearer web-secret\r\n");
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Post("image/png", kPng, "/api/files?apiKey=web-secret").status, 200);
}

// How often: the "upload" rule, here a burst of 2 and one a second, per IP with no extra room.
class UploadRateTest : public UploadTest {
 protected:
  std::vector<std::string> ExtraArgs() const override {
    return {"--rate-enabled",   "1", "--rate-upload-per-s", "1", "--rate-upload-burst", "2",
            "--rate-ip-factor", "1", "--exempt-loopback",   "0"};
  }
};

TEST_F(UploadRateTest, UploadsOverTheRateAreRefused) {
  // Tokens refill at one a second, so a few quick uploads always meet the limit.
  HttpResponse refused;
  int stored = 0;
  for (int i = 0; i < 10 && refused.status != 429; ++i) {
    HttpResponse r = Post("image/png", kPng);
    if (r.status == 200) ++stored;
    if (r.status == 429) refused = r;
  }
  ASSERT_EQ(refused.status, 429) << "never limited";
  EXPECT_GE(stored, 2) << "the burst passes";
  EXPECT_EQ(Code(refused), "rate_limited");
  EXPECT_FALSE(refused.Header("Retry-After").empty());
}

}  // namespace
}  // namespace parley::integration
