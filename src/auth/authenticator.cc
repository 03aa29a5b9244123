#include "auth/authenticator.h"

#include "auth/credentials.h"

namespace parley::auth {

Result<Identity> Authenticator::Authenticate(const net::HttpRequest& req,
                                             bool key_may_follow) const {
  const Credentials creds = ReadCredentials(req);
  Identity who;
  if (!creds.api_key.empty()) {
    auto app = keys_.Find(creds.api_key);
    if (!app) return Status(ErrorCode::kInvalidApiKey, "Invalid API key.");
    who.app = std::move(*app);
  } else if (require_api_key_ && !key_may_follow) {
    return Status(ErrorCode::kApiKeyRequired,
                  "This server needs an API key: send Authorization: Bearer KEY or ?apiKey=KEY.");
  }
  if (!creds.token.empty()) {
    if (!jwt_.enabled()) {
      return Status(ErrorCode::kTokenInvalid, "The token is not valid: this server takes none.");
    }
    auto claims = jwt_.Verify(creds.token, clock_.NowMs() / 1000);
    if (!claims.ok()) return claims.status();
    who.kind = Identity::Kind::kToken;
    who.user_id = std::move(claims->sub);
    who.display_name = std::move(claims->name);
    who.rooms = std::move(claims->rooms);
  } else if (!creds.session.empty() && sessions_ != nullptr) {
    auto account = sessions_->Find(Sha256(creds.session), clock_.NowMs());
    if (!account.ok()) return account.status();
    who.kind = Identity::Kind::kAccount;
    who.user_id = std::move(account->username);
    who.display_name = std::move(account->display_name);
    who.account_id = std::move(account->id);
    who.avatar_url = std::move(account->avatar_url);
  }
  return who;
}

}  // namespace parley::auth
