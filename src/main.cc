// cordon: the command line. Exit status 0 on success, 1 on a runtime failure, 2 on bad
// arguments (api-contract.md).
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>

#include "app/app.h"
#include "auth/audit_log.h"
#include "auth/password.h"
#include "auth/rules.h"
#include "base/secret_file.h"
#include "demo/checkins.h"
#include "demo/store.h"
#include "leads/rules.h"
#include "purges/service.h"
#include "retention/backups.h"
#include "sim/city.h"
#include "store/copy.h"
#include "store/field_keys.h"
#include "trace/routes.h"

namespace {

using cordon::Status;
using cordon::app::App;
using cordon::app::Config;

int Fail(const Status& status) {
  std::cerr << "cordon: " << status.message() << "\n";
  for (const auto& d : status.details()) {
    std::cerr << "  " << d.field << ": " << d.message << "\n";
  }
  return status.code() == cordon::StatusCode::kInvalidArgument ? 2 : 1;
}

std::string FindWebDir(const std::string& given) {
  if (!given.empty()) {
    return given;
  }
  if (const char* env = std::getenv("CORDON_WEB_DIR"); env != nullptr) {
    return env;
  }
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  for (const auto& candidate :
       {exe.parent_path() / ".." / "web" / "dist", std::filesystem::path("web/dist")}) {
    if (std::filesystem::exists(candidate / "index.html", ec)) {
      return candidate.string();
    }
  }
  return {};
}

int Serve(App& app, bool print_url) {
  // Retention before the first request (security.md F4): a database restored from an old backup
  // holds records past their period, and must not serve them.
  auto retained = app.retention().RunJob();
  if (!retained.has_value() || retained->outcome != "ok") {
    return Fail(retained.has_value() ? cordon::Internal("retention pass: " + retained->error)
                                     : retained.error());
  }
  std::int64_t deleted = 0;
  for (const auto& [kind, n] : retained->records) {
    deleted += n;
  }
  if (deleted > 0) {
    spdlog::info("retention pass: {} records past their period deleted", deleted);
  }
  // No default account (security.md D6): a fresh installation's first administrator is made with
  // a one-time token that only the operator of this machine can read.
  auto bootstrap = app.auth().IssueBootstrapToken();
  if (!bootstrap.has_value()) {
    return Fail(bootstrap.error());
  }
  std::string bootstrap_file;
  if (bootstrap->has_value()) {
    bootstrap_file = app.config().data_dir + "/bootstrap-token";
    if (Status written = cordon::base::WriteSecretFile(bootstrap_file, **bootstrap + "\n");
        !written.ok()) {
      return Fail(written);
    }
  }
  auto& server = app.BuildServer();
  app.StartBackgroundJobs();
  Status status = server.Listen(
      [&](int port) {
        std::cout << "listening on http://" << app.config().http.host << ":" << port << std::endl;
        if (!bootstrap_file.empty()) {
          std::cout << "no account yet: the first administrator is created at http://"
                    << app.config().http.host << ":" << port
                    << "/bootstrap with the one-time token in " << bootstrap_file
                    << " (valid 60 minutes)" << std::endl;
        }
        if (print_url && app.config().http.web_dir.empty()) {
          std::cout << "(web UI not built: run `make web`)" << std::endl;
        }
      },
      /*handle_signals=*/true);
  if (!status.ok()) {
    return Fail(status);
  }
  spdlog::info("stopped");
  return 0;
}

// Prints what one retention run deleted, per kind and per table; 1 when the run failed.
int RetentionRun(App& app) {
  auto run = app.retention().RunJob();
  if (!run.has_value()) {
    return Fail(run.error());
  }
  for (const auto& [kind, n] : run->records) {
    std::cout << kind << ": " << n << " deleted\n";
  }
  for (const auto& [table, n] : run->rows) {
    std::cout << "  " << table << ": " << n << " rows\n";
  }
  if (run->outcome != "ok") {
    std::cout << "retention run " << run->id << " failed: " << run->error << std::endl;
    return 1;
  }
  std::cout << "retention run " << run->id << " ok" << std::endl;
  return 0;
}

// cordon keys rotate: every sealed ID number, phone and TOTP secret under a new field key, in one
// transaction; the old key is kept apart for the backups taken before (security.md J2).
int KeysRotate(App& app) {
  const Config& config = app.config();
  if (config.db_url.empty() && !app.owns_audit_journal()) {
    // A server on this directory holds the old key in memory and would go on sealing with it.
    return Fail(cordon::FailedPrecondition("a cordon server is running on " + config.data_dir +
                                           ": stop it first"));
  }
  const std::string path =
      config.field_keys.empty() ? config.data_dir + "/field-keys" : config.field_keys;
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(app.clock().Now().time_since_epoch())
          .count();
  auto rotated = cordon::store::RotateFieldKey(app.db(), path, now);
  if (!rotated.has_value()) {
    return Fail(rotated.error());
  }
  cordon::auth::Principal operator_on_machine;
  operator_on_machine.user.username = "cordon-keys";
  Status audited = app.db().Write([&](cordon::store::Session& s) {
    return app.audit().Append(s, operator_on_machine,
                              {"field_keys.rotate", "field_key", std::to_string(rotated->to), "ok",
                               "", "from=" + std::to_string(rotated->from)});
  });
  if (!audited.ok()) {
    return Fail(audited);
  }
  std::cout << "field key " << rotated->from << " -> " << rotated->to << ": " << rotated->values
            << " sealed values sealed again, blind indexes rebuilt\n"
            << "the old key is in " << rotated->retired_file
            << ": backups taken before now need it; destroy it when they expire" << std::endl;
  return 0;
}

std::string RandomPassword() {
  // 16 characters from an unambiguous alphabet; the token generator is the CSPRNG.
  static constexpr std::string_view kAlphabet =
      "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string hex = cordon::auth::NewToken();  // 32 random bytes as hex
  std::string out;
  for (std::size_t i = 0; i < 16; ++i) {
    unsigned value = std::stoul(hex.substr(i * 2, 2), nullptr, 16);
    out += kAlphabet[value % kAlphabet.size()];
  }
  return out;
}

Status CreateDemoUsers(App& app, const std::string& password, const cordon::sim::City& city) {
  using cordon::auth::Role;
  const std::string& city_code = city.regions.front().code;
  std::string grid_code;
  for (const auto& r : city.regions) {
    if (r.level == cordon::sim::RegionLevel::kGrid) {
      grid_code = r.code;
      break;
    }
  }
  struct Account {
    const char* username;
    const char* display_name;
    Role role;
    std::string region;
  };
  const Account accounts[] = {
      {"admin", "系统管理员", Role::kAdmin, city_code},
      {"commander", "指挥部值班", Role::kCommander, city_code},
      {"grid_demo", "网格员（演示）", Role::kGridWorker, grid_code},
      {"auditor", "审计员", Role::kAuditor, city_code},
  };
  for (const auto& a : accounts) {
    cordon::auth::User user;
    user.username = a.username;
    user.display_name = a.display_name;
    user.role = a.role;
    user.region_code = a.region;
    auto created = app.auth().AddUser(user, password);
    if (!created.has_value()) {
      return created.error();
    }
  }
  return Status::Ok();
}

// The server stops on SIGTERM/SIGINT through its own signal thread. They must be blocked before
// any other thread starts (the database's checkpointer, the HTTP pool), since a thread that
// leaves them unblocked would take the signal's default action: dying mid-request.
void BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A write past the file-size limit then fails with EFBIG, and the request that needed it (an
  // audited read whose journal line cannot be written) fails, instead of the whole server dying.
  signal(SIGXFSZ, SIG_IGN);
}

int Demo(const Config& config, std::int64_t population, std::uint64_t seed, bool generate_only) {
  if (!generate_only) {
    BlockStopSignals();
  }
  auto opened = App::Open(config);
  if (!opened.has_value()) {
    return Fail(opened.error());
  }
  App& app = **opened;
  auto has_city = cordon::demo::HasCity(app.db());
  if (!has_city.has_value()) {
    return Fail(has_city.error());
  }
  const std::string password_file = config.data_dir + "/demo-password";
  std::string password;
  if (!*has_city) {
    auto start = std::chrono::steady_clock::now();
    std::cout << "generating a city of " << population << " people (seed " << seed << ")..."
              << std::endl;
    cordon::sim::CityOptions options;
    options.population = population;
    options.seed = seed;
    auto city = cordon::sim::GenerateCity(options);
    if (!city.has_value()) {
      return Fail(city.error());
    }
    auto now =
        std::chrono::duration_cast<std::chrono::seconds>(app.clock().Now().time_since_epoch())
            .count();
    Status loaded = cordon::demo::LoadCity(app.db(), *city, now, [](const std::string& line) {
      std::cout << "  " << line << std::endl;
    });
    if (!loaded.ok()) {
      return Fail(loaded);
    }
    const char* env = std::getenv("CORDON_ADMIN_PASSWORD");
    password = env != nullptr && *env != '\0' ? env : RandomPassword();
    Status users = CreateDemoUsers(app, password, *city);
    if (!users.ok()) {
      return Fail(users);
    }
    cordon::demo::CheckinPlanOptions plan;
    plan.seed = seed;
    plan.now = now;
    plan.utc_offset_seconds = app.trace().engine().calendar().offset_seconds();
    plan.days = app.config().retention_days;
    Status checkins = cordon::demo::LoadCheckins(
        app.db(), app.trace(), plan,
        [](const std::string& line) { std::cout << "  " << line << std::endl; });
    if (!checkins.ok()) {
      return Fail(checkins);
    }
    {
      std::ofstream out(password_file, std::ios::trunc);
      out << password << "\n";
    }
    ::chmod(password_file.c_str(), 0600);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "generated in " << seconds << " s" << std::endl;
  } else {
    std::ifstream in(password_file);
    std::getline(in, password);
  }
  std::cout << "admin password: "
            << (password.empty() ? "(set when the city was generated)" : password) << std::endl;
  std::cout << "login: admin / commander / grid_demo / auditor, all with that password"
            << std::endl;
  std::cout << "admin, commander and auditor set up two-factor authentication at their first "
               "login: scan the QR code shown with an authenticator app (or type the key), then "
               "enter its 6-digit code"
            << std::endl;
  if (generate_only) {
    return 0;
  }
  return Serve(app, true);
}

// The operator on the server: an administrator over the whole region tree.
cordon::Result<cordon::auth::Principal> CliOperator(App& app) {
  cordon::auth::Principal op;
  op.user.username = "cli";
  op.user.role = cordon::auth::Role::kAdmin;
  cordon::Status found = app.db().Read([&](cordon::store::Session& s) {
    return s.Query("SELECT code, path FROM regions WHERE parent_code IS NULL ORDER BY code LIMIT 1",
                   {}, [&](const cordon::store::Row& row) {
                     op.user.region_code = row.Text(0);
                     op.region_path = row.Text(1);
                     return cordon::Status::Ok();
                   });
  });
  if (!found.ok()) {
    return found;
  }
  if (op.user.region_code.empty()) {
    return cordon::FailedPrecondition(
        "no region tree in this database: generate a city (cordon demo) or load regions first");
  }
  return op;
}

// `cordon import leads`: the operator on the server, acting for the whole region tree.
int ImportLeads(App& app, const std::string& file, const std::string& source) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return Fail(cordon::InvalidArgument("cannot read " + file));
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto cli_operator = CliOperator(app);
  if (!cli_operator.has_value()) {
    return Fail(cli_operator.error());
  }
  auto report = app.leads().Import(*cli_operator, source,
                                   std::filesystem::path(file).filename().string(), bytes);
  if (!report.has_value()) {
    std::cerr << "cordon: " << report.error().message() << "\n";
    for (const auto& d : report.error().details()) {
      std::cerr << "  " << d.field << ": " << d.message << "\n";
    }
    return 1;
  }
  if (report->already_imported) {
    std::cout << "this file was imported before (import " << report->import_id
              << "): nothing changed\n";
  }
  for (const auto& row : report->rows) {
    std::cout << "line " << row.line << ": " << cordon::leads::OutcomeName(row.outcome);
    if (!row.field.empty()) {
      std::cout << " " << row.field;
    }
    if (!row.reason.empty()) {
      std::cout << ": " << row.reason;
    }
    std::cout << "\n";
  }
  std::cout << "accepted=" << report->accepted << " merged=" << report->merged
            << " rejected=" << report->rejected << std::endl;
  return 0;
}

