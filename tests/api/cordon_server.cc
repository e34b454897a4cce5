#include "cordon_server.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "totp_client.h"

namespace cordon::testing {
namespace {

std::string Capture(const std::string& command, int* status) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *status = -1;
    return out;
  }
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) {
    out.append(buf.data(), n);
  }
  int raw = ::pclose(pipe);
  *status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return out;
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace

std::string Shell(const std::string& command, int* status) { return Capture(command, status); }
std::string ShellQuote(const std::string& s) { return Quote(s); }

CordonServer::CordonServer(int population, const std::string& web_dir) {
  char tmpl[] = "/tmp/cordon-api-XXXXXX";
  dir_ = ::mkdtemp(tmpl);
  std::string out;
  if (const char* pg = std::getenv("CORDON_TEST_PG"); pg != nullptr && *pg != '\0') {
    std::string base = pg;
    std::string name = "cordon_" + std::filesystem::path(dir_).filename().string().substr(11);
    int created = 0;
    std::string made = Capture(
        "psql -X -q " + Quote(base) + " -c " + Quote("CREATE DATABASE \"" + name + "\"") + " 2>&1",
        &created);
    if (created != 0) {
      ADD_FAILURE() << "cannot create the test database: " << made;
      std::abort();
    }
    db_url_ = base.substr(0, base.rfind('/') + 1) + name;
  }
  ::setenv("CORDON_ADMIN_PASSWORD", kPassword, 1);
  int status = Run("demo --generate-only --population " + std::to_string(population) + " --seed 11",
                   "", &out);
  if (status != 0) {
    ADD_FAILURE() << "cordon demo failed: " << out;
    std::abort();
  }
  StartServing(web_dir);
}

CordonServer::CordonServer(SecondNode /*unused*/, const CordonServer& first)
    : db_url_(first.db_url_), owns_db_(false), totp_(first.totp_) {
  char tmpl[] = "/tmp/cordon-api-XXXXXX";
  dir_ = ::mkdtemp(tmpl);
  // Nodes on one database share its field keys (docs/operations.md).
  std::filesystem::copy_file(first.dir_ + "/field-keys", dir_ + "/field-keys");
  std::filesystem::permissions(dir_ + "/field-keys", std::filesystem::perms::owner_read |
                                                         std::filesystem::perms::owner_write);
  StartServing("");
}

void CordonServer::StartServing(const std::string& web_dir) {
  std::string log = dir_ + "/server.log";
  pid_ = ::fork();
  if (pid_ == 0) {
    std::freopen(log.c_str(), "w", stdout);
    ::dup2(::fileno(stdout), 2);
    // An empty --web means no UI, whatever web/dist holds: tests stay independent of it.
    std::string web = web_dir.empty() ? dir_ + "/no-web" : web_dir;
    if (db_url_.empty()) {
      ::execl(CORDON_BINARY, CORDON_BINARY, "serve", "--data", dir_.c_str(), "--port", "0",
              "--threads", "16", "--web", web.c_str(), static_cast<char*>(nullptr));
    } else {
      ::execl(CORDON_BINARY, CORDON_BINARY, "serve", "--data", dir_.c_str(), "--db",
              db_url_.c_str(), "--port", "0", "--threads", "16", "--web", web.c_str(),
              static_cast<char*>(nullptr));
    }
    std::_Exit(127);
  }
  for (int i = 0; i < 500 && port_ == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::string text = this->log();
    auto at = text.find("listening on http://127.0.0.1:");
    if (at != std::string::npos) {
      port_ = std::atoi(text.c_str() + at + 30);
    }
  }
  if (port_ == 0) {
    ADD_FAILURE() << "server did not start: " << this->log();
    std::abort();
  }
}

CordonServer::~CordonServer() {
  Stop();
  if (!db_url_.empty() && owns_db_ && std::getenv("CORDON_KEEP_TEST_DATA") == nullptr) {
    const std::string base = std::getenv("CORDON_TEST_PG");
    const std::string name = db_url_.substr(db_url_.rfind('/') + 1);
    int status = 0;
    Capture(
        "psql -X -q " + Quote(base) + " -c " + Quote("DROP DATABASE \"" + name + "\"") + " 2>&1",
        &status);
  }
  std::error_code ec;
  if (std::getenv("CORDON_KEEP_TEST_DATA") == nullptr) {
    std::filesystem::remove_all(dir_, ec);
  }
}

int CordonServer::Stop() {
  if (pid_ <= 0) {
    return 0;
  }
  ::kill(pid_, SIGTERM);
  int raw = 0;
  ::waitpid(pid_, &raw, 0);
  pid_ = -1;
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
}

void CordonServer::CrashAndRestart() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int raw = 0;
    ::waitpid(pid_, &raw, 0);
  }
  pid_ = -1;
  port_ = 0;
  std::filesystem::rename(dir_ + "/server.log", dir_ + "/server.log.before-crash");
  StartServing("");
}

