// What can be exported. Each capability that sends person-level lists up (管控人员名单, 密接名单,
// …) registers one ExportSource; the exports service adds what every export needs around it:
// the export permission, approval of unmasked lists, the watermark, the audit and the limits.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "auth/model.h"
#include "base/status.h"

namespace cordon::exports {

struct ExportLayout {
  std::string sheet_name;           // the worksheet's tab
  std::string title;                // what the list is, e.g. 管控人员名单
  std::vector<std::string> header;  // one name per column
  std::vector<double> widths;       // in characters, per column
};

// Where an export's rows lie: the approver must hold this region in their jurisdiction.
struct ExportScope {
  nlohmann::json filter;  // the filter in its one canonical form, as stored and replayed
  std::string region_code;
  std::string region_path;
};

using RowSink = std::function<Status(const std::vector<std::string>&)>;

class ExportSource {
 public:
  virtual ~ExportSource() = default;
  virtual std::string_view Kind() const = 0;  // "measures": the API's name
  virtual const ExportLayout& Layout() const = 0;
  // Checks the filter and the caller's right to read what it selects, now. Errors:
  // kInvalidArgument naming the field ("filter.state"); kPermissionDenied; kNotFound for a
  // region outside the jurisdiction (audited as a denied read).
  virtual Result<ExportScope> Resolve(const auth::Principal& who, const nlohmann::json& filter) = 0;
  // Every row the filter selects inside the caller's jurisdiction, identifiers masked unless
  // `unmasked`. Stops at the first error `row` returns.
  virtual Status Rows(const auth::Principal& who, const nlohmann::json& filter, bool unmasked,
                      const RowSink& row) = 0;
};

}  // namespace cordon::exports