// `cordon import checkins`: a line-numbered report of what was refused, then the counts.
int ImportCheckins(App& app, const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return Fail(cordon::InvalidArgument("cannot read " + file));
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto op = CliOperator(app);
  if (!op.has_value()) {
    return Fail(op.error());
  }
  auto report = app.trace().IngestCsv(*op, bytes);
  if (!report.has_value()) {
    return Fail(report.error());
  }
  for (const auto& r : report->rejected) {
    std::cout << "line " << r.line << ": rejected: " << r.reason << "\n";
  }
  std::cout << "accepted=" << report->accepted << " duplicates=" << report->duplicates
            << " rejected=" << report->rejected.size() << " new_venues=" << report->new_venues
            << " new_people=" << report->new_people << std::endl;
  return 0;
}

// `cordon trace contacts`: one row per evidence item, ID numbers in full (api-contract.md).
int TraceContacts(App& app, const std::string& id_number, const std::string& from_text,
                  const std::string& to_text, int depth, const std::string& format) {
  const auto offset = cordon::base::ParseUtcOffset(app.config().utc_offset);
  auto seconds = [&](const std::string& text, const char* field) -> cordon::Result<std::int64_t> {
    auto t = cordon::base::ParseTime(text, *offset);
    if (!t.has_value()) {
      return cordon::FieldInvalid(field, t.error().message());
    }
    return std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
  };
  auto from = seconds(from_text, "--from");
  if (!from.has_value()) {
    return Fail(from.error());
  }
  auto to = seconds(to_text, "--to");
  if (!to.has_value()) {
    return Fail(to.error());
  }
  auto op = CliOperator(app);
  if (!op.has_value()) {
    return Fail(op.error());
  }
  cordon::trace::SecondaryPage every;  // an export: every secondary contact, every meeting
  every.every_meeting = true;
  auto answer = app.trace().Contacts(*op, id_number, *from, *to, depth, every);
  if (!answer.has_value()) {
    return Fail(answer.error());
  }
  if (format == "json") {
    std::cout << cordon::trace::AnswerJson(*answer, *offset).dump(2) << std::endl;
    return 0;
  }
  // The answer carries masked numbers; the operator's export has them whole, opened here
  // (security.md B3).
  std::map<std::int64_t, std::string> whole;
  Status opened = app.db().Read([&](cordon::store::Session& s) -> Status {
    for (const auto* list : {&answer->close, &answer->secondary, &answer->companions}) {
      for (const auto& c : *list) {
        if (!whole.contains(c.person.id)) {
          CORDON_ASSIGN_OR_RETURN(whole[c.person.id],
                                  cordon::store::PersonIdNumber(s, c.person.id));
        }
      }
    }
    return Status::Ok();
  });
  if (!opened.ok()) {
    return Fail(opened);
  }
  std::cout << "degree,id_number,venue_code,index_time,contact_time\n";
  for (const auto* list : {&answer->close, &answer->secondary, &answer->companions}) {
    for (const auto& c : *list) {
      for (const auto& e : c.evidence) {
        std::cout << c.degree << "," << whole[c.person.id] << "," << e.venue_code << ","
                  << e.index_time << "," << e.contact_time << "\n";
      }
    }
  }
  std::cout.flush();
  return 0;
}

