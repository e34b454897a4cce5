#include "store/postgres/pg_database.h"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <regex>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/check.h"
#include "store/postgres/pg_durability.h"

namespace cordon::store {
namespace {

// Type oids from PostgreSQL's catalog (pg_type.dat); libpq does not export them.
constexpr Oid kInt4 = 23;
constexpr Oid kInt8 = 20;
constexpr Oid kFloat8 = 701;
constexpr Oid kUnknown = 0;  // text and NULL: the server infers the type from the context

// Every write transaction takes this transaction-scoped advisory lock first, so that writers
// are serialised across every node on the database, as database.h promises and as SQLite does:
// read-then-write steps (the audit chain head, keyset allocation) stay correct with several
// `cordon serve` processes.
constexpr std::string_view kWriterLock = "SELECT pg_advisory_xact_lock(7420130001)";

class PgRow final : public Row {
 public:
  PgRow(const PGresult* result, int row) : result_(result), row_(row) {}
  int Columns() const override { return PQnfields(result_); }
  bool IsNull(int c) const override { return PQgetisnull(result_, row_, c) != 0; }
  std::int64_t Int(int c) const override {
    const char* v = PQgetvalue(result_, row_, c);
    // Booleans (a comparison selected as a column) read as 1 and 0, as SQLite gives them.
    if (v[0] == 't' && v[1] == '\0') {
      return 1;
    }
    if (v[0] == 'f' && v[1] == '\0') {
      return 0;
    }
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(v, v + std::char_traits<char>::length(v), n);
    if (ec == std::errc() && *end == '\0') {
      return n;
    }
    return static_cast<std::int64_t>(std::strtod(v, nullptr));  // numeric results ("12.0")
  }
  double Real(int c) const override { return std::strtod(PQgetvalue(result_, row_, c), nullptr); }
  std::string Text(int c) const override {
    return {PQgetvalue(result_, row_, c), static_cast<std::size_t>(PQgetlength(result_, row_, c))};
  }

 private:
  const PGresult* result_;
  int row_;
};

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

class PgConnection final : public Session {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Result<std::int64_t> Exec(std::string_view sql, const Params& params) override {
    CORDON_ASSIGN_OR_RETURN(ResultPtr result, Run(sql, params));
    if (PQresultStatus(result.get()) == PGRES_TUPLES_OK) {
      return static_cast<std::int64_t>(PQntuples(result.get()));
    }
    const char* changed = PQcmdTuples(result.get());
    return changed[0] == '\0' ? 0 : std::strtoll(changed, nullptr, 10);
  }

  Status Query(std::string_view sql, const Params& params, const RowCallback& on_row) override {
    CORDON_ASSIGN_OR_RETURN(ResultPtr result, Run(sql, params));
    const int rows = PQntuples(result.get());
    for (int i = 0; i < rows; ++i) {
      CORDON_RETURN_IF_ERROR(on_row(PgRow(result.get(), i)));
    }
    return Status::Ok();
  }

  Status ExecScript(std::string_view sql) override {
    const std::string text = PostgresDdl(sql);
    ResultPtr result(PQexec(conn_, text.c_str()));
    return Check(result.get(), sql);
  }

  // Runs a statement of the backend's own (BEGIN, COMMIT, ...).
  Status Command(std::string_view sql) {
    ResultPtr result(PQexec(conn_, std::string(sql).c_str()));
    return Check(result.get(), sql);
  }

  // After a lost connection (the server restarted), the next transaction reconnects, with the
  // session's settings again and none of the old connection's prepared statements.
  void ResetIfBroken() {
    if (PQstatus(conn_) != CONNECTION_OK) {
      PQreset(conn_);
      prepared_.clear();
      if (PQstatus(conn_) == CONNECTION_OK) {
        Settings().IgnoreError();
      }
    }
  }

  // Quiet NOTICEs (CREATE ... IF NOT EXISTS) and UTC unix seconds everywhere.
  Status Settings() {
    CORDON_RETURN_IF_ERROR(Command("SET client_min_messages = warning"));
    return Command("SET TIME ZONE 'UTC'");
  }

