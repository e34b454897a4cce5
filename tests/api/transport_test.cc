// The HTTP transport itself, spoken to over a raw socket where a client library would hide it:
// keep-alive, pipelining, HEAD, wrong methods, malformed requests, 100-continue, shutdown.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

// Writes `request` on a new connection and reads until the server closes it or `until` shows up.
std::string Exchange(int port, const std::string& request, const std::string& until = "") {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "connect failed";
  }
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      break;
    }
    sent += static_cast<std::size_t>(n);
  }
  std::string answer;
  char buf[4096];
  while (until.empty() || answer.find(until) == std::string::npos) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      break;
    }
    answer.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (std::size_t pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

class TransportTest : public ::testing::Test {
 protected:
  CordonServer server_;
};

TEST_F(TransportTest, PipelinedRequestsAreAnsweredInOrderOnOneConnection) {
  std::string one = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string last = "GET /api/v1/version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  std::string answer = Exchange(server_.port(), one + one + one + last);
  EXPECT_EQ(Count(answer, "HTTP/1.1 200 OK"), 4) << answer;
  EXPECT_LT(answer.find("ok\n"), answer.find("\"version\""));
}

TEST_F(TransportTest, HeadHasTheHeadersOfGetAndNoBody) {
  std::string answer = Exchange(
      server_.port(), "HEAD /api/v1/version HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK", 0), 0u) << answer;
  EXPECT_NE(answer.find("Content-Length: "), std::string::npos);
  EXPECT_EQ(answer.substr(answer.find("\r\n\r\n") + 4), "");
}

TEST_F(TransportTest, AWrongMethodIs405AndAnUnknownPathIs404) {
  auto client = server_.Client();
  auto wrong = client.Delete("/api/v1/version");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(nlohmann::json::parse(wrong->body)["error"]["code"], "invalid_argument");
  auto missing = client.Post("/api/v1/nothing", "{}", "application/json");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST_F(TransportTest, BytesThatAreNotHttpGet400AndTheConnectionCloses) {
  std::string answer = Exchange(server_.port(), "HELLO THERE\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
  EXPECT_NE(answer.find("\"error\""), std::string::npos);
  std::string huge_header =
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(std::size_t{64} * 1024, 'a') +
      "\r\n\r\n";
  answer = Exchange(server_.port(), huge_header);
  EXPECT_EQ(answer.rfind("HTTP/1.1 431", 0), 0u) << answer.substr(0, 200);
}

TEST_F(TransportTest, ExpectContinueIsHonouredAndATooLargeBodyIsRefusedUpFront) {
  std::string body = "{\"q\":\"x\"}";
  std::string request =
      "POST /api/v1/people/search HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
      "Content-Type: application/json\r\nExpect: 100-continue\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  std::string answer = Exchange(server_.port(), request);
  EXPECT_EQ(answer.rfind("HTTP/1.1 100 Continue", 0), 0u) << answer;
  EXPECT_NE(answer.find("HTTP/1.1 401"), std::string::npos) << answer;  // no token
  // A declared length over the limit is refused before a byte of the body is sent.
  answer = Exchange(server_.port(),
                    "POST /api/v1/people/search HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                    "Content-Length: 99999999\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
}

TEST_F(TransportTest, PercentEncodedPathsReachTheirRoute) {
  std::string token = server_.Login("admin");
  auto client = server_.Client();
  auto res = client.Get("/api/v1/people/%31", Bearer(token));  // "1"
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(nlohmann::json::parse(res->body)["id"], 1);
}

// C1 over HTTP: a read is on record once its line is in the audit journal. When that write
// fails (here: the file-size limit, set on the running server, refuses every extending write)
// the read is answered with a 500 and none of the person's data.
TEST(TransportAuditTest, AReadWhoseAuditLineCannotBeWrittenIsNeverAnswered) {
  CordonServer server;
  if (server.backend() != "sqlite") {
    GTEST_SKIP() << "the audit journal is kept beside an SQLite database";
  }
  std::string token = server.Login("admin");
  auto client = server.Client();
  ASSERT_EQ(client.Get("/api/v1/people/1", Bearer(token))->status, 200);
  rlimit one_byte{1, RLIM_INFINITY};  // the soft limit only, so that it can be raised again
  ASSERT_EQ(::prlimit(server.pid(), RLIMIT_FSIZE, &one_byte, nullptr), 0) << std::strerror(errno);
  auto res = client.Get("/api/v1/people/2", Bearer(token));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  EXPECT_EQ(res->body.find("\"name\""), std::string::npos) << res->body;
  EXPECT_EQ(nlohmann::json::parse(res->body)["error"]["code"], "internal");
  // The server lives on (SIGXFSZ is ignored) and answers again once writes are possible.
  rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
  ASSERT_EQ(::prlimit(server.pid(), RLIMIT_FSIZE, &unlimited, nullptr), 0);
  EXPECT_EQ(client.Get("/api/v1/people/2", Bearer(token))->status, 200);
  EXPECT_EQ(server.AuditSql("SELECT COUNT(*) FROM audit WHERE action = 'people.get'"), "2\n");
}

// The table refusing rows does not lose reads: they stay in the journal, the copy is retried,
// and they reach the table once it accepts rows again.
TEST(TransportAuditTest, ReadsWaitInTheJournalWhileTheTableRefusesRows) {
  CordonServer server;
  if (server.backend() != "sqlite") {
    GTEST_SKIP() << "the audit journal is kept beside an SQLite database";
  }
  std::string token = server.Login("admin");
  auto client = server.Client();
  server.Sql(
      "CREATE TRIGGER audit_full BEFORE INSERT ON audit WHEN NEW.action = 'people.get' "
      "BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
  ASSERT_EQ(client.Get("/api/v1/people/1", Bearer(token))->status, 200);
  ASSERT_EQ(client.Get("/api/v1/people/2", Bearer(token))->status, 200);
  // The auditor's view says it cannot be complete rather than show a partial trail.
  EXPECT_EQ(client.Get("/api/v1/audit?limit=5", Bearer(token))->status, 503);
  server.Sql("DROP TRIGGER audit_full;");
  EXPECT_EQ(server.AuditSql("SELECT object_id FROM audit WHERE action = 'people.get' ORDER BY id"),
            "1\n2\n");
}

TEST(TransportShutdownTest, SigtermClosesIdleConnectionsAndStopsQuickly) {
  CordonServer server;
  // An idle keep-alive connection must not hold the shutdown for its idle timeout.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(server.port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(::send(fd, get.data(), get.size(), MSG_NOSIGNAL), static_cast<ssize_t>(get.size()));
  char buf[1024];
  ASSERT_GT(::recv(fd, buf, sizeof buf, 0), 0);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(server.Stop(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_EQ(::recv(fd, buf, sizeof buf, 0), 0);  // closed by the server
  ::close(fd);
}

}  // namespace
}  // namespace cordon::testing