// cordon backup: an online backup of the embedded database into one file, checked; a
// PostgreSQL installation is backed up with pg_dump (docs/operations.md).
int Backup(const Config& config, const std::string& to, int keep_days) {
  const std::string url =
      config.db_url.empty() ? "sqlite:" + config.data_dir + "/cordon.db" : config.db_url;
  auto db = cordon::store::Open(url, {.readers = 1});
  if (!db.has_value()) {
    return Fail(db.error());
  }
  Status status = (*db)->Backup(to);
  if (!status.ok()) {
    return Fail(status);
  }
  std::error_code ignored;
  std::cout << "backup " << to << ": integrity_check ok, "
            << std::filesystem::file_size(to, ignored) << " bytes" << std::endl;
  // Backups follow retention (security.md F4): the older ones beside it hold records past their
  // period, and go once this one is whole.
  if (keep_days < 0) {
    auto shortest = cordon::retention::ShortestPeriod(**db);
    if (!shortest.has_value()) {
      return Fail(shortest.error());
    }
    keep_days = *shortest;
  }
  if (keep_days == 0) {
    return 0;
  }
  const std::string dir = std::filesystem::path(to).parent_path().string();
  auto pruned = cordon::retention::PruneBackups(dir.empty() ? "." : dir, keep_days, to,
                                                std::chrono::system_clock::now());
  if (!pruned.has_value()) {
    return Fail(pruned.error());
  }
  for (const auto& p : *pruned) {
    std::cout << "deleted " << p.path << ": " << p.age_days << " days old, past the " << keep_days
              << "-day retention period" << std::endl;
  }
  return 0;
}

