// One iteration of the multipart fuzzer: the upload parsers that see raw client bytes
// (the multipart body and its Content-Type boundary, the type sniffer, the allowed-types
// list). Shared by the libFuzzer entry (tests/fuzz/libfuzzer_main.cc) and the corpus replay test.
// Aborts, naming the broken property, when one fails.
// The input's first line is a Content-Type value; the rest is the body.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_once.h"
#include "upload/multipart.h"
#include "upload/sniff.h"

namespace parley::upload {
namespace {

[[noreturn]] void Broken(const char* property) {
  std::fprintf(stderr, "multipart fuzz: property broken: %s\n", property);
  std::abort();
}

void CheckFile(std::string_view body, std::string_view boundary, const FilePart& f) {
  if (f.content.data() < body.data() ||
      f.content.data() + f.content.size() > body.data() + body.size()) {
    Broken("the file is a view inside the body");
  }
  if (f.content.find("\r\n--" + std::string(boundary)) != std::string_view::npos) {
    Broken("the file holds no delimiter");
  }
}

void FuzzMultipartOnce(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t eol = input.find('\n');
  const std::string_view content_type = input.substr(0, eol);
  const std::string_view body = eol == std::string_view::npos ? "" : input.substr(eol + 1);

  (void)IsMultipartFormData(content_type);
  (void)ParseAllowedTypes(content_type);
  if (auto t = Sniff(body); t && MimeType(*t).empty()) Broken("a sniffed type has a MIME type");

  auto boundary = MultipartBoundary(content_type);
  if (boundary.ok()) {
    if (boundary->empty() || boundary->size() > 70) Broken("a boundary is 1..70 characters");
    auto f =
        ParseFilePart(body, *boundary, MultipartLimits{.max_parts = 4, .max_part_head_bytes = 256});
    if (f.ok()) CheckFile(body, *boundary, *f);
    if (!f.ok() && f.status().code() != ErrorCode::kInvalidUpload)
      Broken("errors are kInvalidUpload");
  }
  // A fixed boundary too, so the fuzzer need not discover a Content-Type to reach the parts.
  auto f = ParseFilePart(body, "b");
  if (f.ok()) CheckFile(body, "b", *f);
}

}  // namespace
}  // namespace parley::upload

void parley::fuzz::RunOnce(const uint8_t* data, size_t size) {
  parley::upload::FuzzMultipartOnce(data, size);
}