 private:
  Result<ResultPtr> Run(std::string_view sql, const Params& params) {
    const std::string text = NumberPlaceholders(sql);
    std::vector<Oid> types(params.size(), kUnknown);
    std::vector<std::string> values(params.size());
    std::vector<const char*> pointers(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (const auto* n = std::get_if<std::int64_t>(&v)) {
        // int4 when the value fits: functions such as substr take int4 and PostgreSQL will not
        // narrow an int8 argument; comparisons and inserts widen int4 to the BIGINT columns.
        types[i] = *n >= INT32_MIN && *n <= INT32_MAX ? kInt4 : kInt8;
        values[i] = std::to_string(*n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        types[i] = kFloat8;
        char buf[32];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);
        CORDON_CHECK(ec == std::errc());
        values[i].assign(buf, end);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        // libpq passes text as C strings: a NUL byte would silently end the value there (and
        // an audit row's hash would then no longer match it).
        if (s->find('\0') != std::string::npos) {
          return InvalidArgument("a text value holds a NUL byte, which PostgreSQL cannot store");
        }
        values[i] = *s;
      } else {
        continue;  // NULL
      }
      pointers[i] = values[i].c_str();
    }
    CORDON_ASSIGN_OR_RETURN(std::string name, Prepare(text, types));
    ResultPtr result(name.empty()
                         ? PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()),
                                        types.data(), pointers.data(), nullptr, nullptr, 0)
                         : PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()),
                                          pointers.data(), nullptr, nullptr, 0));
    CORDON_RETURN_IF_ERROR(Check(result.get(), sql));
    return result;
  }

  // The name of `text` prepared with these parameter types on this connection, preparing it
  // the first time: PostgreSQL then parses and plans a statement once, not at every call (the
  // SQLite backend keeps its statements too). Empty past kMostPrepared statements: run unprepared.
  Result<std::string> Prepare(const std::string& text, const std::vector<Oid>& types) {
    std::string key = text;
    for (Oid t : types) {
      key += '\0';
      key += std::to_string(t);
    }
    if (auto it = prepared_.find(key); it != prepared_.end()) {
      return it->second;
    }
    constexpr std::size_t kMostPrepared = 4000;
    if (prepared_.size() >= kMostPrepared) {
      return std::string();
    }
    std::string name = "cordon_" + std::to_string(prepared_.size() + 1);
    ResultPtr result(
        PQprepare(conn_, name.c_str(), text.c_str(), static_cast<int>(types.size()), types.data()));
    CORDON_RETURN_IF_ERROR(Check(result.get(), text));
    prepared_.emplace(std::move(key), name);
    return name;
  }

  Status Check(const PGresult* result, std::string_view sql) const {
    ExecStatusType status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      return Status::Ok();
    }
    std::string message = "postgresql: ";
    const char* error = result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_);
    message += error;
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
      message.pop_back();
    }
    const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string_view code = state != nullptr ? state : "";
    if (code == "23505") {
      return {StatusCode::kAlreadyExists, message};  // unique_violation
    }
    if (code.starts_with("23") || code == "P0001") {
      // Integrity constraints (foreign key, check, not null) and a trigger's RAISE: the request
      // does not fit the stored state.
      return FailedPrecondition(message);
    }
    if (code == "40001" || code == "40P01" || code.starts_with("08") || code == "57P01") {
      return Unavailable(message);  // serialization failure, deadlock, connection lost
    }
    message += " in: ";
    message += sql.substr(0, 200);
    return Internal(message);
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL and types -> statement name
};

Result<std::unique_ptr<PgConnection>> Connect(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = "cannot connect to PostgreSQL: ";
    message += PQerrorMessage(conn);
    PQfinish(conn);
    while (!message.empty() && message.back() == '\n') {
      message.pop_back();
    }
    return Unavailable(message);
  }
  auto c = std::make_unique<PgConnection>(conn);
  CORDON_RETURN_IF_ERROR(c->Settings());
  return c;
}

class PgDatabase final : public Database {
 public:
  PgDatabase(std::unique_ptr<PgConnection> writer,
             std::vector<std::unique_ptr<PgConnection>> readers)
      : writer_(std::move(writer)), readers_(std::move(readers)) {
    for (auto& r : readers_) {
      idle_.push_back(r.get());
    }
  }

  Status Read(const std::function<Status(Session&)>& fn) override {
    PgConnection* conn = nullptr;
    {
      std::unique_lock lock(pool_mu_);
      pool_cv_.wait(lock, [&] { return !idle_.empty(); });
      conn = idle_.back();
      idle_.pop_back();
    }
    conn->ResetIfBroken();
    // One snapshot for the whole read, as SQLite's read transaction gives.
    Status status = conn->Command("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (status.ok()) {
      conn->UseFields(field_cipher().get());
      status = fn(*conn);
      Status ended = conn->Command(status.ok() ? "COMMIT" : "ROLLBACK");
      if (status.ok()) {
        status = ended;
      }
    }
    {
      std::lock_guard lock(pool_mu_);
      idle_.push_back(conn);
    }
    pool_cv_.notify_one();
    return status;
  }

