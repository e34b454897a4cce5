// The end-of-incident purge (security.md F3): when the incident is over, an administrator asks,
// with a reason and a typed confirmation, for every person-level row of the installation to be
// deleted; a second person of the city-wide command (administrator or commander, never the one
// who asked) approves, and the deletion runs at once in one transaction with its audit row. What
// remains: the region tree, staff, venues, configuration, the audit trail, and the statistics per
// district written into a deletion certificate signed with the installation's Ed25519 key.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "base/local_time.h"
#include "purges/model.h"
#include "store/database.h"

namespace cordon::purges {

// What the requester types to confirm.
inline constexpr std::string_view kConfirmation = "销毁全部个人数据";

class PurgeService {
 public:
  // `key_path`: the signing key's file (made at the first purge when missing).
  PurgeService(store::Database& db, auth::AuditLog& audit, const base::Clock& clock,
               base::UtcOffset offset, std::string key_path)
      : db_(db), audit_(audit), clock_(clock), offset_(offset), key_path_(std::move(key_path)) {}

  // The person-level tables a purge empties, in the order it deletes them.
  static const std::vector<std::string_view>& Tables();

  // Errors: kPermissionDenied without the retention right or city-wide jurisdiction;
  // kInvalidArgument naming `reason` (4 to 500 characters) or `confirm`; kFailedPrecondition
  // when a request is already waiting.
  Result<Purge> Request(const auth::Principal& who, std::string_view reason,
                        std::string_view confirm);
  // Every purge, newest first. Error: kPermissionDenied for anyone but admin and commander.
  Result<std::vector<Purge>> List(const auth::Principal& who);
  // Rows now in each table a purge would empty.
  Result<std::map<std::string, std::int64_t>> Counts(const auth::Principal& who);
  // A second person's decision; approving runs the purge. Errors: kPermissionDenied (no right,
  // not city-wide, or one's own request); kNotFound; kFailedPrecondition when already decided;
  // kInvalidArgument for a rejection without a note; kFailedPrecondition when the signing key
  // cannot be used (nothing is deleted then).
  Result<Purge> Decide(const auth::Principal& who, std::int64_t id, bool approve,
                       std::string_view note);
  // The certificate of a done purge, its signature checked again. kNotFound otherwise.
  Result<Certificate> GetCertificate(const auth::Principal& who, std::int64_t id);

  bool CanApprove(const auth::Principal& who, const Purge& p) const;
  base::UtcOffset offset() const { return offset_; }

 private:
  Status RequireCityWide(const auth::Principal& who, auth::Permission permission);
  Result<Purge> Load(store::Session& s, std::int64_t id);
  std::int64_t Now() const;

  store::Database& db_;
  auth::AuditLog& audit_;
  const base::Clock& clock_;
  base::UtcOffset offset_;
  std::string key_path_;
};

// Checks a certificate file as `cordon purge verify` reads it: the JSON of GET
// /api/v1/purges/{id}/certificate. Returns the id of the key that signed it, which the reader
// compares with the installation's (shown on the certificate and by the key file). Error:
// kInvalidArgument naming what is wrong (altered, another key than the one it names, not a
// certificate).
Result<std::string> VerifyCertificateFile(std::string_view json_text);

}  // namespace cordon::purges