std::string CordonServer::log() const {
  std::ifstream in(dir_ + "/server.log");
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

httplib::Client CordonServer::Client() const {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(30);
  return client;
}

int CordonServer::Run(const std::string& args, const std::string& stdin_text,
                      std::string* output) const {
  std::string command = std::string(CORDON_BINARY) + " " + args + " --data " + Quote(dir_) +
                        (db_url_.empty() ? "" : " --db " + Quote(db_url_)) + " 2>&1";
  if (!stdin_text.empty()) {
    command = "printf '%s\\n' " + Quote(stdin_text) + " | " + command;
  }
  int status = 0;
  *output = Capture(command, &status);
  return status;
}

std::string CordonServer::AuditSql(const std::string& sql) {
  if (admin_token_.empty()) {
    admin_token_ = Login("admin");
  }
  auto settled = Client().Get("/api/v1/audit?limit=1", Bearer(admin_token_));
  EXPECT_TRUE(settled && settled->status == 200) << "GET /api/v1/audit failed";
  return Sql(sql);
}

std::string CordonServer::Sql(const std::string& sql) const {
  int status = 0;
  if (db_url_.empty()) {
    return Capture("sqlite3 " + Quote(dir_ + "/cordon.db") + " " + Quote(sql) + " 2>&1", &status);
  }
  return Capture("psql -X -q -A -t -F '|' " + Quote(db_url_) + " -c " + Quote(sql) + " 2>&1",
                 &status);
}

std::string CordonServer::TotpSecret(const std::string& username) const {
  std::lock_guard lock(totp_->mu);
  auto it = totp_->secrets.find(username);
  return it == totp_->secrets.end() ? std::string() : it->second;
}

void CordonServer::ForgetTotp(const std::string& username) const {
  std::lock_guard lock(totp_->mu);
  totp_->secrets.erase(username);
  totp_->last_step.erase(username);
}

void CordonServer::RememberTotp(const std::string& username, const std::string& secret,
                                std::int64_t last_step) const {
  std::lock_guard lock(totp_->mu);
  totp_->secrets[username] = secret;
  totp_->last_step[username] = last_step;
}

std::int64_t CordonServer::NextTotpStep(const std::string& username) const {
  std::int64_t step = 0;
  {
    std::lock_guard lock(totp_->mu);
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const std::int64_t current = now / 30;
    // The step before the current one is still accepted, but only while the server's clock
    // stays in this step: keep 10 s of margin for a slow answer on a loaded machine.
    const std::int64_t oldest = now % 30 < 20 ? current - 1 : current;
    std::int64_t& last = totp_->last_step[username];
    step = std::max(last + 1, oldest);
    last = step;
  }
  // A step more than one ahead is not accepted yet: wait until it is the next one.
  for (;;) {
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    const std::int64_t wait_ms = (step - 1) * 30'000 + 200 - now_ms;
    if (wait_ms <= 0) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
  }
  return step;
}

std::string CordonServer::Login(const std::string& username, const std::string& password,
                                nlohmann::json* user) const {
  auto client = Client();
  nlohmann::json body = {{"username", username}, {"password", password}};
  // One more try when a code is refused: the clock may have turned between choosing the code's
  // step and the server checking it. A success clears the failure.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto res = client.Post("/api/v1/session", body.dump(), "application/json");
    if (!res || res->status != 200) {
      return {};
    }
    auto j = nlohmann::json::parse(res->body);
    if (j.contains("mfa")) {
      if (j["mfa"] == "enroll") {
        RememberTotp(username, j["secret"].get<std::string>(), 0);
      }
      std::string secret = TotpSecret(username);
      if (secret.empty()) {
        ADD_FAILURE() << username << " has TOTP, but this test harness never saw its secret";
        return {};
      }
      std::string code = TotpCodeAt(secret, NextTotpStep(username));
      res = client.Post("/api/v1/session/mfa",
                        nlohmann::json{{"challenge", j["challenge"]}, {"code", code}}.dump(),
                        "application/json");
      if (!res || res->status != 200) {
        continue;
      }
      j = nlohmann::json::parse(res->body);
    }
    if (user != nullptr) {
      *user = j["user"];
    }
    return j["token"].get<std::string>();
  }
  return {};
}

void CordonServer::AddUser(const std::string& username, const std::string& role,
                           const std::string& region) const {
  std::string out;
  int status = Run("user add --username " + username + " --role " + role + " --region " + region,
                   kPassword, &out);
  ASSERT_EQ(status, 0) << out;
}

httplib::Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

int Occurrences(const std::string& path, const std::string& needle) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  int n = 0;
  for (auto at = bytes.find(needle); at != std::string::npos; at = bytes.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

std::string Revealed(const CordonServer& server, const std::string& token, std::int64_t person_id,
                     const std::string& field) {
  const nlohmann::json body = {{"fields", {field}}, {"reason", "测试核对证件号码"}};
  auto r = server.Client().Post("/api/v1/people/" + std::to_string(person_id) + "/reveal",
                                Bearer(token), body.dump(), "application/json");
  if (!r || r->status != 200) {
    return "";
  }
  return nlohmann::json::parse(r->body).value(field, "");
}

nlohmann::json Json(const httplib::Result& result) {
  if (!result) {
    return nullptr;
  }
  return nlohmann::json::parse(result->body, nullptr, false);
}

std::string WithCheckDigit(const std::string& first17) {
  constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) {
    sum += (first17[i] - '0') * kWeights[i];
  }
  return first17 + "10X98765432"[sum % 11];
}

std::string DaysAgo(int days_back) {
  auto now =
      std::chrono::system_clock::now() + std::chrono::hours(8) - std::chrono::days(days_back);
  std::chrono::year_month_day d{std::chrono::floor<std::chrono::days>(now)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

}  // namespace cordon::testing