  Status Write(const std::function<Status(Session&)>& fn) override {
    std::lock_guard lock(write_mu_);
    return WriteLocked(fn, /*flushed_soon=*/false);
  }

  Status WriteFlushedSoon(const std::function<Status(Session&)>& fn) override {
    std::lock_guard lock(write_mu_);
    return WriteLocked(fn, /*flushed_soon=*/true);
  }

  Status Backup(const std::string& /*path*/) override {
    return FailedPrecondition(
        "a PostgreSQL database is backed up with pg_dump -Fc and restored with pg_restore "
        "(docs/operations.md)");
  }

  std::string_view Dialect() const override { return "postgresql"; }

  Status Scrub(const std::vector<std::string>& tables) override {
    // VACUUM runs outside a transaction; the writer's lock keeps it off the writer's others.
    std::lock_guard lock(write_mu_);
    writer_->ResetIfBroken();
    for (const std::string& table : tables) {
      CORDON_RETURN_IF_ERROR(writer_->Command("VACUUM " + table));
    }
    return Status::Ok();
  }

 private:
  Status WriteLocked(const std::function<Status(Session&)>& fn, bool flushed_soon) {
    writer_->ResetIfBroken();
    CORDON_RETURN_IF_ERROR(writer_->Command("BEGIN"));
    Status status = writer_->Command(kWriterLock);
    if (status.ok() && flushed_soon) {
      // Committed and visible at once, on disk within wal_writer_delay (200 ms by default).
      status = writer_->Command("SET LOCAL synchronous_commit = off");
    }
    if (status.ok()) {
      writer_->UseFields(field_cipher().get());
      status = fn(*writer_);
    }
    if (!status.ok()) {
      writer_->Command("ROLLBACK").IgnoreError();
      return status;
    }
    status = writer_->Command("COMMIT");
    if (!status.ok()) {
      writer_->Command("ROLLBACK").IgnoreError();
    }
    return status;
  }

  std::mutex write_mu_;
  std::unique_ptr<PgConnection> writer_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<PgConnection>> readers_;
  std::vector<PgConnection*> idle_;
};

}  // namespace

std::string NumberPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      // A quoted string or identifier, with its doubled quotes, is copied as it is.
      std::size_t end = i + 1;
      while (end < sql.size()) {
        if (sql[end] == c) {
          if (end + 1 < sql.size() && sql[end + 1] == c) {
            end += 2;
            continue;
          }
          break;
        }
        ++end;
      }
      out.append(sql.substr(i, end - i + 1));
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      std::size_t end = sql.find('\n', i);
      end = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, end - i));
      i = end - 1;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(next++);
    } else {
      out += c;
    }
  }
  return out;
}

std::string PostgresDdl(std::string_view sql) {
  static const std::regex rowid(R"(\bINTEGER PRIMARY KEY\b)");
  static const std::regex integer(R"(\bINTEGER\b)");
  static const std::regex real(R"(\bREAL\b)");
  static const std::regex blob(R"(\bBLOB\b)");
  static const std::regex text(R"(\bTEXT\b)");
  std::string out = std::regex_replace(std::string(sql), rowid,
                                       "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
  out = std::regex_replace(out, integer, "BIGINT");
  out = std::regex_replace(out, real, "DOUBLE PRECISION");
  out = std::regex_replace(out, blob, "BYTEA");
  // Byte order, as SQLite compares: jurisdiction ranges (`region_path >= ? AND < ?`) and name
  // prefixes depend on it, whatever locale the database was created with.
  return std::regex_replace(out, text, "TEXT COLLATE \"C\"");
}

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, const OpenOptions& options) {
  CORDON_ASSIGN_OR_RETURN(auto writer, Connect(url));
  // Checked on the writing connection: the settings that apply to its commits, including any
  // ALTER DATABASE or ALTER ROLE of this database and user.
  CORDON_ASSIGN_OR_RETURN(DurabilitySettings settings, ReadDurabilitySettings(*writer));
  CORDON_ASSIGN_OR_RETURN(std::vector<std::string> warnings, CheckDurabilitySettings(settings));
  for (const std::string& warning : warnings) {
    spdlog::warn("{}", warning);
  }
  std::vector<std::unique_ptr<PgConnection>> readers;
  for (int i = 0; i < std::max(1, options.readers); ++i) {
    CORDON_ASSIGN_OR_RETURN(auto reader, Connect(url));
    readers.push_back(std::move(reader));
  }
  return std::unique_ptr<Database>(
      std::make_unique<PgDatabase>(std::move(writer), std::move(readers)));
}

}  // namespace cordon::store
