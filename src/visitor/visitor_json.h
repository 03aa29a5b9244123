// The JSON seed 003's visitor endpoints and visitor socket messages answer with, field
// names as the seed's VisitorTracker writes them, plus uniqueVisitorsToday and topPages.
// Times are ISO 8601 UTC strings. Pure.
#pragma once

#include <string>
#include <string_view>

#include "visitor/domain_visitors.h"
#include "visitor/visitor_service.h"

namespace parley::visitor {

// POST /visitors/add: {success:true, visitor:{id, domainId, userAgent, timestamp,
// lastActivity, sessionData?}, domainStats:{activeVisitors, totalVisitors}}.
std::string EncodeVisitorAdded(std::string_view domain, const VisitorChange& c);
// POST /visitors/remove: {success:true, domainStats:{activeVisitors, totalVisitors}}.
std::string EncodeVisitorRemoved(const VisitorChange& c);
// GET /stats/domain/:domainId: {domainId, activeVisitors, totalVisitors,
// uniqueVisitorsToday, topPages:[{page, visitors}], visitors:[{id, userAgent, page?,
// timestamp, lastActivity}]}. With `type` (the socket's get-domain-stats), the object
// starts with {type, ...} and ends with a timestamp, as the seed's domain-stats frame.
std::string EncodeDomainStats(const DomainStats& s, std::string_view type = {}, int64_t now_ms = 0);
// The socket's answers to visitor-joined-domain / visitor-left-domain: {type, domainId,
// visitorId, visitorData? (joined), activeCount, timestamp}.
std::string EncodeVisitorEvent(std::string_view type, std::string_view domain,
                               std::string_view visitor_id, std::string_view visitor_data,
                               int active, int64_t now_ms);

}  // namespace parley::visitor
