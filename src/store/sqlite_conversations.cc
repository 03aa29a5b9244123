// The writer's side of AI conversations (table ai_turns, migration 3).
#include <algorithm>

#include "store/sqlite_writer.h"

namespace parley {
namespace {

constexpr std::string_view kTurnMaxSql =
    "SELECT coalesce(max(turn), 0) FROM ai_turns WHERE conversation = ?1";
constexpr std::string_view kTurnInsertSql =
    "INSERT INTO ai_turns (conversation, turn, role, content, at_ms) VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kTurnTrimSql =
    "DELETE FROM ai_turns WHERE conversation = ?1 AND turn <= ?2";

}  // namespace

Status SqliteWriter::PrepareConversations() {
  return db_.PrepareAll(
      {{&turn_max_, kTurnMaxSql}, {&turn_insert_, kTurnInsertSql}, {&turn_trim_, kTurnTrimSql}});
}

Status SqliteWriter::AppendConversation(const ConversationAppend& a) {
  turn_max_.BindText(1, a.conversation);
  int rc = turn_max_.Step();
  if (rc != SQLITE_ROW) {
    Status s = db_.Error(rc, "read conversation length");
    turn_max_.Reset();
    return s;
  }
  int64_t last = turn_max_.ColumnInt64(0);
  turn_max_.Reset();
  for (const ConversationTurn& t : a.turns) {
    turn_insert_.BindText(1, a.conversation);
    turn_insert_.BindInt64(2, ++last);
    turn_insert_.BindText(3, t.role);
    turn_insert_.BindText(4, t.content);
    turn_insert_.BindInt64(5, t.at_ms);
    if (Status s = Run(turn_insert_, "append conversation turn"); !s.ok()) return s;
  }
  // Keep only the newest `keep` turns.
  turn_trim_.BindText(1, a.conversation);
  turn_trim_.BindInt64(2, last - std::max(0, a.keep));
  return Run(turn_trim_, "trim conversation");
}

}  // namespace parley
