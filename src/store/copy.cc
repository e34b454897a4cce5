#include "store/copy.h"

#include <sodium.h>
#include <stdlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>

namespace cordon::store {
namespace {

enum class Kind { kInt, kReal, kText };

struct Column {
  std::string name;
  Kind kind = Kind::kText;
};

struct Table {
  std::string name;
  std::vector<Column> columns;
  std::vector<std::size_t> key;        // the primary key's columns in order; all when it has none
  std::vector<std::size_t> self_refs;  // columns that reference this table's own rows
  std::set<std::string> parents;       // tables this one references
  std::int64_t seeded_rows = 0;        // rows the migrations themselves insert
};

// SQLite's type affinity rules, reduced to the three types the migrations use.
Kind KindOf(std::string type) {
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (type.find("INT") != std::string::npos) {
    return Kind::kInt;
  }
  if (type.find("REAL") != std::string::npos || type.find("FLOA") != std::string::npos ||
      type.find("DOUB") != std::string::npos) {
    return Kind::kReal;
  }
  return Kind::kText;
}

std::string Quoted(const std::string& identifier) { return "\"" + identifier + "\""; }

std::string ColumnList(const Table& t) {
  std::string out;
  for (const Column& c : t.columns) {
    out += (out.empty() ? "" : ", ") + Quoted(c.name);
  }
  return out;
}

std::string OrderByKey(const Table& t) {
  std::string out;
  for (std::size_t i : t.key) {
    out += (out.empty() ? " ORDER BY " : ", ") + Quoted(t.columns[i].name);
  }
  return out;
}

// Parents before children; a table's references to itself are handled row by row (CopyTable).
Result<std::vector<Table>> ParentsFirst(std::vector<Table> tables) {
  std::vector<Table> out;
  std::set<std::string> placed;
  while (!tables.empty()) {
    auto ready = std::find_if(tables.begin(), tables.end(), [&](const Table& t) {
      return std::all_of(t.parents.begin(), t.parents.end(),
                         [&](const std::string& p) { return placed.contains(p); });
    });
    if (ready == tables.end()) {
      return Internal("the tables' foreign keys form a cycle, starting at " + tables[0].name);
    }
    placed.insert(ready->name);
    out.push_back(std::move(*ready));
    tables.erase(ready);
  }
  return out;
}

// The schema as the migrations make it, read from a scratch SQLite database: it is the same on
// every backend, and SQLite describes its own tables, keys and references.
Result<std::vector<Table>> ReferenceSchema() {
  std::string dir = (std::filesystem::temp_directory_path() / "cordon_copy_XXXXXX").string();
  if (::mkdtemp(dir.data()) == nullptr) {
    return Internal("cannot make a scratch directory under " +
                    std::filesystem::temp_directory_path().string());
  }
  std::vector<Table> tables;
  Status status = [&]() -> Status {
    CORDON_ASSIGN_OR_RETURN(auto db,
                            Open("sqlite:" + dir + "/schema.db", OpenOptions{.readers = 1}));
    db->SetFieldCipher(FieldCipher::Ephemeral());  // seals nothing: the schema is all we want
    CORDON_RETURN_IF_ERROR(Migrate(*db));
    return db->Read([&](Session& s) {
      CORDON_RETURN_IF_ERROR(
          s.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
                  "AND name <> 'schema_migrations' ORDER BY name",
                  {}, [&](const Row& row) {
                    tables.emplace_back();
                    tables.back().name = row.Text(0);
                    return Status::Ok();
                  }));
      for (Table& t : tables) {
        std::vector<std::pair<std::int64_t, std::size_t>> key;  // (position in key, column)
        CORDON_RETURN_IF_ERROR(
            s.Query("SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid", {t.name},
                    [&](const Row& row) {
                      if (row.Int(2) > 0) {
                        key.emplace_back(row.Int(2), t.columns.size());
                      }
                      t.columns.push_back({row.Text(0), KindOf(row.Text(1))});
                      return Status::Ok();
                    }));
        std::sort(key.begin(), key.end());
        for (const auto& k : key) {
          t.key.push_back(k.second);
        }
        if (t.key.empty()) {
          for (std::size_t i = 0; i < t.columns.size(); ++i) {
            t.key.push_back(i);
          }
        }
        CORDON_RETURN_IF_ERROR(s.Query("SELECT \"table\", \"from\" FROM pragma_foreign_key_list(?)",
                                       {t.name}, [&](const Row& row) {
                                         if (row.Text(0) != t.name) {
                                           t.parents.insert(row.Text(0));
                                           return Status::Ok();
                                         }
                                         const std::string from = row.Text(1);
                                         for (std::size_t i = 0; i < t.columns.size(); ++i) {
                                           if (t.columns[i].name == from) {
                                             t.self_refs.push_back(i);
                                           }
                                         }
                                         return Status::Ok();
                                       }));
        CORDON_ASSIGN_OR_RETURN(t.seeded_rows,
                                s.QueryInt("SELECT COUNT(*) FROM " + Quoted(t.name), {}));
      }
      return Status::Ok();
    });
  }();
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  CORDON_RETURN_IF_ERROR(status);
  return ParentsFirst(std::move(tables));
}

Value ReadValue(const Row& row, int column, Kind kind) {
  if (row.IsNull(column)) {
    return std::monostate{};
  }
  switch (kind) {
    case Kind::kInt:
      return row.Int(column);
    case Kind::kReal:
      return row.Real(column);
    case Kind::kText:
      return row.Text(column);
  }
  return std::monostate{};
}

// SHA-256 over the rows of a table as typed values: a tag, then 8 bytes for a number or a
// length and the bytes for text, so that no two different rows encode alike.
class TableHash {
 public:
  TableHash() { crypto_hash_sha256_init(&state_); }
  void Add(const Value& v) {
    std::array<unsigned char, 9> head{};
    std::size_t used = 1;
    std::string_view text;
    if (std::holds_alternative<std::monostate>(v)) {
      head[0] = 'n';
    } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
      head[0] = 'i';
      std::memcpy(&head[1], i, 8);
      used = 9;
    } else if (const auto* d = std::get_if<double>(&v)) {
      head[0] = 'r';
      std::memcpy(&head[1], d, 8);
      used = 9;
    } else {
      text = std::get<std::string>(v);
      head[0] = 't';
      const std::uint64_t n = text.size();
      std::memcpy(&head[1], &n, 8);
      used = 9;
    }
    crypto_hash_sha256_update(&state_, head.data(), used);
    crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(text.data()),
                              text.size());
  }
  std::string Hex() {
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256_final(&state_, digest.data());
    std::string hex(digest.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    hex.pop_back();
    return hex;
  }

 private:
  crypto_hash_sha256_state state_{};
};

