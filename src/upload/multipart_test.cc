#include "upload/multipart.h"

#include <gtest/gtest.h>

namespace parley::upload {
namespace {

std::string Part(std::string_view disposition, std::string_view content,
                 std::string_view extra = "") {
  return "--XyZ\r\nContent-Disposition: " + std::string(disposition) + "\r\n" + std::string(extra) +
         "\r\n" + std::string(content) + "\r\n";
}

TEST(MultipartTest, DetectsFormDataAndItsBoundary) {
  EXPECT_TRUE(IsMultipartFormData("multipart/form-data; boundary=a"));
  EXPECT_TRUE(IsMultipartFormData("Multipart/Form-Data ;boundary=a"));
  EXPECT_FALSE(IsMultipartFormData("image/png"));
  EXPECT_FALSE(IsMultipartFormData("multipart/mixed; boundary=a"));
  EXPECT_EQ(*MultipartBoundary("multipart/form-data; boundary=----WebKitForm123"),
            "----WebKitForm123");
  EXPECT_EQ(*MultipartBoundary("multipart/form-data; charset=utf-8; BOUNDARY=\"a b;c\""), "a b;c");
  EXPECT_EQ(MultipartBoundary("multipart/form-data").status().code(), ErrorCode::kInvalidUpload);
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=").ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'a')).ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=\"open").ok());
}

TEST(MultipartTest, FindsTheFilePartAmongFields) {
  const std::string body =
      "preamble is ignored\r\n" + Part("form-data; name=\"caption\"", "hello") +
      Part("form-data; name=\"file\"; filename=\"cat.png\"", "bytes\r\nwith --XyZ inside a line",
           "Content-Type: image/png\r\n") +
      "--XyZ--\r\nepilogue";
  auto f = ParseFilePart(body, "XyZ");
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->content, "bytes\r\nwith --XyZ inside a line");
  EXPECT_EQ(f->field_name, "file");
  EXPECT_EQ(f->filename, "cat.png");
  EXPECT_EQ(f->content_type, "image/png");
}

TEST(MultipartTest, KeepsBinaryContentAndEmptyFiles) {
  const std::string bin("\0\r\n\xff--X", 7);
  const std::string body = Part("form-data; name=f; filename=\"\"", bin) + "--XyZ--";
  auto f = ParseFilePart(body, "XyZ");  // the file is a view into `body`
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->content, bin);
  EXPECT_EQ(f->filename, "");
  const std::string empty_body = Part("form-data; name=f; filename=a", "") + "--XyZ--";
  auto empty = ParseFilePart(empty_body, "XyZ");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->content.empty());
}

TEST(MultipartTest, RefusesMalformedBodies) {
  auto code = [](std::string_view body) { return ParseFilePart(body, "XyZ").status().code(); };
  const std::string file = Part("form-data; name=f; filename=a", "x");
  EXPECT_EQ(code(""), ErrorCode::kInvalidUpload);
  EXPECT_EQ(code("no boundary here"), ErrorCode::kInvalidUpload);
  EXPECT_EQ(code(file), ErrorCode::kInvalidUpload) << "no close delimiter";
  EXPECT_EQ(code("--XyZ\r\nContent-Disposition: form-data; filename=a\r\n\r\nunclosed"),
            ErrorCode::kInvalidUpload);
  EXPECT_EQ(code("--XyZ\r\nContent-Disposition: form-data; filename=a"), ErrorCode::kInvalidUpload)
      << "head never ends";
  EXPECT_EQ(code("--XyZjunk\r\n"), ErrorCode::kInvalidUpload);
  EXPECT_EQ(code(Part("attachment; filename=a", "x") + "--XyZ--"), ErrorCode::kInvalidUpload);
  EXPECT_EQ(code("--XyZ\r\nno colon\r\n\r\nx\r\n--XyZ--"), ErrorCode::kInvalidUpload);
  EXPECT_EQ(code(Part("form-data; name=a", "x") + "--XyZ--"), ErrorCode::kInvalidUpload)
      << "no file part";
  EXPECT_EQ(code(file + file + "--XyZ--"), ErrorCode::kInvalidUpload) << "two files";
}

TEST(MultipartTest, BoundsPartsAndHeads) {
  std::string many;
  for (int i = 0; i < 3; ++i) many += Part("form-data; name=a", "x");
  many += Part("form-data; name=f; filename=a", "x") + "--XyZ--";
  EXPECT_TRUE(ParseFilePart(many, "XyZ", {.max_parts = 4}).ok());
  EXPECT_FALSE(ParseFilePart(many, "XyZ", {.max_parts = 3}).ok());
  const std::string long_head =
      Part("form-data; name=f; filename=\"" + std::string(300, 'a') + "\"", "x") + "--XyZ--";
  EXPECT_TRUE(ParseFilePart(long_head, "XyZ").ok());
  EXPECT_FALSE(ParseFilePart(long_head, "XyZ", {.max_part_head_bytes = 100}).ok());
}

}  // namespace
}  // namespace parley::upload
