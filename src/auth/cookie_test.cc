#include "auth/cookie.h"

#include <gtest/gtest.h>

namespace parley::auth {
namespace {

TEST(CookieTest, FindsTheNamedCookieAmongOthers) {
  EXPECT_EQ(FindCookie("a=1; parley_session=ps_abc; b=2", "parley_session"), "ps_abc");
  EXPECT_EQ(FindCookie("parley_session=x", "parley_session"), "x");
  EXPECT_EQ(FindCookie("a=1;b=2", "b"), "2");
}

TEST(CookieTest, AbsentOrOnlyAPrefixIsNotFound) {
  EXPECT_EQ(FindCookie("", "parley_session"), std::nullopt);
  EXPECT_EQ(FindCookie("a=1; b=2", "parley_session"), std::nullopt);
  EXPECT_EQ(FindCookie("my_parley_session=1; parley_session_old=2", "parley_session"),
            std::nullopt);
  EXPECT_EQ(FindCookie("parley_session", "parley_session"), std::nullopt);  // no '='
}

TEST(CookieTest, NamesAreCaseSensitive) {
  EXPECT_EQ(FindCookie("Parley_Session=x", "parley_session"), std::nullopt);
}

TEST(CookieTest, BlanksAndQuotesAroundTheValueAreIgnored) {
  EXPECT_EQ(FindCookie("  parley_session =  v1  ; x=y", "parley_session"), "v1");
  EXPECT_EQ(FindCookie("parley_session=\"quoted\"", "parley_session"), "quoted");
  EXPECT_EQ(FindCookie("parley_session=\"", "parley_session"), "\"");  // one quote is kept
}

TEST(CookieTest, TheFirstOfTwoWins) {
  EXPECT_EQ(FindCookie("parley_session=first; parley_session=second", "parley_session"), "first");
}

TEST(CookieTest, EmptyValuesAndEmptyPairsAreHandled) {
  EXPECT_EQ(FindCookie("parley_session=", "parley_session"), "");
  EXPECT_EQ(FindCookie(";;; parley_session=v;;", "parley_session"), "v");
  EXPECT_EQ(FindCookie("=v; parley_session=w", "parley_session"), "w");
}

TEST(CookieTest, AValueMayHoldEquals) {
  EXPECT_EQ(FindCookie("parley_session=a=b", "parley_session"), "a=b");
}

TEST(CookieTest, CookieOctets) {
  EXPECT_TRUE(IsCookieValue("ps_AZaz09-_"));
  EXPECT_TRUE(IsCookieValue(""));
  EXPECT_FALSE(IsCookieValue("a b"));
  EXPECT_FALSE(IsCookieValue("a;b"));
  EXPECT_FALSE(IsCookieValue("a,b"));
  EXPECT_FALSE(IsCookieValue("a\"b"));
  EXPECT_FALSE(IsCookieValue("a\\b"));
  EXPECT_FALSE(IsCookieValue("a\x7f"));
  EXPECT_FALSE(IsCookieValue("\r\n"));
}

TEST(CookieTest, SetCookieCarriesEveryAttribute) {
  EXPECT_EQ(FormatSetCookie({.value = "ps_x", .max_age_s = 60}),
            "parley_session=ps_x; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
  EXPECT_EQ(FormatSetCookie({.value = "ps_x", .max_age_s = 60, .secure = true}),
            "parley_session=ps_x; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure");
}

TEST(CookieTest, ADeletingCookieHasMaxAgeZero) {
  EXPECT_EQ(FormatSetCookie({.value = "", .max_age_s = 0}),
            "parley_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
  EXPECT_EQ(FormatSetCookie({.value = "", .max_age_s = -5}),
            "parley_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
}

}  // namespace
}  // namespace parley::auth