struct Counted {
  std::int64_t rows = 0;
  std::string sha256;
};

// Reads a table in key order, hashing every row; `on_row` gets the values too.
Result<Counted> ReadTable(Session& s, const Table& t,
                          const std::function<Status(std::vector<Value>&)>& on_row) {
  Counted out;
  TableHash hash;
  std::vector<Value> values(t.columns.size());
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT " + ColumnList(t) + " FROM " + Quoted(t.name) + OrderByKey(t), {},
              [&](const Row& row) {
                for (std::size_t i = 0; i < t.columns.size(); ++i) {
                  values[i] = ReadValue(row, static_cast<int>(i), t.columns[i].kind);
                  hash.Add(values[i]);
                }
                ++out.rows;
                return on_row ? on_row(values) : Status::Ok();
              }));
  out.sha256 = hash.Hex();
  return out;
}

// Inserts rows in multi-row statements (a few thousand values each, under every backend's
// limit on parameters). A row's references to rows of its own table are set afterwards, once
// every row they may point to is there.
class TableWriter {
 public:
  TableWriter(Session& to, const Table& t) : to_(to), t_(t) {
    rows_per_statement_ = std::max<std::size_t>(1, 4000 / t.columns.size());
  }

  Status Add(std::vector<Value>& values) {
    if (!t_.self_refs.empty()) {
      Params later;
      for (std::size_t i : t_.self_refs) {
        later.push_back(std::exchange(values[i], std::monostate{}));
      }
      if (std::any_of(later.begin(), later.end(),
                      [](const Value& v) { return !std::holds_alternative<std::monostate>(v); })) {
        for (std::size_t i : t_.key) {
          later.push_back(values[i]);
        }
        references_.push_back(std::move(later));
      }
    }
    pending_.insert(pending_.end(), values.begin(), values.end());
    if (pending_.size() >= rows_per_statement_ * t_.columns.size()) {
      return Flush();
    }
    return Status::Ok();
  }

  Status Finish() {
    CORDON_RETURN_IF_ERROR(Flush());
    if (references_.empty()) {
      return Status::Ok();
    }
    std::string sql = "UPDATE " + Quoted(t_.name) + " SET ";
    for (std::size_t n = 0; n < t_.self_refs.size(); ++n) {
      sql += (n == 0 ? "" : ", ") + Quoted(t_.columns[t_.self_refs[n]].name) + " = ?";
    }
    for (std::size_t n = 0; n < t_.key.size(); ++n) {
      sql += (n == 0 ? " WHERE " : " AND ") + Quoted(t_.columns[t_.key[n]].name) + " = ?";
    }
    for (const Params& p : references_) {
      CORDON_RETURN_IF_ERROR(to_.Exec(sql, p).status());
    }
    return Status::Ok();
  }

