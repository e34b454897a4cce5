// A real `cordon serve` process on a free loopback port, with a temporary data directory holding
// a small generated city. Each test binary run gets its own.
#pragma once

#include <httplib.h>
#include <sys/types.h>

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace cordon::testing {

inline constexpr const char* kPassword = "Demo-Passw0rd-2022";

class CordonServer {
 public:
  // Generates a city of `population` people and starts the server. Aborts the test on failure.
  // With CORDON_TEST_PG set to a PostgreSQL URL (scripts/pg-test-server.sh), the server runs on a
  // fresh database there, dropped afterwards; otherwise on SQLite in its data directory.
  explicit CordonServer(int population = 3000, const std::string& web_dir = "");
  // A second node: another `cordon serve` process, with a data directory of its own, on the same
  // PostgreSQL database as `first` (which must outlive it).
  struct SecondNode {};
  CordonServer(SecondNode, const CordonServer& first);
  ~CordonServer();
  CordonServer(const CordonServer&) = delete;
  CordonServer& operator=(const CordonServer&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& data_dir() const { return dir_; }
  std::string log() const;  // everything the server wrote to stdout and stderr so far
  httplib::Client Client() const;

  // Runs `cordon ARGS` against this data directory; returns the exit status and output.
  int Run(const std::string& args, const std::string& stdin_text, std::string* output) const;

  // Logs in; returns the bearer token (empty on failure) and fills the user JSON. Completes the
  // TOTP step as a person with an authenticator app would (security.md D4): at the first login
  // of a role that must have it, it keeps the secret shown and enrols; later it types the code.
  // Every call opens a new session. A code's time step works once, so a step is never reused:
  // the step before, the current one and the next are all accepted, which gives three logins of
  // one user at once and then one per 30 s; a fourth waits for the clock.
  std::string Login(const std::string& username, const std::string& password = kPassword,
                    nlohmann::json* user = nullptr) const;
  // The TOTP secret Login enrolled for `username`, or empty.
  std::string TotpSecret(const std::string& username) const;
  // Forgets what Login knows of `username`'s TOTP (after an administrator's reset), or sets the
  // secret and the last step used (a test that enrolled by hand).
  void ForgetTotp(const std::string& username) const;
  void RememberTotp(const std::string& username, const std::string& secret,
                    std::int64_t last_step) const;
  // A time step for `username`'s next code that the server will accept and has not seen: waits
  // when the next unused step is still in the future. Reserves it.
  std::int64_t NextTotpStep(const std::string& username) const;
  // Adds a user with kPassword.
  void AddUser(const std::string& username, const std::string& role,
               const std::string& region) const;
  // Stops with SIGTERM; returns the exit status.
  int Stop();
  // Kills the server with SIGKILL (a crash: nothing flushed, no shutdown), then starts it again
  // on the same data directory.
  void CrashAndRestart();
  // Runs `sql` on the database once every audited read so far is in the `audit` table: reads
  // reach it from the journal within 200 ms, and GET /api/v1/audit waits for them.
  std::string AuditSql(const std::string& sql);
  // Runs `sql` on the server's database from outside (the sqlite3 or psql command line), as an
  // operator's shell would; returns its rows as `a|b` lines, or its error text.
  std::string Sql(const std::string& sql) const;
  // "postgresql" when CORDON_TEST_PG names a PostgreSQL server to run on, else "sqlite".
  std::string_view backend() const { return db_url_.empty() ? "sqlite" : "postgresql"; }
  // The server's PostgreSQL URL, or empty on SQLite (the data directory's cordon.db).
  const std::string& db_url() const { return db_url_; }

 private:
  std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string admin_token_;  // for AuditSql, logged in at first use
  std::string db_url_;       // a database of its own on CORDON_TEST_PG, or empty for SQLite
  bool owns_db_ = true;      // a second node leaves the database to the first
  // What the authenticator app holds: per username, the secret and the last step used. Shared
  // with second nodes, which serve the same users.
  struct TotpBook {
    std::mutex mu;
    std::map<std::string, std::string> secrets;
    std::map<std::string, std::int64_t> last_step;
  };
  std::shared_ptr<TotpBook> totp_ = std::make_shared<TotpBook>();
  void StartServing(const std::string& web_dir);
};

httplib::Headers Bearer(const std::string& token);
// A person's whole ID number or phone, by the audited reveal of a user who may (the database
// holds them only sealed: security.md B3). Empty when refused.
std::string Revealed(const CordonServer& server, const std::string& token, std::int64_t person_id,
                     const std::string& field);
// Runs a shell command; returns what it printed on stdout (and stderr, with 2>&1).
std::string Shell(const std::string& command, int* status);
// How many times `needle` occurs in the bytes of the file at `path` (0 for a missing file).
int Occurrences(const std::string& path, const std::string& needle);
// `s` as one shell word.
std::string ShellQuote(const std::string& s);
nlohmann::json Json(const httplib::Result& result);
// The server's local date (+08:00) `days_back` days before today, as YYYY-MM-DD.
std::string DaysAgo(int days_back);
// A GB 11643 resident ID from its first 17 digits (the check character appended).
std::string WithCheckDigit(const std::string& first17);

}  // namespace cordon::testing
