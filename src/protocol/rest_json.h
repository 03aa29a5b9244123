// The bodies of the REST message API (seed 002's /api/messages): a message carries seed
// 002's messages-table columns (id, room_id, user_id, content, created_at, updated_at) next to
// parley's own message fields (chat_json.h), so a seed 002 client and a parley client read
// the same object. Pure functions; docs/protocol.md shows an example of each.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "store/message.h"

namespace parley {

// {"room":..,"id":..,"seq":N,"username":..,"message":..,"timestamp":T,[parley's optional
//  fields],"room_id":..,"user_id":..,"content":..,"created_at":T,"updated_at":T}
// created_at and updated_at are Unix epoch milliseconds; updated_at is the last edit, or
// created_at when the message was never edited.
std::string EncodeRestMessage(const StoredMessage& m);
// {"room":..,"messages":[M..],"hasMore":bool} for GET /api/messages, oldest first.
std::string EncodeRestMessagePage(std::string_view room, std::span<const StoredMessage> messages,
                                  bool has_more);

}  // namespace parley