 private:
  Status Flush() {
    if (pending_.empty()) {
      return Status::Ok();
    }
    const std::size_t rows = pending_.size() / t_.columns.size();
    std::string one = "(";
    for (std::size_t i = 0; i < t_.columns.size(); ++i) {
      one += i == 0 ? "?" : ", ?";
    }
    one += ")";
    std::string sql = "INSERT INTO " + Quoted(t_.name) + " (" + ColumnList(t_) + ") VALUES ";
    for (std::size_t r = 0; r < rows; ++r) {
      sql += (r == 0 ? "" : ", ") + one;
    }
    CORDON_RETURN_IF_ERROR(to_.Exec(sql, pending_).status());
    pending_.clear();
    return Status::Ok();
  }

  Session& to_;
  const Table& t_;
  std::size_t rows_per_statement_ = 1;
  Params pending_;
  std::vector<Params> references_;  // self-reference values, then the row's key
};

Result<std::int64_t> SchemaVersion(Session& s) {
  return s.QueryInt("SELECT COALESCE(MAX(number), 0) FROM schema_migrations", {});
}

}  // namespace

Status ContinueIdentity(Session& session, std::string_view dialect, const std::string& table,
                        const std::string& column) {
  if (dialect != "postgresql") {
    return Status::Ok();  // SQLite's rowid always follows the largest
  }
  // NULL (and no change) when the column has no sequence.
  return session.Query("SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX(" +
                           Quoted(column) + ") FROM " + Quoted(table) + "), 0) + 1, false)",
                       {table, column}, [](const Row&) { return Status::Ok(); });
}

Result<CopyReport> CopyDatabase(Database& from, Database& to,
                                const std::function<void(const std::string&)>& progress) {
  CORDON_ASSIGN_OR_RETURN(std::vector<Table> tables, ReferenceSchema());
  // Sealed values travel as they are, with the source's field_key_state: the target is read with
  // the source's key file. Migrating the empty target seals nothing.
  if (to.field_cipher() == nullptr) {
    to.SetFieldCipher(FieldCipher::Ephemeral());
  }
  CORDON_RETURN_IF_ERROR(Migrate(to));
  CopyReport report;
  Status status = from.Read([&](Session& source) {
    return to.Write([&](Session& target) {
      CORDON_ASSIGN_OR_RETURN(std::int64_t source_version, SchemaVersion(source));
      CORDON_ASSIGN_OR_RETURN(std::int64_t target_version, SchemaVersion(target));
      if (source_version != target_version) {
        return FailedPrecondition("the source is at schema version " +
                                  std::to_string(source_version) + ", this cordon's is " +
                                  std::to_string(target_version) +
                                  ": run `cordon migrate` on the source first");
      }
      // Only what the migrations seed may be there; it is replaced by the source's rows.
      for (auto t = tables.rbegin(); t != tables.rend(); ++t) {
        CORDON_ASSIGN_OR_RETURN(std::int64_t n,
                                target.QueryInt("SELECT COUNT(*) FROM " + Quoted(t->name), {}));
        if (n > t->seeded_rows) {
          return FailedPrecondition("the target is not empty: table " + t->name + " has " +
                                    std::to_string(n) + " rows");
        }
        if (n > 0) {
          CORDON_RETURN_IF_ERROR(target.Exec("DELETE FROM " + Quoted(t->name), {}).status());
        }
      }
      for (const Table& t : tables) {
        TableWriter writer(target, t);
        auto read =
            ReadTable(source, t, [&](std::vector<Value>& values) { return writer.Add(values); });
        Status written = read.has_value() ? writer.Finish() : read.error();
        if (!written.ok()) {
          return Status(written.code(), "table " + t.name + ": " + written.message());
        }
        if (t.key.size() == 1 && t.columns[t.key[0]].kind == Kind::kInt) {
          CORDON_RETURN_IF_ERROR(
              ContinueIdentity(target, to.Dialect(), t.name, t.columns[t.key[0]].name));
        }
        report.tables.push_back({t.name, read->rows, read->sha256});
        report.rows += read->rows;
        if (progress) {
          progress(t.name + ": " + std::to_string(read->rows) + " rows");
        }
      }
      // The check, inside the same transaction: it commits only if every table reads back alike.
      for (std::size_t i = 0; i < tables.size(); ++i) {
        CORDON_ASSIGN_OR_RETURN(Counted written, ReadTable(target, tables[i], nullptr));
        const TableCopied& read = report.tables[i];
        if (written.rows != read.rows || written.sha256 != read.sha256) {
          return Internal("the copy of table " + read.table + " does not match its source (" +
                          std::to_string(read.rows) + " rows read, " +
                          std::to_string(written.rows) + " written; sha256 " + read.sha256 +
                          " read, " + written.sha256 + " written): nothing was copied");
        }
      }
      return Status::Ok();
    });
  });
  CORDON_RETURN_IF_ERROR(status);
  return report;
}

}  // namespace cordon::store
