#include "protocol/rest_json.h"

#include <gtest/gtest.h>

namespace parley {
namespace {

StoredMessage Sample() {
  StoredMessage m;
  m.room = "general";
  m.seq = 3;
  m.id = "0000018c0000a001";
  m.username = "alice";
  m.text = "hi \"there\"";
  m.timestamp_ms = 1700000000000;
  m.client_id = "k1";
  return m;
}

TEST(RestJsonTest, AMessageCarriesSeed002sColumnsAndParleysFields) {
  EXPECT_EQ(EncodeRestMessage(Sample()),
            R"({"room":"general","id":"0000018c0000a001","seq":3,"username":"alice",)"
            R"("message":"hi \"there\"","timestamp":1700000000000,"clientId":"k1",)"
            R"("room_id":"general","user_id":"alice","content":"hi \"there\"",)"
            R"("created_at":1700000000000,"updated_at":1700000000000})");
}

TEST(RestJsonTest, UpdatedAtIsTheLastEdit) {
  StoredMessage m = Sample();
  m.edited_ms = 1700000005000;
  const std::string json = EncodeRestMessage(m);
  EXPECT_NE(json.find(R"("editedAt":1700000005000)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("updated_at":1700000005000})"), std::string::npos) << json;
}

TEST(RestJsonTest, APage) {
  const StoredMessage m = Sample();
  EXPECT_EQ(EncodeRestMessagePage("general", {}, false),
            R"({"room":"general","messages":[],"hasMore":false})");
  const std::string page = EncodeRestMessagePage("general", {&m, 1}, true);
  EXPECT_TRUE(page.starts_with(R"({"room":"general","messages":[{"room":"general",)")) << page;
  EXPECT_TRUE(page.ends_with(R"("updated_at":1700000000000}],"hasMore":true})")) << page;
}

}  // namespace
}  // namespace parley
