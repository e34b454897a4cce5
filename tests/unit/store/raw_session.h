// A store::Session over a bare sqlite3 connection, so that a test can run the same statements as
// cordon's backend on a connection with other settings (the power-loss test's synchronous=NORMAL
// variant). Not cached, not pooled: test support only.
#pragma once

#include <sqlite3.h>

#include <string>
#include <string_view>
#include <variant>

#include "store/database.h"

namespace cordon::testdb {

class RawSession final : public store::Session {
 public:
  explicit RawSession(sqlite3* db) : db_(db) {}

  Result<std::int64_t> Exec(std::string_view sql, const store::Params& params) override {
    CORDON_RETURN_IF_ERROR(Query(sql, params, [](const store::Row&) { return Status::Ok(); }));
    return static_cast<std::int64_t>(sqlite3_changes64(db_));
  }

  Status Query(std::string_view sql, const store::Params& params,
               const store::RowCallback& on_row) override {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    for (std::size_t i = 0; rc == SQLITE_OK && i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      const store::Value& v = params[i];
      if (const auto* n = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, index, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, index, *d);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text(stmt, index, s->data(), static_cast<int>(s->size()), SQLITE_STATIC);
      }
    }
    Status status = Status::Ok();
    if (rc == SQLITE_OK) {
      RawRow row(stmt);
      while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && status.ok()) {
        status = on_row(row);
      }
      rc = rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
    }
    if (rc != SQLITE_OK && status.ok()) {
      status = Internal(std::string("sqlite: ") + sqlite3_errmsg(db_));
    }
    sqlite3_finalize(stmt);
    return status;
  }

  Status ExecScript(std::string_view sql) override {
    const std::string text(sql);
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      return Internal(std::string("sqlite: ") + sqlite3_errmsg(db_));
    }
    return Status::Ok();
  }

 private:
  class RawRow final : public store::Row {
   public:
    explicit RawRow(sqlite3_stmt* stmt) : stmt_(stmt) {}
    int Columns() const override { return sqlite3_column_count(stmt_); }
    bool IsNull(int c) const override { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
    std::int64_t Int(int c) const override { return sqlite3_column_int64(stmt_, c); }
    double Real(int c) const override { return sqlite3_column_double(stmt_, c); }
    std::string Text(int c) const override {
      const auto* text = sqlite3_column_text(stmt_, c);
      return text == nullptr
                 ? std::string()
                 : std::string(reinterpret_cast<const char*>(text),
                               static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c)));
    }

   private:
    sqlite3_stmt* stmt_;
  };

  sqlite3* db_;
};

}  // namespace cordon::testdb
