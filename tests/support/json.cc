#include "json.h"

#include <cstdio>

namespace parley::testing {

std::optional<JsonDoc> JsonDoc::Parse(std::string_view json) {
  JsonDoc doc;
  doc.parser_ = std::make_unique<simdjson::dom::parser>();
  simdjson::dom::element root;
  // parse() copies into padded storage owned by the parser, so `json` may go away.
  if (doc.parser_->parse(json.data(), json.size(), true).get(root) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  doc.root_ = root;
  return doc;
}

bool JsonDoc::Has(std::string_view key) const {
  simdjson::dom::element v;
  return root_.is_object() && root_.get_object().at_key(key).get(v) == simdjson::SUCCESS;
}

std::string StrOf(simdjson::dom::element e, std::string_view key) {
  std::string_view v;
  if (!e.is_object() || e.get_object().at_key(key).get_string().get(v) != simdjson::SUCCESS) {
    return "";
  }
  return std::string(v);
}

int64_t IntOf(simdjson::dom::element e, std::string_view key) {
  int64_t v = -1;
  if (!e.is_object() || e.get_object().at_key(key).get_int64().get(v) != simdjson::SUCCESS) {
    return -1;
  }
  return v;
}

std::string JsonDoc::Str(std::string_view key) const { return StrOf(root_, key); }
int64_t JsonDoc::Int(std::string_view key) const { return IntOf(root_, key); }

std::vector<std::string> JsonDoc::StrList(std::string_view key) const {
  std::vector<std::string> out;
  simdjson::dom::array arr;
  if (!root_.is_object() ||
      root_.get_object().at_key(key).get_array().get(arr) != simdjson::SUCCESS) {
    return out;
  }
  for (simdjson::dom::element e : arr) {
    std::string_view s;
    if (e.get_string().get(s) == simdjson::SUCCESS) out.emplace_back(s);
  }
  return out;
}

std::vector<std::string> JsonDoc::Items(std::string_view key) const {
  std::vector<std::string> out;
  simdjson::dom::array arr;
  simdjson::error_code err =
      key.empty() ? root_.get_array().get(arr)
                  : (root_.is_object() ? root_.get_object().at_key(key).get_array().get(arr)
                                       : simdjson::INCORRECT_TYPE);
  if (err != simdjson::SUCCESS) return out;
  for (simdjson::dom::element e : arr) out.push_back(simdjson::minify(e));
  return out;
}

std::string JsonQuote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace parley::testing
