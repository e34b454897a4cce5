// Pure rules of lead intake: sources, risk categories, column headers, row validation, the
// keys that make imports idempotent, and the building part of an address used for routing.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/csv.h"
#include "base/local_time.h"
#include "base/status.h"
#include "leads/model.h"

namespace cordon::leads {

bool IsSource(std::string_view source);
// A risk category code from its code or Chinese name ("密接", "close_contact"); nullopt if
// unknown. Empty text is "unclassified" (待研判).
std::optional<std::string> CategoryCode(std::string_view text);
// Higher is stronger: a person's task takes the strongest category of its leads.
int CategoryRank(std::string_view code);

// A new file for a minor (under 18 on `today`) needs a guardian to call: the 监护人 (guardian)
// and 监护人电话 (guardian_phone) columns, the phone a valid mobile. Ok for adults, for rows
// without a birth date, and for rows that carry a guardian.
Status GuardianOfMinor(const LeadRow& row, std::chrono::year_month_day today);

// Where each known column is in the header; -1 when absent.
struct Columns {
  int name = -1, id_number = -1, phone = -1, address = -1, origin = -1, category = -1,
      reported_at = -1, id_type = -1, sex = -1, birth_date = -1;
};
// Finds the columns by header, Chinese or English, any order. Errors: kInvalidArgument naming
// the missing columns when there is neither an ID-number column nor both name and phone, or a
// column named twice.
Result<Columns> FindColumns(const std::vector<std::string>& header);

// Validates one row. The error's detail names the field; the message says what is wrong.
Result<LeadRow> ReadRow(const base::CsvRow& row, const std::vector<std::string>& header,
                        const Columns& columns, std::chrono::system_clock::time_point now,
                        base::UtcOffset offset);

// The identity of a lead for idempotence: source, the person's identifiers, category, origin
// and report time. The same lead imported twice has the same key.
std::string RowKey(std::string_view source, const LeadRow& row);

// The building part of an address ("…路15号1栋1单元101室" → "…路15号1栋"): people in one building
// belong to one grid. Empty when the address names no building or house number.
std::string BuildingOf(std::string_view address);

std::string_view OutcomeName(Outcome outcome);

// Who an open task has reached: its grid until it is due; the community once overdue; the
// street when a day overdue (issue #3: overdue leads escalate).
std::string_view TaskLevel(std::string_view status, std::int64_t due_at, std::int64_t now);

}  // namespace cordon::leads
