// Exports (导出) of person-level lists, security.md E1-E6. A list leaves the system only through
// here: with the export right, inside the caller's jurisdiction as it is at the moment of the
// download, masked unless a second person approved a stated reason, capped, watermarked with who
// and when, and audited with the rows handed out and the file's SHA-256.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "base/local_time.h"
#include "exports/model.h"
#include "exports/source.h"
#include "store/database.h"

namespace cordon::exports {

struct ExportRequest {
  std::string kind;
  ExportFormat format = ExportFormat::kXlsx;
  nlohmann::json filter = nlohmann::json::object();
  bool unmasked = false;
  std::string reason;  // required for an unmasked list
};

struct ExportFile {
  Export record;
  std::string file_name;
  std::string content_type;
  std::string bytes;
};

class ExportService {
 public:
  ExportService(store::Database& db, auth::AuditLog& audit, const base::Clock& clock,
                base::UtcOffset offset, ExportPolicy policy = {})
      : db_(db), audit_(audit), clock_(clock), offset_(offset), policy_(policy) {}

  // Sources live as long as the service (they are the capabilities' services).
  void AddSource(ExportSource& source);

  // Records a request. A masked list is ready at once; an unmasked one waits for approval.
  // Errors: kPermissionDenied without the export right (or, unmasked, the reveal right);
  // kInvalidArgument naming the field; kNotFound for a region outside the jurisdiction (audited);
  // kResourceExhausted past the hourly limit (audited as rate_limited).
  Result<Export> Start(const auth::Principal& who, const ExportRequest& request);
  // The caller's own exports, newest first; with `approvals`, instead the requests waiting in
  // the approver's jurisdiction and those they decided.
  Result<std::vector<Export>> List(const auth::Principal& who, bool approvals);
  // A second person's decision on an unmasked list. Errors: kPermissionDenied without the
  // approval right or for one's own request; kNotFound outside the jurisdiction;
  // kFailedPrecondition when already decided; kInvalidArgument for a rejection without a note.
  Result<Export> Decide(const auth::Principal& who, std::int64_t id, bool approve,
                        std::string_view note);
  // Makes the file for its requester, from the data and the requester's jurisdiction as they are
  // now. Errors: kNotFound for anyone else's export; kFailedPrecondition while pending or when
  // rejected, or past the unmasked row cap; kExpired after the download window.
  Result<ExportFile> Download(const auth::Principal& who, std::int64_t id);
  // A masked list made and handed out in one step (a list page's export button).
  Result<ExportFile> ExportNow(const auth::Principal& who, ExportRequest request);

  bool CanApprove(const auth::Principal& who, const Export& e) const;
  base::UtcOffset offset() const { return offset_; }
  const ExportPolicy& policy() const { return policy_; }
  std::int64_t Now() const;
  // The source's title for a kind ("管控人员名单"), or the kind itself.
  std::string Title(std::string_view kind) const;

 private:
  ExportSource* Source(std::string_view kind) const;
  Result<Export> Load(store::Session& s, std::int64_t id);
  Result<std::string> Produce(const auth::Principal& who, ExportSource& source, const Export& e,
                              std::int64_t& rows);

  store::Database& db_;
  auth::AuditLog& audit_;
  const base::Clock& clock_;
  base::UtcOffset offset_;
  ExportPolicy policy_;
  std::map<std::string, ExportSource*, std::less<>> sources_;
};

}  // namespace cordon::exports
