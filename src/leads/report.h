// An import report as JSON (the API's answer, also stored with the import) and as the CSV that
// is sent back to whoever sent the list.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "leads/model.h"

namespace cordon::leads {

nlohmann::json ReportJson(const ImportReport& report);
ImportReport ReportFromJson(const nlohmann::json& json);
// UTF-8 with a BOM (so that Excel opens it as UTF-8): 行号,结果,字段,原因,人员编号,任务编号.
std::string ReportCsv(const ImportReport& report);

}  // namespace cordon::leads
