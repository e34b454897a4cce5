// docs/data-dictionary.md against the real schema (security.md A9 and J4). Every column of every
// table the migrations make is described there with a class (personal, sensitive or ordinary),
// a purpose and a retention rule, and nothing is described that the schema lacks. The check runs
// on a freshly migrated SQLite database and, with CORDON_TEST_PG set, on a fresh PostgreSQL
// database, so the two dialects cannot drift apart. A column added without a row in the
// dictionary, or a personal-looking column classed ordinary, fails here.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/audit_log.h"
#include "base/local_time.h"
#include "people/service.h"
#include "store/database.h"
#include "test_database.h"

namespace cordon::store {
namespace {

constexpr std::string_view kDictionaryPath = CORDON_SOURCE_DIR "/docs/data-dictionary.md";

constexpr std::string_view kClasses[] = {"personal", "sensitive", "ordinary"};

// Words that, as a part of a column's name (split at '_'), say that the column holds something
// about a person. Such a column may not be `ordinary` unless it is listed in kNotAboutAPerson.
constexpr std::string_view kPersonalWords[] = {
    "name",  "phone",  "mobile",   "address", "birth",       "sex",   "gender",  "note",
    "notes", "remark", "remarks",  "detail",  "details",     "body",  "reason",  "place",
    "ip",    "email",  "symptoms", "symptom", "temperature", "photo", "passport"};

// Columns whose names look personal but are not about a person, each with the reason.
constexpr std::pair<std::string_view, std::string_view> kNotAboutAPerson[] = {
    {"schema_migrations.name", "a migration's file name"},
    {"regions.name", "a region's name: a place"},
    {"venues.name", "a venue's name: a place"},
    {"lead_imports.file_name", "an uploaded list's file name"},
    {"profiles.name", "a disease profile's name"},
    {"clusters.name", "an outbreak cluster's label"},
    {"duplicate_pairs.reason", "a code: same_name_phone or reported"},
};

// Columns that lists, searches and exports show masked (base/masking.h), found by reading the
// routes that call MaskName, MaskIdNumber, MaskPhone and MaskAddress on a stored column.
constexpr std::string_view kMaskedColumns[] = {
    "people.name",                    // people/routes_json.cc and every capability's person summary
    "people.id_number_masked",        // measures, cases, trace, leads, followups (people opens the
                                      // sealed)
    "people.phone_masked",            // leads/routes.cc, followups/routes.cc
    "people.address",                 // people/routes_json.cc, home_services/routes.cc
    "households.address",             // home_quarantine/routes.cc
    "region_staff.phone",             // regions/routes.cc, home_quarantine/routes.cc
    "tip_offs.contact_phone_masked",  // home_services/routes.cc
};

struct Entry {
  std::string klass;
  std::string purpose;
  std::string retention;
  int line = 0;
};

struct Dictionary {
  std::vector<std::string> tables;       // in the document's order
  std::map<std::string, Entry> columns;  // "table.column"
  std::vector<std::string> problems;     // rows that could not be read
};

// The parts of a message joined (clang-tidy wants no chains of temporaries inside loops).
std::string Message(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) {
    out += part;
  }
  return out;
}

// "docs/data-dictionary.md line N: ", the prefix of a message about one row.
std::string At(int line) {
  return Message({"docs/data-dictionary.md line ", std::to_string(line), ": "});
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

std::string Unquote(std::string s) {
  if (s.size() >= 2 && s.front() == '`' && s.back() == '`') {
    return s.substr(1, s.size() - 2);
  }
  return s;
}

// The cells of a Markdown table row "| a | b |", trimmed.
std::vector<std::string> Cells(std::string_view line) {
  std::vector<std::string> cells;
  line.remove_prefix(1);  // the leading '|'
  std::size_t start = 0;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == '|') {
      cells.push_back(Trim(line.substr(start, i - start)));
      start = i + 1;
    }
  }
  if (!cells.empty() && cells.back().empty()) {
    cells.pop_back();  // after the trailing '|'
  }
  return cells;
}

