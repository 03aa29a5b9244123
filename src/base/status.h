// Status and Result<T>: parley's error values on the data path (no exceptions there).
//
// Every error parley reports to a client has an ErrorCode. One table (status.cc) maps
// each code to its stable wire name, the HTTP status it answers with and, where the
// error ends a WebSocket, the close code. Thread-safe: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace parley {

enum class ErrorCode : uint8_t {
  kOk = 0,
  kBadRequest,        // malformed HTTP or JSON
  kInvalidUsername,   // empty, too long, control characters
  kInvalidRoom,       // empty, too long, characters outside the allowed set
  kMessageTooLarge,   // chat text over limits.max_message_bytes
  kEmptyMessage,      // chat text that is empty after trimming
  kNotFound,          // unknown route or resource
  kMethodNotAllowed,  // known route, wrong method
  kRoomLimit,         // limits.max_rooms reached
  kConnectionLimit,   // limits.max_connections reached
  kRateLimited,       // too many messages
  kPayloadTooLarge,   // HTTP body or WebSocket frame over its limit
  kShuttingDown,      // the server is stopping
  kUnavailable,       // a dependency (store) failed; retry later
  kInternal,          // a bug: logged with detail, reported without
  kForbidden,         // allowed for someone else only (editing another user's message)
  kConflict,          // the request contradicts stored state (a seq out of order)
  kUnknownType,       // a JSON frame whose "type" parley does not know
  kInvalidField,      // a JSON field missing, of the wrong type or outside its limit
  kNotJoined,         // an action in a room the connection has not joined
  kTooManyRooms,      // limits.max_rooms_per_connection reached
  kSlowConsumer,      // the client stopped reading; its queue passed limits.send_queue_bytes
  // Random 1:1 chat (src/match).
  kUnknownFilter,     // a filter value outside the configured list
  kNotAuthenticated,  // a socket that has not sent a valid auth message
  kInvalidApiKey,     // auth with a key that matches no configured key
  kNotMatched,        // a chat action without a partner, or a pair the user is not part of
  kQueueFull,         // match.max_queue waiting users reached
  kPairLimit,         // match.max_pairs live pair rooms reached
  // Access control and abuse resistance (src/guard).
  kOriginNotAllowed,   // a browser Origin outside security.allowed_origins
  kIpConnectionLimit,  // limits.max_connections_per_ip open sockets from one address
  // File uploads (src/upload).
  kInvalidUpload,        // an empty file, or a multipart body without exactly one file part
  kFileTooLarge,         // an upload over uploads.max_bytes
  kUnsupportedFileType,  // the bytes are not one of uploads.allowed_types, whatever the name
  // AI assistant (src/ai, api/ai_routes).
  kAiNotConfigured,  // no [ai] base_url: the AI endpoints are off
  kUnknownModel,     // a model outside ai.models
  kAiProviderError,  // the provider answered an error, or an answer parley cannot read
  kAiTimeout,        // the provider did not connect or answer within the ai timeouts
  // Seed 003: visitor analytics (src/visitor).
  kInvalidDomain,        // a domainId empty, too long or outside its character set
  kVisitorDataTooLarge,  // visitorData over visitors.max_data_bytes
  kDomainLimit,          // visitors.max_domains tracked domains reached
  kVisitorLimit,         // visitors.max_per_domain current visitors of one domain reached
  // Binary packets on the native socket (src/protocol/packet.h).
  kBadPacket,           // wrong magic, reserved bits set, a body that does not decode
  kTruncatedPacket,     // shorter than its header or than the body length it declares
  kUnsupportedVersion,  // a packet version parley does not speak
  kBadChecksum,         // the payload's CRC-32 differs from the header's
  kPacketTooLarge,      // a declared payload over limits.max_packet_payload_bytes
  // Identity (src/auth).
  kApiKeyRequired,  // auth.require_api_key is on and the request carries no key
  kTokenInvalid,    // a JWT that is malformed, badly signed, of a refused alg, or not yet valid
  kTokenExpired,    // a genuine JWT past its exp
  kPrivateRoom,     // a room this identity may not enter
  // Built-in accounts (src/auth/accounts.h, api/auth_routes).
  kAccountsDisabled,    // auth.accounts is false: the /api/auth endpoints are off
  kUsernameTaken,       // register with a username an account already has (any letter case)
  kInvalidPassword,     // a password outside auth.min_password_bytes..max_password_bytes
  kInvalidCredentials,  // login with an unknown username or a wrong password (one code)
  kSessionInvalid,      // a session token parley does not know (never issued, logged out)
  kSessionExpired,      // a session past its expiry
  // The AI assistant on sockets and in rooms.
  kAiBusy,  // a socket asked the assistant again before its previous answer ended
  // Visitor analytics per address.
  kIpDomainLimit,  // visitors.max_domains_per_ip domains added from one IP in the window
  // Moderation (api/admin_routes.h).
  kAdminDisabled,      // no admin.key configured: the /api/admin/* routes are off
  kAdminUnauthorized,  // an /api/admin/* request without the admin key, or with a wrong one
};

struct ErrorInfo {
  std::string_view wire_name;  // stable, machine-readable: "message_too_large"
  int http_status;             // 400, 404, 413, 429, 500, 503 ...
  uint16_t ws_close_code;      // close code when the error ends a WebSocket
};

const ErrorInfo& Describe(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  // A sentence for a human; never contains message bodies or secrets.
  const std::string& message() const { return message_; }
  std::string_view wire_name() const { return Describe(code_).wire_name; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

// Result<T>: a T or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT
  // REQUIRES: !status.ok() for the Status constructor.

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace parley
