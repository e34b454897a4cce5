#include "measures/export_source.h"

#include <string>

namespace cordon::measures {
namespace {

// The filter is checked by field like a request body: strings only, nothing unknown.
Result<MeasureQuery> ReadFilter(const nlohmann::json& filter) {
  MeasureQuery q;
  for (const auto& [key, value] : filter.items()) {
    if (key != "region" && key != "state") {
      return FieldInvalid("filter." + key, "未知字段 (unknown field)");
    }
    if (!value.is_string() || value.get_ref<const std::string&>().size() > 30) {
      return FieldInvalid("filter." + key, "应为字符串 (must be a short string)");
    }
    (key == "region" ? q.region : q.state) = value.get<std::string>();
  }
  return q;
}

}  // namespace

const exports::ExportLayout& MeasureExports::Layout() const {
  static const auto* layout =
      new exports::ExportLayout{"管控人员",
                                "管控人员名单",
                                {"姓名", "身份证号", "人员类别", "管控措施", "状态", "开始日期",
                                 "结束日期", "第几天", "网格", "地点", "未满足的解除条件"},
                                {10, 22, 14, 18, 10, 12, 12, 8, 16, 20, 40}};
  return *layout;
}

Result<exports::ExportScope> MeasureExports::Resolve(const auth::Principal& who,
                                                     const nlohmann::json& filter) {
  CORDON_ASSIGN_OR_RETURN(MeasureQuery q, ReadFilter(filter));
  CORDON_ASSIGN_OR_RETURN(std::string path, measures_.ExportScope(who, q));
  exports::ExportScope scope;
  scope.filter = {{"state", q.state}};
  if (!q.region.empty()) {
    scope.filter["region"] = q.region;
  }
  scope.region_code = q.region.empty() ? who.user.region_code : q.region;
  scope.region_path = std::move(path);
  return scope;
}

Status MeasureExports::Rows(const auth::Principal& who, const nlohmann::json& filter, bool unmasked,
                            const exports::RowSink& row) {
  CORDON_ASSIGN_OR_RETURN(MeasureQuery q, ReadFilter(filter));
  return measures_.ExportRows(who, q, unmasked, row);
}

}  // namespace cordon::measures
