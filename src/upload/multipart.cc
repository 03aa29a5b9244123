#include "upload/multipart.h"

#include <strings.h>

namespace parley::upload {
namespace {

Status Invalid(std::string message) {
  return Status(ErrorCode::kInvalidUpload, std::move(message));
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits "type; a=1; b=\"x;y\"" at the semicolons outside quotes, calling fn(item) for each.
template <typename Fn>
bool ForEachParam(std::string_view value, Fn fn) {
  size_t start = 0;
  bool quoted = false;
  for (size_t i = 0; i <= value.size(); ++i) {
    if (i < value.size()) {
      const char ch = value[i];
      if (quoted && ch == '\\') {
        ++i;
        continue;
      }
      if (ch == '"') quoted = !quoted;
      if (ch != ';' || quoted) continue;
    }
    if (!fn(Trim(value.substr(start, i - start)))) return false;
    start = i + 1;
  }
  return true;
}

// A parameter's value: a token, or a quoted string with backslash escapes removed.
std::optional<std::string> ParamValue(std::string_view raw) {
  if (raw.empty() || raw.front() != '"') return std::string(raw);
  if (raw.size() < 2 || raw.back() != '"') return std::nullopt;
  std::string out;
  for (size_t i = 1; i + 1 < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 2 < raw.size()) ++i;
    out += raw[i];
  }
  return out;
}

// Reads parameter `name` of a header value; nullopt when absent or malformed.
std::optional<std::string> Param(std::string_view value, std::string_view name) {
  std::optional<std::string> found;
  bool first = true;
  ForEachParam(value, [&](std::string_view item) {
    if (first) {  // the media type or disposition itself
      first = false;
      return true;
    }
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos || !IEquals(Trim(item.substr(0, eq)), name)) return true;
    found = ParamValue(Trim(item.substr(eq + 1)));
    return false;
  });
  return found;
}

struct PartHead {
  bool form_data = false;
  std::optional<std::string> name;
  std::optional<std::string> filename;
  std::string content_type;
};

Result<PartHead> ParseHead(std::string_view head) {
  PartHead out;
  while (!head.empty()) {
    const size_t eol = head.find("\r\n");
    const std::string_view line = head.substr(0, eol);
    head = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 2);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Invalid("A part header line has no colon.");
    const std::string_view name = Trim(line.substr(0, colon));
    const std::string_view value = Trim(line.substr(colon + 1));
    if (IEquals(name, "Content-Disposition")) {
      const std::string_view kind = Trim(value.substr(0, value.find(';')));
      out.form_data = IEquals(kind, "form-data");
      out.name = Param(value, "name");
      out.filename = Param(value, "filename");
    } else if (IEquals(name, "Content-Type")) {
      out.content_type = std::string(value);
    }
  }
  if (!out.form_data) return Invalid("Each part needs Content-Disposition: form-data.");
  return out;
}

}  // namespace

bool IsMultipartFormData(std::string_view content_type) {
  const std::string_view type = Trim(content_type.substr(0, content_type.find(';')));
  return IEquals(type, "multipart/form-data");
}

Result<std::string> MultipartBoundary(std::string_view content_type) {
  auto boundary = Param(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70) {
    return Invalid("multipart/form-data needs a boundary of 1 to 70 characters.");
  }
  return std::move(*boundary);
}

Result<FilePart> ParseFilePart(std::string_view body, std::string_view boundary,
                               const MultipartLimits& limits) {
  if (boundary.empty()) return Invalid("The multipart boundary is empty.");
  const std::string delimiter = "\r\n--" + std::string(boundary);
  // The first boundary may open the body (no CRLF before it) or follow a preamble.
  size_t pos = 0;
  if (body.starts_with(std::string_view(delimiter).substr(2))) {
    pos = delimiter.size() - 2;
  } else if (size_t at = body.find(delimiter); at != std::string_view::npos) {
    pos = at + delimiter.size();
  } else {
    return Invalid("The body does not contain the multipart boundary.");
  }

  std::optional<FilePart> file;
  size_t parts = 0;
  while (true) {
    if (body.substr(pos, 2) == "--") break;  // the close delimiter
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != "\r\n") return Invalid("A multipart boundary line is malformed.");
    pos += 2;
    if (++parts > limits.max_parts) {
      return Invalid("The form has more than " + std::to_string(limits.max_parts) + " parts.");
    }
    // The head ends at the first empty line; an empty head is just that line.
    size_t head_end = 0;
    size_t content_start = 0;
    if (body.substr(pos, 2) == "\r\n") {
      head_end = pos;
      content_start = pos + 2;
    } else {
      const std::string_view window = body.substr(pos, limits.max_part_head_bytes + 4);
      const size_t blank = window.find("\r\n\r\n");
      if (blank == std::string_view::npos) {
        return Invalid("A part's header block is unterminated or too large.");
      }
      head_end = pos + blank;
      content_start = head_end + 4;
    }
    auto head = ParseHead(body.substr(pos, head_end - pos));
    if (!head.ok()) return head.status();
    const size_t end = body.find(delimiter, content_start);
    if (end == std::string_view::npos) return Invalid("A part is not closed by the boundary.");
    if (head->filename) {
      if (file) return Invalid("The form carries more than one file; send one per request.");
      file = FilePart{.content = body.substr(content_start, end - content_start),
                      .field_name = head->name.value_or(""),
                      .filename = std::move(*head->filename),
                      .content_type = std::move(head->content_type)};
    }
    pos = end + delimiter.size();
  }
  if (!file) return Invalid("The form carries no file part (a part with a filename).");
  return std::move(*file);
}

}  // namespace parley::upload
