// The list of people under control measures (管控人员名单) as an export: what a grid or a
// street sends up the chain every day.
#pragma once

#include "exports/source.h"
#include "measures/service.h"

namespace cordon::measures {

class MeasureExports final : public exports::ExportSource {
 public:
  explicit MeasureExports(MeasureService& measures) : measures_(measures) {}

  std::string_view Kind() const override { return "measures"; }
  const exports::ExportLayout& Layout() const override;
  // filter: {"region": code (optional), "state": current | released | all}
  Result<exports::ExportScope> Resolve(const auth::Principal& who,
                                       const nlohmann::json& filter) override;
  Status Rows(const auth::Principal& who, const nlohmann::json& filter, bool unmasked,
              const exports::RowSink& row) override;

 private:
  MeasureService& measures_;
};

}  // namespace cordon::measures
