#include "visitor/visitor_json.h"

#include "protocol/json_writer.h"
#include "protocol/seed003_json.h"

namespace parley::visitor {
namespace {

void WriteCounts(JsonWriter& w, const VisitorChange& c) {
  w.Key("domainStats").BeginObject().Key("activeVisitors").Int(c.active);
  w.Key("totalVisitors").Int(c.total_unique).EndObject();
}

}  // namespace

std::string EncodeVisitorAdded(std::string_view domain, const VisitorChange& c) {
  std::string out;
  JsonWriter w(out);
  const Visitor& v = c.visitor;
  w.BeginObject().Key("success").Bool(true).Key("visitor").BeginObject();
  w.Key("id").String(v.id).Key("domainId").String(domain).Key("userAgent").String(v.user_agent);
  w.Key("timestamp").String(IsoTime(v.first_ms)).Key("lastActivity").String(IsoTime(v.last_ms));
  if (!v.data.empty()) w.Key("sessionData").Raw(v.data);
  w.EndObject();
  WriteCounts(w, c);
  w.EndObject();
  return out;
}

std::string EncodeVisitorRemoved(const VisitorChange& c) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("success").Bool(true);
  WriteCounts(w, c);
  w.EndObject();
  return out;
}

std::string EncodeDomainStats(const DomainStats& s, std::string_view type, int64_t now_ms) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  if (!type.empty()) w.Key("type").String(type);
  w.Key("domainId").String(s.domain).Key("activeVisitors").Int(s.active);
  w.Key("totalVisitors").Int(s.total_unique).Key("uniqueVisitorsToday").Int(s.unique_today);
  w.Key("topPages").BeginArray();
  for (const auto& p : s.top_pages) {
    w.BeginObject().Key("page").String(p.page).Key("visitors").Int(p.visitors).EndObject();
  }
  w.EndArray().Key("visitors").BeginArray();
  for (const auto& v : s.visitors) {
    w.BeginObject().Key("id").String(v.id).Key("userAgent").String(v.user_agent);
    if (!v.page.empty()) w.Key("page").String(v.page);
    w.Key("timestamp").String(IsoTime(v.first_ms));
    w.Key("lastActivity").String(IsoTime(v.last_ms)).EndObject();
  }
  w.EndArray();
  if (!type.empty()) w.Key("timestamp").String(IsoTime(now_ms));
  w.EndObject();
  return out;
}

std::string EncodeVisitorEvent(std::string_view type, std::string_view domain,
                               std::string_view visitor_id, std::string_view visitor_data,
                               int active, int64_t now_ms) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("type").String(type).Key("domainId").String(domain);
  w.Key("visitorId").String(visitor_id);
  if (!visitor_data.empty()) w.Key("visitorData").Raw(visitor_data);
  w.Key("activeCount").Int(active).Key("timestamp").String(IsoTime(now_ms)).EndObject();
  return out;
}

}  // namespace parley::visitor