// cordon copy: the whole installation, checked table by table, then the audit chain on the
// target. A server still running on an SQLite source would keep audited reads in its journal
// that the copy cannot see, so the source's journal is taken (and what it holds copied) first.
int Copy(const std::string& from_url, const std::string& to_url) {
  if (from_url == to_url) {
    return Fail(cordon::InvalidArgument("--from and --to name the same database"));
  }
  auto from = cordon::store::Open(from_url, {.readers = 1});
  if (!from.has_value()) {
    return Fail(from.error());
  }
  cordon::base::SystemClock clock;
  std::unique_ptr<cordon::auth::AuditLog> source_journal;
  if (!from_url.starts_with("postgres")) {
    const std::filesystem::path db_path =
        from_url.starts_with("sqlite:") ? from_url.substr(7) : from_url;
    const std::string journal = (db_path.parent_path() / "audit.journal").string();
    if (std::filesystem::exists(journal)) {
      auto log = cordon::auth::AuditLog::WithJournal(**from, clock, journal);
      if (!log.has_value()) {
        return Fail(log.error().code() == cordon::StatusCode::kFailedPrecondition
                        ? cordon::FailedPrecondition(log.error().message() +
                                                     ": stop cordon serve on the source first")
                        : log.error());
      }
      source_journal = std::move(*log);
    }
  }
  auto to = cordon::store::Open(to_url, {.readers = 1});
  if (!to.has_value()) {
    return Fail(to.error());
  }
  auto report = cordon::store::CopyDatabase(
      **from, **to, [](const std::string& line) { std::cerr << line << std::endl; });
  if (!report.has_value()) {
    return Fail(report.error());
  }
  for (const auto& t : report->tables) {
    std::cout << t.table << ": " << t.rows << " rows, sha256 " << t.sha256 << "\n";
  }
  std::cout << "copied " << report->rows << " rows in " << report->tables.size()
            << " tables; every table counted and hashed (SHA-256) on both sides" << std::endl;
  cordon::auth::AuditLog target_audit(**to, clock);
  auto broken = target_audit.Verify();
  if (!broken.has_value()) {
    return Fail(broken.error());
  }
  if (*broken != 0) {
    std::cout << "audit chain on the target broken at entry " << *broken << std::endl;
    return 1;
  }
  std::cout << "audit chain on the target intact" << std::endl;
  return 0;
}

}  // namespace

