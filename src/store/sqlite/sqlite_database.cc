#include "store/sqlite/sqlite_database.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "base/check.h"
#include "store/busy_counter.h"
#include "store/sqlite/pragmas.h"

namespace cordon::store {
namespace {

class SqliteRow final : public Row {
 public:
  explicit SqliteRow(sqlite3_stmt* stmt) : stmt_(stmt) {}
  int Columns() const override { return sqlite3_column_count(stmt_); }
  bool IsNull(int c) const override { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  std::int64_t Int(int c) const override { return sqlite3_column_int64(stmt_, c); }
  double Real(int c) const override { return sqlite3_column_double(stmt_, c); }
  std::string Text(int c) const override {
    const auto* text = sqlite3_column_text(stmt_, c);
    if (text == nullptr) {
      return {};
    }
    return {reinterpret_cast<const char*>(text),
            static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c))};
  }

 private:
  sqlite3_stmt* stmt_;
};

// One connection with its prepared-statement cache. Used by one thread at a time.
class Connection final : public Session {
 public:
  explicit Connection(sqlite3* db) : db_(db) {}
  ~Connection() override {
    for (auto& [sql, stmt] : cache_) {
      sqlite3_finalize(stmt);
    }
    sqlite3_close_v2(db_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  sqlite3* Handle() const { return db_; }

  Result<std::int64_t> Exec(std::string_view sql, const Params& params) override {
    CORDON_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
    int rc = SQLITE_ROW;
    while (rc == SQLITE_ROW) {
      rc = sqlite3_step(stmt);
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) {
      return Error(rc, sql);
    }
    return static_cast<std::int64_t>(sqlite3_changes64(db_));
  }

  Status Query(std::string_view sql, const Params& params, const RowCallback& on_row) override {
    CORDON_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
    SqliteRow row(stmt);
    int rc = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      Status status = on_row(row);
      if (!status.ok()) {
        sqlite3_reset(stmt);
        return status;
      }
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) {
      return Error(rc, sql);
    }
    return Status::Ok();
  }

  Status ExecScript(std::string_view sql) override {
    std::string text(sql);
    char* message = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      std::string what = message != nullptr ? message : sqlite3_errstr(rc);
      sqlite3_free(message);
      return Internal("sqlite: " + what);
    }
    return Status::Ok();
  }

 private:
  Result<sqlite3_stmt*> Prepare(std::string_view sql, const Params& params) {
    auto it = cache_.find(std::string(sql));
    sqlite3_stmt* stmt = nullptr;
    if (it == cache_.end()) {
      int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
      if (rc != SQLITE_OK) {
        return Error(rc, sql);
      }
      cache_.emplace(std::string(sql), stmt);
    } else {
      stmt = it->second;
    }
    sqlite3_clear_bindings(stmt);
    CORDON_CHECK(static_cast<int>(params.size()) == sqlite3_bind_parameter_count(stmt));
    for (std::size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i) + 1;
      const Value& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::int64_t>(v)) {
        rc = sqlite3_bind_int64(stmt, index, std::get<std::int64_t>(v));
      } else if (std::holds_alternative<double>(v)) {
        rc = sqlite3_bind_double(stmt, index, std::get<double>(v));
      } else if (std::holds_alternative<std::string>(v)) {
        const auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
      } else {
        rc = sqlite3_bind_null(stmt, index);
      }
      if (rc != SQLITE_OK) {
        return Error(rc, sql);
      }
    }
    return stmt;
  }

  Status Error(int rc, std::string_view sql) const {
    std::string message = "sqlite: ";
    message += sqlite3_errmsg(db_);
    int primary = rc & 0xff;
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
      return {StatusCode::kAlreadyExists, message};
    }
    if (primary == SQLITE_CONSTRAINT) {
      // A foreign key, CHECK, NOT NULL or trigger refused the change: the request does not fit
      // the stored state.
      return FailedPrecondition(message);
    }
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
      CountBusy();
      return Unavailable(message);
    }
    if (primary == SQLITE_IOERR || primary == SQLITE_FULL) {
      // The disk failed or filled: the transaction rolled back whole, and the request may be
      // tried again once the fault clears (security.md H4: 503, never a partial write).
      return Unavailable(std::string("存储暂时不可用，请稍后重试 (storage unavailable: ") +
                         sqlite3_errmsg(db_) + ")");
    }
    message += " in: ";
    message += sql.substr(0, 200);
    return Internal(message);
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// Process-wide settings, before the first connection initialises SQLite.
void ConfigureSqlite() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Memory statistics take one global mutex on every allocation of every connection, so the
    // audit copier's inserts and the event loops' reads would queue on it.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
}