// Reads the dictionary: a table is a "### `name`" heading followed by a Markdown table
// `| column | class | purpose | retention |`. Headings of other shapes end a table's section, so
// the tables of the head section (classes, roles, retention) are not read as columns.
Dictionary ReadDictionary(std::istream& in) {
  Dictionary d;
  std::string table;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.starts_with("#")) {
      table.clear();
      if (line.starts_with("### `")) {
        table = Unquote(Trim(std::string_view(line).substr(4)));
        for (const auto& seen : d.tables) {
          if (seen == table) {
            d.problems.push_back(Message({At(number), "table ", table, " has a second section"}));
          }
        }
        d.tables.push_back(table);
      }
      continue;
    }
    if (table.empty() || !line.starts_with("|")) {
      continue;
    }
    std::vector<std::string> cells = Cells(line);
    if (cells.empty() || cells[0] == "column" || cells[0].starts_with("---")) {
      continue;  // the header and its separator
    }
    if (cells.size() != 4) {
      d.problems.push_back(
          Message({At(number), "a row needs 4 cells (column, class, purpose, retention), has ",
                   std::to_string(cells.size()), ": is there a '|' inside a cell?"}));
      continue;
    }
    const std::string key = Message({table, ".", Unquote(cells[0])});
    if (d.columns.contains(key)) {
      d.problems.push_back(Message({At(number), key, " is described twice"}));
      continue;
    }
    d.columns[key] = Entry{cells[1], cells[2], cells[3], number};
  }
  return d;
}

Dictionary LoadDictionary() {
  std::ifstream in{std::string(kDictionaryPath)};
  if (!in) {
    Dictionary d;
    d.problems.push_back("cannot read " + std::string(kDictionaryPath));
    return d;
  }
  return ReadDictionary(in);
}

struct Schema {
  std::vector<std::string> tables;  // SQLite: in the order they were made
  std::set<std::string> columns;    // "table.column"
};

// Every table and column of the database, from the catalogue of its own dialect.
Result<Schema> ReadSchema(Database& db) {
  Schema schema;
  const bool sqlite = db.Dialect() == "sqlite";
  // SQLite: sqlite_master in creation order (rowid), internal sqlite_* tables left out.
  // PostgreSQL: the base tables of the current schema.
  const std::string sql =
      sqlite ? "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p "
               "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite!_%' ESCAPE '!' "
               "ORDER BY m.rowid, p.cid"
             : "SELECT c.table_name, c.column_name FROM information_schema.columns c "
               "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND "
               "t.table_name = c.table_name WHERE c.table_schema = current_schema() AND "
               "t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position";
  CORDON_RETURN_IF_ERROR(db.Read([&](Session& s) {
    return s.Query(sql, {}, [&](const Row& row) {
      std::string table = row.Text(0);
      if (schema.tables.empty() || schema.tables.back() != table) {
        schema.tables.push_back(table);
      }
      schema.columns.insert(Message({table, ".", row.Text(1)}));
      return Status::Ok();
    });
  }));
  return schema;
}

std::string Lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) {
    out += "\n  " + l;
  }
  return out;
}

// What differs between the schema and the dictionary, one line per column.
std::vector<std::string> Differences(const Schema& schema, const Dictionary& d,
                                     std::string_view dialect) {
  std::vector<std::string> out;
  for (const auto& column : schema.columns) {
    if (!d.columns.contains(column)) {
      out.push_back(Message({dialect, " column ", column, " is not in docs/data-dictionary.md: ",
                             "add a row with its class, purpose and retention"}));
    }
  }
  for (const auto& [column, entry] : d.columns) {
    if (!schema.columns.contains(column)) {
      out.push_back(Message({At(entry.line), column, " is not in the ", dialect, " schema"}));
    }
  }
  return out;
}

std::vector<std::string> Words(std::string_view column) {
  std::vector<std::string> words;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= column.size(); ++i) {
    if (i == column.size() || column[i] == '_') {
      words.emplace_back(column.substr(start, i - start));
      start = i + 1;
    }
  }
  return words;
}

