// The investigation report (流调报告) of one case as a printable HTML page in Chinese. No docx
// library is packaged for Debian 12 (only Python ones), so the page is what an investigator
// prints or saves; its print stylesheet fits A4.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "auth/rules.h"
#include "base/local_time.h"
#include "cases/model.h"

namespace cordon::cases {

struct ReportInput {
  Case c;
  std::vector<Entry> entries;
  std::vector<Exposure> exposures;
  ClockTargets targets;
  auth::PathRange scope;  // the exporter's: people outside it are shown as 已脱敏
  std::string exporter;
  std::int64_t exported_at = 0;
  base::UtcOffset offset;
};

// Personal fields are masked as in every export (security.md B1, E2): names 张*, resident IDs
// with the middle hidden, no phone or address at all. Every text is HTML-escaped.
std::string InvestigationHtml(const ReportInput& in);

// "病例12流调报告.html" as an RFC 5987 filename*: UTF-8, percent-encoded.
std::string ReportFileName(std::int64_t case_id);

// Text safe inside HTML elements and quoted attributes.
std::string HtmlEscape(std::string_view text);

}  // namespace cordon::cases
