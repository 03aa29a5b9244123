// One iteration of the input fuzzer: the text parsers and validators that see raw client
// bytes before the WebSocket layer (request targets, percent-decoding, usernames, room
// names, chat text) and the JSON escaper that writes those bytes back out. Shared by the
// libFuzzer entry (tests/fuzz/libfuzzer_main.cc) and the corpus replay test. Aborts, naming the
// broken property, when one fails.
#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "api/auth_request.h"
#include "api/message_request.h"
#include "api/native_request.h"
#include "api/validation.h"
#include "fuzz_once.h"
#include "match/match_json.h"
#include "net/http_request.h"
#include "protocol/json_writer.h"
#include "protocol/ws/utf8.h"

namespace parley::api {
namespace {

[[noreturn]] void Broken(const char* property) {
  std::fprintf(stderr, "input fuzz: property broken: %s\n", property);
  std::abort();
}

// Percent-encodes everything but unreserved characters, so ParseTarget must give it back.
std::string Encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

void CheckTarget(std::string_view input) {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  net::ParseTarget(input, path, query);  // must not crash on anything

  // Round trip: any key and value survive encoding into a target and parsing back.
  const std::string target = "/p" + Encode(input) + "?k" + Encode(input) + "=" + Encode(input);
  if (!net::ParseTarget(target, path, query)) Broken("an encoded target parses");
  if (path != "/p" + std::string(input)) Broken("the decoded path is the original");
  if (query.size() != 1 || query[0].first != "k" + std::string(input) || query[0].second != input) {
    Broken("the decoded query is the original");
  }
}

void CheckValidators(std::string_view input) {
  if (ValidateUsername(input, 32).ok()) {
    if (!ws::IsValidUtf8(input)) Broken("an accepted username is valid UTF-8");
    for (unsigned char c : input) {
      if (c < 0x20 || c == 0x7F) Broken("an accepted username has no control characters");
    }
  }
  if (ValidateRoom(input, 64).ok()) {
    if (input.empty() || input.size() > 64) Broken("an accepted room name fits the limit");
  }
  const Status m = ValidateMessage(input, 4096);
  if (m.ok() && input.size() > 4096) Broken("an accepted message fits the limit");
}

void CheckJsonEscaping(std::string_view input) {
  if (!ws::IsValidUtf8(input)) return;  // REQUIRES of AppendJsonString
  std::string json;
  AppendJsonString(json, input);
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  std::string_view back;
  if (parser.parse(padded).get_string().get(back) != simdjson::SUCCESS) {
    Broken("escaped text is a valid JSON string");
  }
  if (back != input) Broken("escaped text decodes to the original");
}

// A native protocol frame: parsing never crashes, and whatever it accepts is within the
// limits the rest of parley relies on.
void CheckNativeRequest(std::string_view input) {
  if (!ws::IsValidUtf8(input)) return;  // REQUIRES: the WebSocket layer checked it
  LimitsConfig limits;
  limits.max_message_bytes = 64;
  limits.max_client_id_bytes = 8;
  std::string ref;
  Result<NativeRequest> r = ParseNativeRequest(input, limits, ref);
  if (ref.size() > 8) Broken("an error's ref fits max_client_id_bytes");
  if (!r.ok()) {
    if (r.status().message().empty()) Broken("a rejection says why");
    return;
  }
  if (r->type != NativeRequest::Type::kPing && !ValidateRoom(r->room, 64).ok()) {
    Broken("an accepted request names a valid room");
  }
  if (r->text.size() > 64) Broken("accepted text fits max_message_bytes");
  if (r->client_id.size() > 8 || r->ref.size() > 8) Broken("ids fit max_client_id_bytes");
  if (r->type == NativeRequest::Type::kMessage && r->client_id.empty()) {
    Broken("an accepted message has a clientId");
  }
  if (r->limit < 0 || r->limit > limits.max_history_page) Broken("a history limit is clamped");
}

// The REST message API's bodies (HTTP bodies are not checked for UTF-8 before them, so any
// bytes go in): no crash, and what they accept is within the limits the room relies on.
void CheckMessageBodies(std::string_view input) {
  LimitsConfig limits;
  limits.max_message_bytes = 64;
  limits.max_client_id_bytes = 8;
  limits.max_username_chars = 8;
  limits.max_emoji_bytes = 8;
  // The header form of the key: the input's first 8 bytes, when it has that many.
  const std::optional<std::string_view> key =
      input.size() >= 8 ? std::optional<std::string_view>(input.substr(0, 8)) : std::nullopt;
  for (const auto& header : {std::optional<std::string_view>(), key}) {
    auto post = ParsePostMessageBody(input, limits, header);
    if (!post.ok()) {
      if (post.status().message().empty()) Broken("a refused body says why");
      continue;
    }
    if (!ws::IsValidUtf8(input)) Broken("an accepted body is UTF-8");
    if (!ValidateRoom(post->room, 64).ok()) Broken("an accepted post names a valid room");
    if (post->text.size() > 64) Broken("accepted content fits max_message_bytes");
    if (post->text.empty() && post->image_url.empty()) Broken("a post has content or an image");
    if (post->client_id.size() > 8) Broken("a post's key fits max_client_id_bytes");
    if (header && post->client_id != *header) Broken("the header's key is the post's key");
    if (post->username.size() > 32) Broken("a chosen name is bounded");
  }
  if (auto react = ParseReactBody(input, limits); react.ok()) {
    if (!ValidateRoom(react->room, 64).ok()) Broken("an accepted reaction names a valid room");
    if (react->emoji.empty() || react->emoji.size() > 8) Broken("an emoji fits its limit");
  }
  if (auto id = ReactPathId(input)) {
    if (id->empty() || id->size() > 64 || id->find('/') != std::string_view::npos) {
      Broken("a react path names one bounded id");
    }
  }
}

// The random chat's decoders (seed 000 bodies, seed 001 frames): no crash, and what they
// accept is within the limits the matchmaker and pair rooms rely on.
void CheckMatchDecoders(std::string_view input) {
  if (!ws::IsValidUtf8(input)) return;  // frames are checked by the WebSocket layer
  match::FieldRules rules;
  rules.max_field_chars = 8;
  rules.max_text_bytes = 64;
  rules.max_image_url_bytes = 32;
  rules.modes = {"text", "emoji"};
  if (auto seeker = match::DecodeMatchRequest(input, rules); seeker.ok()) {
    if (seeker->user_id.empty() || seeker->user_name.empty()) Broken("a seeker has an id and name");
    if (seeker->user_id.find(':') != std::string::npos) Broken("a user id has no ':'");
    if (!match::CheckField(seeker->user_id, "userId", 8).ok()) Broken("a user id fits its rules");
  }
  if (auto frame = match::DecodeClientFrame(input, rules); frame.ok()) {
    if (frame->text && frame->text->size() > 64) Broken("a pair message fits max_text_bytes");
    if (frame->image_url && frame->image_url->size() > 32) Broken("an image URL fits its limit");
  }
}

// The /api/auth bodies: no crash, and what they accept keeps the limits the accounts rely
// on (the password's length, a username parley would accept anywhere).
void CheckAccountBodies(std::string_view input) {
  const AccountLimits limits{.max_username_chars = 8,
                             .min_password_bytes = 2,
                             .max_password_bytes = 16,
                             .max_avatar_url_bytes = 24};
  if (auto r = ParseCredentialsRequest(input, limits, true); r.ok()) {
    if (r->password.size() < 2 || r->password.size() > 16) Broken("a password fits its limits");
    if (!ValidateUsername(r->username, 8).ok()) Broken("an accepted username is valid");
    if (r->avatar_url.size() > 24) Broken("an avatar URL fits its limit");
  }
  if (auto p = ParseProfileRequest(input, limits); p.ok() && p->avatar_url) {
    if (p->avatar_url->find_first_of(" \r\n\t") != std::string::npos) {
      Broken("an avatar URL has no blanks");
    }
  }
}

void FuzzInputsOnce(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckTarget(input);
  CheckValidators(input);
  CheckJsonEscaping(input);
  CheckNativeRequest(input);
  CheckMatchDecoders(input);
  CheckMessageBodies(input);
  CheckAccountBodies(input);
}

}  // namespace
}  // namespace parley::api

void parley::fuzz::RunOnce(const uint8_t* data, size_t size) {
  parley::api::FuzzInputsOnce(data, size);
}