int Run(int argc, char** argv);

int main(int argc, char** argv) {
  // The access log is written synchronously: measured against spdlog's asynchronous logger on
  // this machine, the hand-off to a logging thread cost more than the write it saved.
  spdlog::set_default_logger(spdlog::stderr_logger_mt("cordon"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
  int status = 1;
  try {
    status = Run(argc, argv);
  } catch (const std::exception& e) {
    // A library threw where Cordon expected none: a runtime failure (exit 1), said plainly.
    std::cerr << "cordon: internal error: " << e.what() << "\n";
  }
  spdlog::shutdown();
  return status;
}

namespace {

// `cordon user reset-mfa`: the recovery path when the only administrator lost their phone.
int ResetMfa(const Config& config, const std::string& username) {
  auto opened = App::Open(config);
  if (!opened.has_value()) {
    return Fail(opened.error());
  }
  App& app = **opened;
  auto op = CliOperator(app);
  if (!op.has_value()) {
    return Fail(op.error());
  }
  std::int64_t id = 0;
  Status found = app.db().Read([&](cordon::store::Session& s) {
    return s.Query("SELECT id FROM users WHERE username = ?", {username},
                   [&](const cordon::store::Row& row) {
                     id = row.Int(0);
                     return Status::Ok();
                   });
  });
  if (!found.ok()) {
    return Fail(found);
  }
  if (id == 0) {
    return Fail(cordon::FieldInvalid("username", "no such user: " + username));
  }
  auto ended = app.auth().ResetMfa(*op, id);
  if (!ended.has_value()) {
    return Fail(ended.error());
  }
  std::cout << "two-factor authentication of " << username << " removed; " << *ended
            << " session(s) ended; they enrol again at the next login" << std::endl;
  return 0;
}

}  // namespace

int Run(int argc, char** argv) {
  CLI::App cli{"Cordon 疫情防控指挥平台: epidemic prevention and control command platform"};
  cli.require_subcommand(1);
  Config config;
  std::string web_dir;
  bool insecure_cookie = false;
  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("--data", config.data_dir, "data directory")->capture_default_str();
    cmd->add_option("--db", config.db_url, "database URL: sqlite:PATH");
    cmd->add_option("--field-keys", config.field_keys,
                    "file of the keys that seal ID numbers and phones (default DATA/field-keys)");
    cmd->add_option("--utc-offset", config.utc_offset, "local time offset")->capture_default_str();
  };
  auto add_http = [&](CLI::App* cmd) {
    cmd->add_option("--port", config.http.port, "port (0: any free port)")->capture_default_str();
    cmd->add_option("--host", config.http.host, "address to listen on")->capture_default_str();
    cmd->add_option("--threads", config.http.threads, "HTTP event-loop threads (0: one per core)")
        ->capture_default_str();
    cmd->add_option("--web", web_dir, "built web UI directory (web/dist)");
    cmd->add_flag("--insecure-cookie", insecure_cookie,
                  "session cookie without Secure/__Host- (plain-HTTP test networks only)");
  };

  auto* serve = cli.add_subcommand("serve", "serve the API and the web UI");
  add_common(serve);
  add_http(serve);

  std::int64_t population = 200'000;
  std::uint64_t seed = 1;
  bool generate_only = false;
  auto* demo = cli.add_subcommand(
      "demo", "generate a synthetic city if the data directory is empty, then serve");
  add_common(demo);
  add_http(demo);
  demo->add_option("--population", population, "people in the city")->capture_default_str();
  demo->add_option("--seed", seed, "random seed")->capture_default_str();
  demo->add_flag("--generate-only", generate_only, "generate and exit without serving");

  auto* user = cli.add_subcommand("user", "manage users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "add a user; the password is read from stdin");
  add_common(user_add);
  std::string username;
  std::string role_name;
  std::string region;
  std::string display_name;
  user_add->add_option("--username", username, "login name")->required();
  user_add
      ->add_option("--role", role_name,
                   "admin, commander, epidemiologist, site_manager, grid_worker, testing, "
                   "logistics, inspector, auditor")
      ->required();
  user_add->add_option("--region", region, "jurisdiction: a region code")->required();
  user_add->add_option("--name", display_name, "display name");

  auto* user_reset_mfa = user->add_subcommand(
      "reset-mfa",
      "remove a user's two-factor authentication and end their sessions; they enrol again at the "
      "next login (for a lost phone; the operator never sees a secret)");
  add_common(user_reset_mfa);
  user_reset_mfa->add_option("--username", username, "login name")->required();

  auto* audit = cli.add_subcommand("audit", "the audit trail");
  audit->require_subcommand(1);
  auto* audit_verify = audit->add_subcommand("verify", "verify the hash chain");
  add_common(audit_verify);

  auto* retention = cli.add_subcommand("retention", "data retention (security.md F1)");
  retention->require_subcommand(1);
  auto* retention_run = retention->add_subcommand(
      "run", "delete every record past its retention period now, as the hourly job does");
  add_common(retention_run);

  auto* purge = cli.add_subcommand("purge", "end-of-incident purges (security.md F3)");
  purge->require_subcommand(1);
  auto* purge_verify = purge->add_subcommand(
      "verify", "check a deletion certificate's signature (the JSON the certificate route gives)");
  std::string certificate_file;
  purge_verify->add_option("certificate", certificate_file, "the certificate file")->required();

  auto* import = cli.add_subcommand("import", "bring in lists");
  import->require_subcommand(1);
  auto* import_leads = import->add_subcommand(
      "leads", "import a CSV list of leads (UTF-8 or GBK); prints a report per row");
  add_common(import_leads);
  std::string import_file;
  std::string lead_source = "assist_notice";
  import_leads->add_option("FILE", import_file, "the CSV file")->required();
  import_leads->add_option("--source", lead_source, "assist_notice, data_push, self_report, …")
      ->capture_default_str();

  auto* import_checkins = import->add_subcommand(
      "checkins", "import a CSV of check-ins: person_id_number,venue_code,time (Unix seconds)");
  add_common(import_checkins);
  import_checkins->add_option("FILE", import_file, "the CSV file")->required();

  auto* trace = cli.add_subcommand("trace", "contact tracing over the check-ins");
  trace->require_subcommand(1);
  auto* trace_contacts = trace->add_subcommand(
      "contacts", "close (and secondary) contacts of a person, with evidence");
  add_common(trace_contacts);
  std::string trace_id;
  std::string trace_from;
  std::string trace_to;
  int trace_depth = 1;
  std::string trace_format = "csv";
  trace_contacts->add_option("--id-number", trace_id, "the index person's ID number")->required();
  trace_contacts->add_option("--from", trace_from, "Unix seconds or ISO 8601")->required();
  trace_contacts->add_option("--to", trace_to, "Unix seconds or ISO 8601")->required();
  trace_contacts->add_option("--depth", trace_depth, "1: close contacts; 2: and secondary")
      ->check(CLI::Range(1, 2))
      ->capture_default_str();
  trace_contacts->add_option("--format", trace_format, "csv or json")
      ->check(CLI::IsMember({"csv", "json"}))
      ->capture_default_str();

  auto* keys = cli.add_subcommand("keys", "the field keys that seal ID numbers and phones");
  keys->require_subcommand(1);
  auto* keys_rotate = keys->add_subcommand(
      "rotate", "seal every identifier under a new key (stop the servers first)");
  add_common(keys_rotate);

  auto* migrate = cli.add_subcommand("migrate", "create or upgrade the database schema");
  add_common(migrate);

  auto* backup = cli.add_subcommand(
      "backup", "write an online, checked backup of the SQLite database to one file");
  add_common(backup);
  std::string backup_to;
  backup->add_option("--to", backup_to, "the backup file to write")->required();
  int keep_days = -1;
  backup
      ->add_option("--keep-days", keep_days,
                   "delete Cordon backups beside it older than this (default: the shortest "
                   "retention period; 0 keeps them all)")
      ->check(CLI::NonNegativeNumber);

  auto* copy = cli.add_subcommand(
      "copy", "copy a whole installation to another database, every table counted and checked");
  std::string copy_from;
  std::string copy_to;
  copy->add_option("--from", copy_from, "source: sqlite:PATH or postgresql://...")->required();
  copy->add_option("--to", copy_to, "target, empty or new: sqlite:PATH or postgresql://...")
      ->required();

  auto* routes = cli.add_subcommand("routes", "print the HTTP routes (method and pattern)");
  add_common(routes);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = cli.exit(e);
    return code == 0 ? 0 : 2;
  }
  config.http.web_dir = FindWebDir(web_dir);
  config.http.secure_cookie = !insecure_cookie;

  if (*serve) {
    BlockStopSignals();
    config.checkins = true;
    auto app = App::Open(config);
    if (!app.has_value()) {
      return Fail(app.error());
    }
    return Serve(**app, true);
  }
  if (*demo) {
    config.checkins = true;
    return Demo(config, population, seed, generate_only);
  }
  if (*user_add) {
    auto role = cordon::auth::ParseRole(role_name);
    if (!role) {
      return Fail(cordon::FieldInvalid("role", "unknown role " + role_name));
    }
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') {
      password.pop_back();
    }
    auto app = App::Open(config);
    if (!app.has_value()) {
      return Fail(app.error());
    }
    cordon::auth::User u;
    u.username = username;
    u.display_name = display_name.empty() ? username : display_name;
    u.role = *role;
    u.region_code = region;
    auto created = (*app)->auth().AddUser(u, password);
    if (!created.has_value()) {
      return Fail(created.error());
    }
    std::cout << "user " << created->username << " (id " << created->id << ") added" << std::endl;
    return 0;
  }
  if (*user_reset_mfa) {
    return ResetMfa(config, username);
  }
  if (*import_leads) {
    auto app = App::Open(config);
    if (!app.has_value()) {
      return Fail(app.error());
    }
    return ImportLeads(**app, import_file, lead_source);
  }
  if (*import_checkins) {
    config.checkins = true;
    auto app = App::Open(config);
    if (!app.has_value()) {
      return Fail(app.error());
    }
    return ImportCheckins(**app, import_file);
  }
  if (*trace_contacts) {
    // Beside a running server the engine is read as it stands, without taking its directory.
    config.checkins = true;
    config.checkins_read_only = true;
    auto app = App::Open(config);
    if (!app.has_value()) {
      return Fail(app.error());
    }
    return TraceContacts(**app, trace_id, trace_from, trace_to, trace_depth, trace_format);
  }
  if (*audit_verify) {
    auto app = App::Open(config);
    if (!app.has_value()) {
      return Fail(app.error());
    }
    auto broken = (*app)->audit().Verify();
    if (!broken.has_value()) {
      return Fail(broken.error());
    }
    if (*broken != 0) {
      std::cout << "audit chain broken at entry " << *broken << std::endl;
      return 1;
    }
    std::cout << "audit chain intact" << std::endl;
    return 0;
  }
  if (*purge_verify) {
    std::ifstream in(certificate_file);
    if (!in) {
      return Fail(cordon::InvalidArgument("cannot read " + certificate_file));
    }
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto key_id = cordon::purges::VerifyCertificateFile(text);
    if (!key_id.has_value()) {
      std::cout << "certificate NOT verified: " << key_id.error().message() << std::endl;
      return 1;
    }
    // The signature proves the text unaltered since the key signed it; that the key is the
    // installation's is for the reader to compare (the 数据销毁证明 prints the same id).
    std::cout << "certificate verified: unaltered since key " << *key_id
              << " signed it; check that this is the installation's key id" << std::endl;
    return 0;
  }
  if (*keys_rotate) {
    auto app = App::Open(config);
    if (!app.has_value()) {
      return Fail(app.error());
    }
    return KeysRotate(**app);
  }
  if (*retention_run) {
    auto app = App::Open(config);
    if (!app.has_value()) {
      return Fail(app.error());
    }
    return RetentionRun(**app);
  }
  if (*migrate) {
    auto app = App::Open(config);
    if (!app.has_value()) {
      return Fail(app.error());
    }
    std::cout << "schema at version " << cordon::store::LatestMigration() << std::endl;
    return 0;
  }
  if (*copy) {
    return Copy(copy_from, copy_to);
  }
  if (*backup) {
    return Backup(config, backup_to, keep_days);
  }
  if (*routes) {
    config.checkins = true;
    config.checkins_read_only = true;
    auto app = App::Open(config);
    if (!app.has_value()) {
      return Fail(app.error());
    }
    for (const auto& r : (*app)->BuildServer().Routes()) {
      std::cout << r.method << " " << r.pattern << "\n";
    }
    return 0;
  }
  return 2;
}
