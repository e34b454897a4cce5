// The running program: configuration, the database, the services and the HTTP server, wired
// together once. Commands of the command line are functions over it.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

#include "auth/audit_log.h"
#include "auth/service.h"
#include "base/local_time.h"
#include "cases/service.h"
#include "duplicates/service.h"
#include "exports/service.h"
#include "followups/service.h"
#include "home_quarantine/service.h"
#include "home_services/service.h"
#include "http/server.h"
#include "leads/service.h"
#include "measures/export_source.h"
#include "measures/service.h"
#include "people/service.h"
#include "purges/service.h"
#include "regions/service.h"
#include "retention/service.h"
#include "store/database.h"
#include "timeline/timeline.h"
#include "trace/service.h"

namespace cordon::app {

struct Config {
  std::string data_dir = "data";
  std::string db_url;  // default: sqlite:<data_dir>/cordon.db
  // The field keys that seal ID numbers and phones (security.md B3); default <data_dir>/field-keys.
  // Servers sharing one PostgreSQL database must share this file.
  std::string field_keys;
  std::string utc_offset = "+08:00";
  // The check-in engine (<data_dir>/checkins): opened by the server and the commands that need
  // it; read-only for a command run beside a server that owns the directory.
  bool checkins = false;
  bool checkins_read_only = false;
  int retention_days = 21;
  http::ServerOptions http;
};

class App {
 public:
  // Creates the data directory if missing, opens and migrates the database.
  static Result<std::unique_ptr<App>> Open(const Config& config);

  store::Database& db() { return *db_; }
  auth::AuditLog& audit() { return *audit_; }
  leads::LeadService& leads() { return *leads_; }
  auth::AuthService& auth() { return *auth_; }
  trace::TraceService& trace() { return *trace_; }
  cases::CaseService& cases() { return *cases_; }
  retention::RetentionService& retention() { return *retention_; }
  purges::PurgeService& purges() { return *purges_; }
  const base::Clock& clock() const { return clock_; }
  const Config& config() const { return config_; }
  // Whether this process holds the SQLite installation's audit journal: false when a server
  // running beside this command holds it (and always on PostgreSQL).
  bool owns_audit_journal() const { return owns_journal_; }

  // Builds the server with every route. Call once.
  http::Server& BuildServer();

  // Jobs that run while serving: every minute, alerts for follow-ups missed city-wide; every
  // hour, the retention job. Stopped by the destructor.
  void StartBackgroundJobs();
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

 private:
  App() = default;
  bool owns_journal_ = false;

  Config config_;
  base::SystemClock clock_;
  base::UtcOffset offset_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<auth::AuthService> auth_;
  std::unique_ptr<regions::RegionService> regions_;
  std::unique_ptr<people::PeopleService> people_;
  std::unique_ptr<leads::LeadService> leads_;
  std::unique_ptr<measures::MeasureService> measures_;
  std::unique_ptr<exports::ExportService> exports_;
  std::unique_ptr<measures::MeasureExports> measure_exports_;
  std::unique_ptr<followups::FollowupService> followups_;
  std::unique_ptr<timeline::TimelineService> timeline_;
  std::unique_ptr<duplicates::DuplicateService> duplicates_;
  std::unique_ptr<home_quarantine::HomeQuarantineService> homes_;
  std::unique_ptr<home_services::HomeServices> services_;
  std::unique_ptr<trace::TraceService> trace_;
  std::unique_ptr<cases::CaseService> cases_;
  std::unique_ptr<retention::RetentionService> retention_;
  std::unique_ptr<purges::PurgeService> purges_;
  std::unique_ptr<http::Server> server_;
  std::mutex jobs_mu_;
  std::condition_variable jobs_cv_;
  bool jobs_stop_ = false;
  std::thread jobs_;
};

}  // namespace cordon::app
