// An export (导出) of a person-level list: who asked for what, masked or whole, who decided, and
// what was handed out (rows and the file's SHA-256), kept as the record of every copy made.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace cordon::exports {

enum class ExportFormat { kCsv, kXlsx };

struct ExportPolicy {
  std::int64_t per_hour = 20;          // exports a user may start in an hour (E6)
  std::int64_t unmasked_rows = 5000;   // the cap on a list with whole identifiers (E2)
  std::int64_t ready_seconds = 86400;  // how long a file may be downloaded once ready (E3)
};

struct ExportUser {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
};

struct Export {
  std::int64_t id = 0;
  std::string kind;
  std::string format;  // csv | xlsx
  nlohmann::json filter;
  bool unmasked = false;
  std::string reason;
  // ready | pending_approval | rejected; "expired" is derived from expires_at when shown.
  std::string status;
  ExportUser requested_by;
  std::int64_t requested_at = 0;
  std::string region_code;
  std::string region_name;
  std::string region_path;
  ExportUser decided_by;  // id 0 when nobody has decided
  std::int64_t decided_at = 0;
  std::string decision_note;
  std::int64_t expires_at = 0;  // 0 until ready
  std::int64_t downloads = 0;
  std::int64_t rows = -1;  // of the last download; -1 before the first
  std::string sha256;      // of the last file handed out
};

}  // namespace cordon::exports
