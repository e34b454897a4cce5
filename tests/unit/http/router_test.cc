// Routing and query strings, as the server's handlers rely on them.
#include "http/router.h"

#include <gtest/gtest.h>

#include "http/request.h"

namespace cordon::http {
namespace {

TEST(RouterTest, FindsLiteralAndParameterRoutes) {
  Router router;
  router.Add("GET", "/api/v1/people", 0);
  router.Add("GET", "/api/v1/people/{id}", 1);
  router.Add("POST", "/api/v1/people/{id}/reveal", 2);
  Router::Match m;
  ASSERT_EQ(router.Find("GET", "/api/v1/people", m), Router::Outcome::kFound);
  EXPECT_EQ(m.route, 0u);
  EXPECT_TRUE(m.params.empty());
  ASSERT_EQ(router.Find("GET", "/api/v1/people/42", m), Router::Outcome::kFound);
  EXPECT_EQ(m.route, 1u);
  EXPECT_EQ(m.params, std::vector<std::string>{"42"});
  ASSERT_EQ(router.Find("POST", "/api/v1/people/7/reveal", m), Router::Outcome::kFound);
  EXPECT_EQ(m.route, 2u);
}

TEST(RouterTest, TellsAWrongMethodFromAMissingPath) {
  Router router;
  router.Add("GET", "/api/v1/people/{id}", 0);
  Router::Match m;
  EXPECT_EQ(router.Find("DELETE", "/api/v1/people/1", m), Router::Outcome::kWrongMethod);
  EXPECT_EQ(router.Find("GET", "/api/v1/people", m), Router::Outcome::kNoRoute);
  EXPECT_EQ(router.Find("GET", "/api/v1/people/", m), Router::Outcome::kNoRoute);  // empty {id}
  EXPECT_EQ(router.Find("GET", "/api/v1/people/1/x", m), Router::Outcome::kNoRoute);
}

TEST(RouterTest, AnEncodedSlashStaysInsideItsSegment) {
  Router router;
  router.Add("GET", "/api/v1/regions/{code}", 0);
  Router::Match m;
  ASSERT_EQ(router.Find("GET", "/api/v1/regions/a%2Fb", m), Router::Outcome::kFound);
  EXPECT_EQ(m.params, std::vector<std::string>{"a/b"});
}

TEST(RequestTest, QueryParametersAreDecoded) {
  Request r;
  r.query = "limit=5&actor=%E5%BC%A0+san&empty=&flag&limit=9";
  EXPECT_EQ(r.Param("limit"), "5");  // the first one
  EXPECT_EQ(r.Param("actor"), "张 san");
  EXPECT_TRUE(r.HasParam("empty"));
  EXPECT_EQ(r.Param("empty"), "");
  EXPECT_TRUE(r.HasParam("flag"));
  EXPECT_FALSE(r.HasParam("missing"));
  EXPECT_EQ(r.Param("missing"), "");
}

TEST(RequestTest, MalformedEscapesAreKeptAsWritten) {
  EXPECT_EQ(PercentDecode("100%", false), "100%");
  EXPECT_EQ(PercentDecode("%zz%4", false), "%zz%4");
  EXPECT_EQ(PercentDecode("a+b%20c", false), "a+b c");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
}

TEST(RequestTest, HeadersAreFoundWhateverTheirCase) {
  Request r;
  r.headers = {{"content-type", "application/json"}, {"Authorization", "Bearer x"}};
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  EXPECT_EQ(r.Header("authorization"), "Bearer x");
  EXPECT_EQ(r.Header("Cookie"), "");
}

}  // namespace
}  // namespace cordon::http