Result<std::unique_ptr<Connection>> Connect(const std::string& path, bool read_only) {
  ConfigureSqlite();
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX |
              (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "cannot open database " + path + ": " + sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Unavailable(message);
  }
  auto conn = std::make_unique<Connection>(db);
  sqlite3_extended_result_codes(db, 1);
  CORDON_RETURN_IF_ERROR(ApplyPragmas(db, read_only));
  // Read back what was set: a connection that would commit with weaker guarantees than the
  // ones promised (security.md H1) stops the start instead.
  Status verified = VerifyPragmas(db);
  if (!verified.ok()) {
    return FailedPrecondition(path + ": " + verified.message());
  }
  return conn;
}

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::unique_ptr<Connection> writer, std::unique_ptr<Connection> checkpointer)
      : writer_(std::move(writer)), checkpointer_(std::move(checkpointer)) {
    checkpoint_thread_ = std::thread([this] { CheckpointLoop(); });
  }
  ~SqliteDatabase() override {
    {
      std::lock_guard lock(checkpoint_mu_);
      stopping_ = true;
    }
    checkpoint_cv_.notify_all();
    checkpoint_thread_.join();
    // A last full checkpoint leaves a small WAL behind for the next start.
    checkpointer_->ExecScript("PRAGMA wal_checkpoint(TRUNCATE)").IgnoreError();
  }
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  Status AddReader(std::unique_ptr<Connection> reader) {
    readers_.push_back(std::move(reader));
    idle_.push_back(readers_.back().get());
    return Status::Ok();
  }

  Status Read(const std::function<Status(Session&)>& fn) override {
    Connection* conn = nullptr;
    {
      std::unique_lock lock(pool_mu_);
      pool_cv_.wait(lock, [&] { return !idle_.empty(); });
      conn = idle_.back();
      idle_.pop_back();
    }
    // Exec, not ExecScript: BEGIN and COMMIT stay prepared in the connection's cache.
    Status status = conn->Exec("BEGIN", {}).status();
    if (status.ok()) {
      conn->UseFields(field_cipher().get());
      status = fn(*conn);
      conn->Exec("COMMIT", {}).status().IgnoreError();  // read-only: nothing to lose
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
    return WriteLocked(fn);
  }

  Status WriteFlushedSoon(const std::function<Status(Session&)>& fn) override {
    std::lock_guard lock(write_mu_);
    // In WAL mode, NORMAL appends the transaction to the WAL without an fsync; the next FULL
    // commit or the checkpointer's WAL sync (every 200 ms) puts it on disk, in order.
    CORDON_RETURN_IF_ERROR(writer_->Exec("PRAGMA synchronous=NORMAL", {}).status());
    Status status = WriteLocked(fn);
    Status restored = writer_->Exec("PRAGMA synchronous=FULL", {}).status();
    // The writer must never stay below FULL: data changes rely on it.
    CORDON_CHECK(restored.ok());
    return status;
  }

  Status WriteLocked(const std::function<Status(Session&)>& fn) {
    CORDON_RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE", {}).status());
    writer_->UseFields(field_cipher().get());
    Status status = fn(*writer_);
    if (!status.ok()) {
      writer_->Exec("ROLLBACK", {}).status().IgnoreError();
      return status;
    }
    status = writer_->Exec("COMMIT", {}).status();
    if (!status.ok()) {
      writer_->Exec("ROLLBACK", {}).status().IgnoreError();
    }
    return status;
  }

  std::string_view Dialect() const override { return "sqlite"; }

  Status Scrub(const std::vector<std::string>& /*tables*/) override {
    // With the writer held no new frame is appended; a reader still on an older snapshot keeps
    // the WAL busy, so the checkpoint is tried again until it leaves the WAL empty.
    std::lock_guard lock(write_mu_);
    for (int attempt = 0; attempt < 50; ++attempt) {
      std::int64_t busy = 1;
      CORDON_RETURN_IF_ERROR(
          writer_->Query("PRAGMA wal_checkpoint(TRUNCATE)", {}, [&](const Row& row) {
            busy = row.Int(0);
            return Status::Ok();
          }));
      if (busy == 0) {
        return Status::Ok();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return Unavailable(
        "readers kept the WAL busy: deleted rows may remain in it until the next "
        "checkpoint");
  }

  Status Backup(const std::string& path) override {
    const std::string part = path + ".part";
    std::error_code ignored;
    std::filesystem::remove(part, ignored);
    // Personal data: readable by the service's user alone, from the first byte.
    const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      return Unavailable("cannot create " + part + ": " + std::strerror(errno));
    }
    ::close(fd);
    CORDON_ASSIGN_OR_RETURN(auto copy, Connect(part, /*read_only=*/false));
    Connection* source = nullptr;
    {
      std::unique_lock lock(pool_mu_);
      pool_cv_.wait(lock, [&] { return !idle_.empty(); });
      source = idle_.back();
      idle_.pop_back();
    }
    // Every page in one step: the step holds one read transaction, so the copy is one moment
    // of the database; writers go on meanwhile (WAL).
    Status status = Status::Ok();
    sqlite3_backup* backup = sqlite3_backup_init(copy->Handle(), "main", source->Handle(), "main");
    if (backup == nullptr) {
      status = Internal(std::string("cannot start the backup: ") + sqlite3_errmsg(copy->Handle()));
    } else {
      const int rc = sqlite3_backup_step(backup, -1);
      sqlite3_backup_finish(backup);
      if (rc != SQLITE_DONE) {
        status = Unavailable(std::string("backup to ") + part + " failed: " + sqlite3_errstr(rc));
      }
    }
    {
      std::lock_guard lock(pool_mu_);
      idle_.push_back(source);
    }
    pool_cv_.notify_one();
    if (status.ok()) {
      status = CheckIntegrity(*copy, part);
    }
    if (status.ok()) {
      // A last checkpoint folds the copy's WAL into its file, which is then synced (FULL).
      status = copy->ExecScript("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE");
    }
    copy.reset();
    if (status.ok() && std::rename(part.c_str(), path.c_str()) != 0) {
      status = Unavailable("cannot rename " + part + " to " + path + ": " + std::strerror(errno));
    }
    if (!status.ok()) {
      std::filesystem::remove(part, ignored);
      std::filesystem::remove(part + "-wal", ignored);
      std::filesystem::remove(part + "-shm", ignored);
    }
    return status;
  }

 private:
  static Status CheckIntegrity(Connection& db, const std::string& name) {
    std::string verdict;
    CORDON_RETURN_IF_ERROR(db.Query("PRAGMA integrity_check", {}, [&](const Row& row) {
      verdict += row.Text(0) + "; ";
      return Status::Ok();
    }));
    if (verdict != "ok; ") {
      return Internal("integrity_check of " + name + " failed: " + verdict);
    }
    return Status::Ok();
  }

  // Copies committed WAL frames into the database file every 200 ms, off the request path. A
  // PASSIVE checkpoint never blocks readers or the writer; it does what it can.
  void CheckpointLoop() {
    std::unique_lock lock(checkpoint_mu_);
    while (!stopping_) {
      checkpoint_cv_.wait_for(lock, std::chrono::milliseconds(200));
      if (stopping_) {
        break;
      }
      lock.unlock();
      checkpointer_->ExecScript("PRAGMA wal_checkpoint(PASSIVE)").IgnoreError();
      lock.lock();
    }
  }

  std::mutex write_mu_;
  std::unique_ptr<Connection> writer_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Connection>> readers_;
  std::vector<Connection*> idle_;
  std::unique_ptr<Connection> checkpointer_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool stopping_ = false;
  std::thread checkpoint_thread_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, const OpenOptions& options) {
  CORDON_ASSIGN_OR_RETURN(auto writer, Connect(path, /*read_only=*/false));
  CORDON_ASSIGN_OR_RETURN(auto checkpointer, Connect(path, /*read_only=*/false));
  auto db = std::make_unique<SqliteDatabase>(std::move(writer), std::move(checkpointer));
  for (int i = 0; i < std::max(1, options.readers); ++i) {
    CORDON_ASSIGN_OR_RETURN(auto reader, Connect(path, /*read_only=*/true));
    CORDON_RETURN_IF_ERROR(db->AddReader(std::move(reader)));
  }
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace cordon::store
