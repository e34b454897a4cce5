// Users, roles and the principal a request acts as.
#pragma once

#include <cstdint>
#include <string>

namespace cordon::auth {

// domain.md section 1.
enum class Role {
  kAdmin,
  kCommander,
  kEpidemiologist,
  kSiteManager,
  kGridWorker,
  kTesting,
  kLogistics,
  kInspector,
  kAuditor,
};

// Functions a role may perform; jurisdiction is a separate, orthogonal check.
enum class Permission {
  kPeopleRead,
  kPeopleWrite,
  kPeopleReveal,
  kPeopleMerge,  // decide doubtful pairs of files: merge, keep apart, undo a merge
  kRegionsRead,
  kAuditRead,
  kUsersManage,
  kLeadsImport,    // bring in lead files (协查通报, data pushes)
  kTasksRead,      // see the work lists of screening tasks
  kTasksCheck,     // record that a task's person was visited or called
  kMeasuresRead,   // see control measures (管控措施)
  kMeasuresWrite,  // put people under measures, record tests, extend, release
  kCasesRead,      // see cases, investigation records, chains, the curve and the clock
  kCasesWrite,     // report and edit cases, investigations, exposures, clusters; list contacts
  kCheckinsWrite,  // bring in check-ins (场所码 scans, checkpoints, transport records)
  kTrace,          // trajectories and contact searches over everyone's check-ins
  kExport,         // take person-level lists out as files (导出); not implied by reading them
  kExportApprove,  // approve another user's export with whole identifiers (second person)
  kRetention,      // set retention periods, run the deletion job, ask for a purge (F1, F3)
  kPurgeApprove,   // approve another person's end-of-incident purge (security.md F3)
};

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::kGridWorker;
  std::string region_code;  // the jurisdiction node; empty means none (sees nothing)
  bool disabled = false;
};

// Who is asking: the user, their jurisdiction's region path, and where the request came from.
struct Principal {
  User user;
  std::string region_name;
  std::string region_path;  // "/440100/440106/" or empty (fail closed)
  std::string ip;
  std::string request_id;
};

}  // namespace cordon::auth