bool LooksPersonal(std::string_view key) {
  const std::string_view column = key.substr(key.find('.') + 1);
  if (column.find("id_number") != std::string_view::npos) {
    return true;
  }
  for (const auto& word : Words(column)) {
    for (std::string_view personal : kPersonalWords) {
      if (word == personal) {
        return true;
      }
    }
  }
  return false;
}

TEST(DataDictionaryTest, EveryRowHasAKnownClassAPurposeAndARetention) {
  const Dictionary d = LoadDictionary();
  std::vector<std::string> problems = d.problems;
  EXPECT_GT(d.columns.size(), 100u) << "the dictionary was not read: " << kDictionaryPath;
  for (const auto& [column, entry] : d.columns) {
    bool known = false;
    for (std::string_view k : kClasses) {
      known = known || entry.klass == k;
    }
    if (!known) {
      problems.push_back(Message({At(entry.line), column, " has class '", entry.klass,
                                  "': use personal, sensitive or ordinary"}));
    }
    if (entry.purpose.empty()) {
      problems.push_back(
          Message({At(entry.line), column, " has no purpose: say why it is collected"}));
    }
    if (entry.retention.empty()) {
      problems.push_back(Message({At(entry.line), column, " has no retention rule"}));
    }
  }
  EXPECT_TRUE(problems.empty()) << Lines(problems);
}

TEST(DataDictionaryTest, ColumnsThatLookPersonalAreNotClassedOrdinary) {
  const Dictionary d = LoadDictionary();
  std::map<std::string, std::string> exempt;
  for (const auto& [column, why] : kNotAboutAPerson) {
    exempt[std::string(column)] = why;
  }
  std::vector<std::string> problems;
  for (const auto& [column, entry] : d.columns) {
    if (entry.klass == "ordinary" && LooksPersonal(column) && !exempt.contains(column)) {
      problems.push_back(Message({At(entry.line), column, " looks personal but is classed ",
                                  "ordinary: class it personal or sensitive, or add it to ",
                                  "kNotAboutAPerson with a reason"}));
    }
  }
  // An exception must name a column that is still there, still ordinary and still looks personal.
  for (const auto& [column, why] : exempt) {
    auto it = d.columns.find(column);
    if (it == d.columns.end() || it->second.klass != "ordinary" || !LooksPersonal(column)) {
      problems.push_back(Message({"kNotAboutAPerson lists ", column, " (", why, "): not an ",
                                  "ordinary column that looks personal, remove it"}));
    }
  }
  EXPECT_TRUE(problems.empty()) << Lines(problems);
}

TEST(DataDictionaryTest, MaskedColumnsAreClassedPersonal) {
  const Dictionary d = LoadDictionary();
  for (std::string_view masked : kMaskedColumns) {
    const std::string column(masked);
    auto it = d.columns.find(column);
    if (it == d.columns.end()) {
      ADD_FAILURE() << column << " is masked in lists but not in the dictionary";
      continue;
    }
    EXPECT_EQ(it->second.klass, "personal")
        << column << " is masked in lists (base/masking.h), so it identifies a person";
  }
}

// The fields PeopleService::Reveal hands out whole are asked of the service itself, one column of
// `people` at a time: every field it reveals must be classed personal.
class DataDictionaryRevealTest : public testdb::DatabaseTest {};

