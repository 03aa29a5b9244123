#include "api/ai_exchange.h"

#include <fmt/format.h>

#include <atomic>
#include <chrono>

#include "ai/openai_wire.h"
#include "base/log.h"
#include "net/shard.h"

namespace parley::api {
namespace {

// Process-wide: the last reference to an exchange may drop on a store thread.
std::atomic<int> in_flight{0};

// Provider error bodies are kept up to this for DescribeProviderError.
constexpr size_t kMaxErrorBody = 4096;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool Ok2xx(int status) { return status >= 200 && status < 300; }

}  // namespace

int AiExchange::InFlight() { return in_flight.load(std::memory_order_relaxed); }

AiExchange::AiExchange(const AiSettings& settings, net::Shard& shard, ai::Ask ask,
                       std::string model, bool stream, std::unique_ptr<AiReply> reply)
    : settings_(settings),
      shard_(shard),
      ask_(std::move(ask)),
      model_(std::move(model)),
      stream_(stream),
      reply_(std::move(reply)),
      sse_(static_cast<size_t>(settings.max_response_bytes)) {
  in_flight.fetch_add(1, std::memory_order_relaxed);
}

AiExchange::~AiExchange() { in_flight.fetch_sub(1, std::memory_order_relaxed); }

void AiExchange::Start() {
  if (ask_.conversation_id.empty() || settings_.max_turns == 0) return CallProvider({});
  settings_.store->LoadConversation(
      ask_.conversation_id, settings_.max_turns,
      [self = shared_from_this()](Result<std::vector<ConversationTurn>> r) {
        // On a store reader thread: continue on the connection's shard.
        auto history = std::make_shared<Result<std::vector<ConversationTurn>>>(std::move(r));
        self->shard_.Post([self, history] { self->LoadedHistory(std::move(*history)); });
      });
}

void AiExchange::LoadedHistory(Result<std::vector<ConversationTurn>> history) {
  if (!history.ok()) {
    return Fail(
        Status(ErrorCode::kUnavailable, "The conversation cannot be read right now; try again."));
  }
  CallProvider(history.value());
}

bool AiExchange::Alive() {
  if (reply_->Alive()) return true;
  if (auto call = call_.lock()) call->Cancel();
  return false;
}

void AiExchange::CallProvider(const std::vector<ConversationTurn>& history) {
  if (!Alive()) return;  // nobody is waiting any more
  ai::ChatRequest req{.model = model_, .max_tokens = settings_.max_tokens, .stream = stream_};
  if (!settings_.system_prompt.empty()) {
    req.messages.push_back({.role = "system", .content = settings_.system_prompt});
  }
  for (const ConversationTurn& t : history) {
    req.messages.push_back({.role = t.role, .content = t.content});
  }
  req.messages.push_back({.role = "user", .content = ask_.message});
  const ai::ProviderUrl& url = settings_.provider;
  net::OutboundRequest out{
      .tls = url.tls,
      .host = url.host,
      .port = url.port,
      .host_header = url.host_header,
      .target = url.path,
      .body = ai::EncodeChatRequest(req),
      .connect_timeout_s = settings_.connect_timeout_s,
      .total_timeout_s = settings_.total_timeout_s,
      .idle_timeout_s = settings_.idle_timeout_s,
      .max_body_bytes = static_cast<size_t>(settings_.max_response_bytes),
  };
  out.ca_file = settings_.ca_file;
  if (!settings_.api_key.empty()) {
    out.extra_headers = "Authorization: Bearer " + settings_.api_key + "\r\n";
  }
  auto self = shared_from_this();
  call_ = net::StartOutbound(
      shard_, std::move(out),
      net::OutboundCallbacks{
          .on_head = [self](int status, std::string_view) { self->OnHead(status); },
          .on_body = [self](std::string_view bytes) { return self->OnBody(bytes); },
          .on_end = [self](const net::OutboundEnd& end) { self->OnEnd(end); },
      });
}

void AiExchange::OnHead(int status) {
  provider_status_ = status;
  if (!stream_ || !Ok2xx(status)) return;
  // The stream starts once the provider has accepted the question, so a refusal (bad
  // model, bad key, overload) still reaches an HTTP client as a plain HTTP error.
  if (Alive()) reply_->Started();
}

bool AiExchange::OnBody(std::string_view bytes) {
  if (!Alive()) return false;
  if (!Ok2xx(provider_status_) || !stream_) {
    // A JSON answer, or an error body (kept only as far as an error message needs).
    const size_t room = Ok2xx(provider_status_)
                            ? bytes.size()
                            : kMaxErrorBody - std::min(kMaxErrorBody, body_.size());
    body_.append(bytes.substr(0, room));
    return true;
  }
  if (!sse_.Feed(bytes, [this](const ai::SseEvent& e) { return OnStreamEvent(e); })) {
    if (provider_done_) {
      // [DONE]: the answer is whole; whatever the provider does with the connection next
      // does not matter.
      Answered();
      return false;
    }
    if (failure_.ok() && sse_.failed()) {
      failure_ = Status(ErrorCode::kAiProviderError,
                        "The AI provider sent a stream event parley cannot read.");
    }
    if (!failure_.ok()) {
      Fail(failure_);
      return false;
    }
  }
  return true;
}

bool AiExchange::OnStreamEvent(const ai::SseEvent& e) {
  if (ai::IsStreamDone(e.data)) {
    provider_done_ = true;
    return false;
  }
  auto text = ai::DecodeStreamChunk(e.data, settings_.api_key);
  if (!text.ok()) {
    failure_ = text.status();
    return false;
  }
  if (text->empty()) return true;
  if (answer_.size() + text->size() > static_cast<size_t>(settings_.max_response_bytes)) {
    failure_ = Status(ErrorCode::kAiProviderError,
                      fmt::format("The AI answer passed {} bytes.", settings_.max_response_bytes));
    return false;
  }
  answer_ += *text;
  if (!Alive()) return false;
  reply_->Token(*text);
  return true;
}

void AiExchange::OnEnd(const net::OutboundEnd& end) {
  if (finished_) return;
  using Kind = net::OutboundEnd::Kind;
  if (!end.ok() && !(stream_ && provider_done_)) {
    PARLEY_LOG_WARN("ai_call_failed model={} kind={} detail=\"{}\"", model_,
                    static_cast<int>(end.kind), end.detail);
    switch (end.kind) {
      case Kind::kTimedOut:
        return Fail(Status(ErrorCode::kAiTimeout, "The AI provider did not answer in time."));
      case Kind::kConnectFailed:
        return Fail(Status(ErrorCode::kAiProviderError, "The AI provider cannot be reached."));
      case Kind::kTooLarge:
        return Fail(
            Status(ErrorCode::kAiProviderError,
                   fmt::format("The AI answer passed {} bytes.", settings_.max_response_bytes)));
      case Kind::kBroken:
      case Kind::kOk:
        return Fail(
            Status(ErrorCode::kAiProviderError, "The connection to the AI provider broke off."));
    }
  }
  if (!Ok2xx(provider_status_)) {
    PARLEY_LOG_WARN("ai_provider_refused model={} status={}", model_, provider_status_);
    return Fail(Status(ErrorCode::kAiProviderError,
                       ai::DescribeProviderError(provider_status_, body_, settings_.api_key)));
  }
  if (stream_) {
    if (!provider_done_) {
      return Fail(Status(ErrorCode::kAiProviderError,
                         "The AI provider ended the stream before it was complete."));
    }
  } else {
    auto text = ai::DecodeChatAnswer(body_, settings_.api_key);
    if (!text.ok()) return Fail(text.status());
    answer_ = std::move(text.value());
  }
  Answered();
}

void AiExchange::Answered() {
  if (ask_.conversation_id.empty() || settings_.max_turns == 0) return Finish();
  const int64_t now = NowMs();
  settings_.store->AppendConversation(
      ConversationAppend{.conversation = ask_.conversation_id,
                         .turns = {{.role = "user", .content = ask_.message, .at_ms = now},
                                   {.role = "assistant", .content = answer_, .at_ms = now}},
                         .keep = settings_.max_turns},
      [self = shared_from_this()](const Status& st) {
        // On the store writer: continue on the connection's shard. A failed write loses
        // the memory of this exchange, not the answer.
        if (!st.ok()) {
          PARLEY_LOG_WARN("ai_conversation_not_stored error=\"{}\"", st.message());
        }
        self->shard_.Post([self] { self->Finish(); });
      });
}

void AiExchange::Finish() {
  if (finished_) return;
  finished_ = true;
  if (Alive()) reply_->Done(answer_, model_, ask_.conversation_id);
}

void AiExchange::Fail(const Status& st) {
  if (finished_) return;
  finished_ = true;
  if (auto call = call_.lock()) call->Cancel();
  if (Alive()) reply_->Failed(st);
}

}  // namespace parley::api
