// A multipart/form-data body (RFC 7578) reduced to the one file it carries. Pure: no I/O,
// no allocation proportional to the body (the file is a view into it); fuzzed
// (multipart_fuzz_driver.cc). Thread-safe: plain functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace parley::upload {

struct MultipartLimits {
  size_t max_parts = 16;              // parts of any kind; more is an error
  size_t max_part_head_bytes = 4096;  // one part's header block
};

// The one part that has a filename. `content` points into the parsed body.
struct FilePart {
  std::string_view content;
  std::string field_name;    // Content-Disposition name=
  std::string filename;      // Content-Disposition filename= (as sent; never used as a path)
  std::string content_type;  // the part's Content-Type as sent (informative only)
};

// True when the Content-Type header value names multipart/form-data (any case).
bool IsMultipartFormData(std::string_view content_type);

// The boundary parameter of a multipart Content-Type value, unquoted. Error
// (kInvalidUpload) when it is missing, empty, longer than 70 characters or quoted badly.
Result<std::string> MultipartBoundary(std::string_view content_type);

// Finds the single file part in `body`. Parts without a filename (plain form fields) are
// skipped. Errors (kInvalidUpload): no opening or closing boundary, a part head over
// its limit or without a form-data Content-Disposition, more than max_parts parts, no file
// part, or more than one.
Result<FilePart> ParseFilePart(std::string_view body, std::string_view boundary,
                               const MultipartLimits& limits = {});

}  // namespace parley::upload