TEST_F(DataDictionaryRevealTest, FieldsThePersonFileRevealsAreClassedPersonal) {
  ASSERT_TRUE(testdb::InsertRegionTree(*db_).ok());
  base::FakeClock clock{testdb::StartTime()};
  auth::AuditLog audit(*db_, clock);
  people::PeopleService people(*db_, audit, clock, base::UtcOffset{});
  auth::Principal admin;
  admin.user.id = 1;
  admin.user.username = "admin";
  admin.user.role = auth::Role::kAdmin;
  admin.user.region_code = testdb::kCity;
  admin.region_path = testdb::kCityPath;
  people::PersonInput in;
  in.id_number = "11010519491231002X";
  in.name = "张三";
  in.phone = "13800138000";
  in.address = "天河区体育西路 1 号";
  in.region = testdb::kG1;
  auto person = people.Create(admin, in);
  ASSERT_TRUE(person.has_value()) << person.error().message();

  const Dictionary d = LoadDictionary();
  std::vector<std::string> revealed;
  for (const auto& [key, entry] : d.columns) {
    if (!key.starts_with("people.")) {
      continue;
    }
    std::string field = key.substr(7);
    // A sealed column is revealed under the identifier's own name (security.md B3).
    if (field.ends_with("_sealed")) {
      field.resize(field.size() - 7);
    }
    auto answer = people.Reveal(admin, person->id, {field}, "核对身份信息");
    if (!answer.has_value()) {
      EXPECT_EQ(answer.error().code(), StatusCode::kInvalidArgument)
          << field << ": " << answer.error().message();
      continue;
    }
    revealed.push_back(field);
    EXPECT_EQ(entry.klass, "personal")
        << key << " is handed out whole by POST /people/{id}/reveal, so it identifies a person";
  }
  // The probe works: the four fields of today (id_number, phone, address, name) are revealed.
  EXPECT_GE(revealed.size(), 4u) << "fields revealed:" << Lines(revealed);
}

class DataDictionarySqliteTest : public testdb::DatabaseTest {};

TEST_F(DataDictionarySqliteTest, DescribesEveryColumnAndNoOther) {
  auto schema = ReadSchema(*db_);
  ASSERT_TRUE(schema.has_value()) << schema.error().message();
  const std::vector<std::string> differences = Differences(*schema, LoadDictionary(), "SQLite");
  EXPECT_TRUE(differences.empty()) << Lines(differences);
}

TEST_F(DataDictionarySqliteTest, TablesComeInTheOrderTheMigrationsMakeThem) {
  auto schema = ReadSchema(*db_);
  ASSERT_TRUE(schema.has_value()) << schema.error().message();
  const Dictionary d = LoadDictionary();
  EXPECT_EQ(d.tables, schema->tables)
      << "docs/data-dictionary.md has one '### `table`' section per table, in migration order";
}

// The same on a fresh database of the server named by CORDON_TEST_PG, dropped afterwards.
class DataDictionaryPostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* base = std::getenv("CORDON_TEST_PG");
    if (base == nullptr || *base == '\0') {
      GTEST_SKIP() << "CORDON_TEST_PG is not set (scripts/test-postgresql.sh sets it)";
    }
    base_ = base;
    name_ = "cordon_dictionary_" + std::to_string(::getpid());
    Psql("DROP DATABASE IF EXISTS " + name_);
    ASSERT_EQ(Psql("CREATE DATABASE " + name_), 0);
    auto db = Open(base_.substr(0, base_.rfind('/') + 1) + name_, OpenOptions{.readers = 1});
    ASSERT_TRUE(db.has_value()) << db.error().message();
    (*db)->SetFieldCipher(testdb::Fields());
    db_ = std::move(*db);
    const Status migrated = Migrate(*db_);
    ASSERT_TRUE(migrated.ok()) << migrated.message();
  }

  void TearDown() override {
    db_.reset();
    if (!name_.empty()) {
      Psql("DROP DATABASE IF EXISTS " + name_);
    }
  }

  int Psql(const std::string& sql) const {
    return std::system(("psql -X -q '" + base_ + "' -c '" + sql + "' >/dev/null 2>&1").c_str());
  }

  std::string base_;
  std::string name_;
  std::unique_ptr<Database> db_;
};

TEST_F(DataDictionaryPostgresTest, DescribesEveryColumnAndNoOther) {
  auto schema = ReadSchema(*db_);
  ASSERT_TRUE(schema.has_value()) << schema.error().message();
  const std::vector<std::string> differences = Differences(*schema, LoadDictionary(), "PostgreSQL");
  EXPECT_TRUE(differences.empty()) << Lines(differences);
}

}  // namespace
}  // namespace cordon::store
