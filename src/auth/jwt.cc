#include "auth/jwt.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>

#include "auth/base64url.h"
#include "protocol/ws/utf8.h"

namespace parley::auth {
namespace {

namespace dom = simdjson::dom;

Status Invalid(std::string_view why) {
  return Status(ErrorCode::kTokenInvalid, fmt::format("The token is not valid: {}.", why));
}

// Parses `json` into `doc`; the parser is per thread and keeps its buffers.
bool ParseObject(const std::string& json, dom::object& out) {
  thread_local dom::parser parser;
  dom::element doc;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS) return false;
  return doc.get_object().get(out) == simdjson::SUCCESS;
}

// A string field of 1..max bytes; absent is fine when !required.
Status StringClaim(dom::object obj, std::string_view key, size_t max, bool required,
                   std::string& out) {
  dom::element el;
  if (obj.at_key(key).get(el) != simdjson::SUCCESS) {
    return required ? Invalid(fmt::format("claim '{}' is required", key)) : Status::Ok();
  }
  std::string_view v;
  if (el.get_string().get(v) != simdjson::SUCCESS || v.empty() || v.size() > max) {
    return Invalid(fmt::format("claim '{}' must be a string of 1 to {} bytes", key, max));
  }
  out.assign(v);
  return Status::Ok();
}

Status IntClaim(dom::object obj, std::string_view key, bool required, std::optional<int64_t>& out) {
  dom::element el;
  if (obj.at_key(key).get(el) != simdjson::SUCCESS) {
    return required ? Invalid(fmt::format("claim '{}' is required", key)) : Status::Ok();
  }
  int64_t v = 0;
  if (el.get_int64().get(v) != simdjson::SUCCESS || v < 0) {
    return Invalid(fmt::format("claim '{}' must be a non-negative integer (seconds)", key));
  }
  out = v;
  return Status::Ok();
}

Status ReadHeader(const std::string& json, JwtAlg& alg) {
  dom::object obj;
  if (!ParseObject(json, obj)) return Invalid("its header is not a JSON object");
  std::string_view name;
  if (obj.at_key("alg").get_string().get(name) != simdjson::SUCCESS) {
    return Invalid("its header has no \"alg\"");
  }
  if (name == "HS256") {
    alg = JwtAlg::kHs256;
  } else if (name == "RS256") {
    alg = JwtAlg::kRs256;
  } else {
    return Invalid("only HS256 and RS256 are accepted");
  }
  // RFC 7515 4.1.11: extensions the receiver does not understand must be refused.
  dom::element crit;
  if (obj.at_key("crit").get(crit) == simdjson::SUCCESS) {
    return Invalid("its header lists \"crit\" extensions");
  }
  return Status::Ok();
}

Status ReadClaims(const std::string& json, const JwtLimits& limits, JwtClaims& c) {
  dom::object obj;
  if (!ParseObject(json, obj)) return Invalid("its payload is not a JSON object");
  if (Status st = StringClaim(obj, "sub", limits.max_field_bytes, true, c.sub); !st.ok()) return st;
  if (Status st = StringClaim(obj, "name", limits.max_field_bytes, false, c.name); !st.ok()) {
    return st;
  }
  std::optional<int64_t> exp;
  if (Status st = IntClaim(obj, "exp", true, exp); !st.ok()) return st;
  c.exp = *exp;
  if (Status st = IntClaim(obj, "nbf", false, c.nbf); !st.ok()) return st;
  dom::element rooms_el;
  if (obj.at_key("rooms").get(rooms_el) == simdjson::SUCCESS) {
    dom::array rooms;
    if (rooms_el.get_array().get(rooms) != simdjson::SUCCESS) {
      return Invalid("claim 'rooms' must be an array of room names");
    }
    c.rooms.emplace();
    for (dom::element r : rooms) {
      std::string_view name;
      if (r.get_string().get(name) != simdjson::SUCCESS || name.empty() ||
          name.size() > limits.max_field_bytes) {
        return Invalid("claim 'rooms' must be an array of room names");
      }
      if (c.rooms->size() >= limits.max_rooms) {
        return Invalid(fmt::format("claim 'rooms' lists more than {} rooms", limits.max_rooms));
      }
      c.rooms->emplace_back(name);
    }
  }
  return Status::Ok();
}

}  // namespace

bool LooksLikeJwt(std::string_view token) {
  return std::count(token.begin(), token.end(), '.') == 2 &&
         token.find_first_of(" \t\r\n") == std::string_view::npos;
}

Result<ParsedJwt> ParseJwt(std::string_view token, const JwtLimits& limits) {
  if (token.size() > limits.max_token_bytes) {
    return Invalid(fmt::format("it is longer than {} bytes", limits.max_token_bytes));
  }
  const size_t dot1 = token.find('.');
  const size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return Invalid("it must have three dot-separated parts");
  }
  auto header = Base64UrlDecode(token.substr(0, dot1));
  auto payload = Base64UrlDecode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  auto signature = Base64UrlDecode(token.substr(dot2 + 1));
  if (!header || !payload || !signature) return Invalid("a part is not base64url");
  // simdjson accepts any bytes it can parse; claims end up in logs and frames, so they
  // must be UTF-8 first.
  if (!ws::IsValidUtf8(*header) || !ws::IsValidUtf8(*payload)) {
    return Invalid("a part is not UTF-8");
  }
  if (signature->empty()) return Invalid("it has no signature");
  ParsedJwt out;
  if (Status st = ReadHeader(*header, out.alg); !st.ok()) return st;
  if (Status st = ReadClaims(*payload, limits, out.claims); !st.ok()) return st;
  out.signing_input = token.substr(0, dot2);
  out.signature = std::move(*signature);
  return out;
}

}  // namespace parley::auth
