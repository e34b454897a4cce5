// Use cases over person files: each is one transaction with its audit row, or an audited read.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "base/local_time.h"
#include "people/model.h"
#include "store/database.h"

namespace cordon::people {

class PeopleService {
 public:
  PeopleService(store::Database& db, auth::AuditLog& audit, const base::Clock& clock,
                base::UtcOffset offset)
      : db_(db), audit_(audit), clock_(clock), offset_(offset) {}

  // Errors for all: kPermissionDenied when the role lacks the function; kNotFound when the person
  // (or region) is absent or outside the caller's jurisdiction — the same answer for both, and
  // the attempt is audited as authz_denied.
  Result<Person> Get(const auth::Principal& who, std::int64_t id);
  // Lists (empty q) or searches within `region` (default: the caller's whole jurisdiction).
  // Every person returned is recorded in one audit row.
  Result<std::vector<Person>> Search(const auth::Principal& who, std::string_view q,
                                     std::string_view region, const Page& page);
  // Errors also: kInvalidArgument naming fields; kAlreadyExists for a taken document number.
  Result<Person> Create(const auth::Principal& who, const PersonInput& input);
  // Errors also: kFailedPrecondition when `version` is not the stored version.
  Result<Person> Update(const auth::Principal& who, std::int64_t id, const PersonInput& input);
  // The unmasked values of `fields` (id_number, phone, address, name). A reason is required.
  Result<std::map<std::string, std::string>> Reveal(const auth::Principal& who, std::int64_t id,
                                                    const std::vector<std::string>& fields,
                                                    std::string_view reason);

  std::chrono::year_month_day Today() const { return base::LocalDate(clock_.Now(), offset_); }
  base::UtcOffset offset() const { return offset_; }

 private:
  std::int64_t Now() const;
  Status Denied(const auth::Principal& who, std::int64_t id);
  // The person if inside the caller's jurisdiction; otherwise the audited 404 of Denied.
  Result<Person> Visible(const auth::Principal& who, std::int64_t id);

  store::Database& db_;
  auth::AuditLog& audit_;
  const base::Clock& clock_;
  base::UtcOffset offset_;
};

}  // namespace cordon::people
