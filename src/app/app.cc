#include "app/app.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "auth/routes.h"
#include "cases/routes.h"
#include "duplicates/routes.h"
#include "exports/routes.h"
#include "followups/routes.h"
#include "home_quarantine/routes.h"
#include "home_services/routes.h"
#include "leads/routes.h"
#include "measures/export_source.h"
#include "measures/routes.h"
#include "people/routes.h"
#include "purges/routes.h"
#include "regions/routes.h"
#include "retention/routes.h"
#include "store/field_keys.h"
#include "timeline/routes.h"
#include "trace/routes.h"

namespace cordon::app {

std::string_view OpenApiDocument();  // docs/openapi.json, embedded at build time

Result<std::unique_ptr<App>> App::Open(const Config& config) {
  std::unique_ptr<App> app(new App());
  app->config_ = config;
  CORDON_ASSIGN_OR_RETURN(app->offset_, base::ParseUtcOffset(config.utc_offset));
  std::string url = config.db_url;
  if (url.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(config.data_dir, ec);
    if (ec) {
      return Unavailable("cannot create the data directory " + config.data_dir + ": " +
                         ec.message());
    }
    // Personal data lives here: only the service's user may enter.
    ::chmod(config.data_dir.c_str(), 0700);
    url = "sqlite:" + config.data_dir + "/cordon.db";
  }
  store::OpenOptions options;
  // One reader per HTTP thread, so that no request waits for a connection.
  options.readers = std::max(8, config.http.threads);
  CORDON_ASSIGN_OR_RETURN(app->db_, store::Open(url, options));
  // The key before the schema: migration 0024 seals the identifiers an older database holds bare.
  CORDON_RETURN_IF_ERROR(store::LoadFieldCipher(
      *app->db_, config.field_keys.empty() ? config.data_dir + "/field-keys" : config.field_keys));
  CORDON_RETURN_IF_ERROR(store::Migrate(*app->db_));
  CORDON_RETURN_IF_ERROR(store::CheckFieldKey(*app->db_));
  if (config.db_url.empty()) {
    // Audited reads go to a journal beside the database (auth/audit_journal.h), unless another
    // process (the server, beside this command) owns it.
    auto journalled =
        auth::AuditLog::WithJournal(*app->db_, app->clock_, config.data_dir + "/audit.journal");
    if (journalled.has_value()) {
      app->audit_ = std::move(*journalled);
      app->owns_journal_ = true;
    } else if (journalled.error().code() != StatusCode::kFailedPrecondition) {
      return journalled.error();
    }
  }
  if (app->audit_ == nullptr) {
    app->audit_ = std::make_unique<auth::AuditLog>(*app->db_, app->clock_);
  }
  app->auth_ = std::make_unique<auth::AuthService>(*app->db_, *app->audit_, app->clock_);
  app->regions_ = std::make_unique<regions::RegionService>(*app->db_, *app->audit_);
  app->people_ =
      std::make_unique<people::PeopleService>(*app->db_, *app->audit_, app->clock_, app->offset_);
  app->leads_ =
      std::make_unique<leads::LeadService>(*app->db_, *app->audit_, app->clock_, app->offset_);
  app->measures_ = std::make_unique<measures::MeasureService>(*app->db_, *app->audit_, app->clock_,
                                                              app->offset_);
  // Lists leave only through the exports service; each capability that sends lists adds its own.
  app->exports_ =
      std::make_unique<exports::ExportService>(*app->db_, *app->audit_, app->clock_, app->offset_);
  app->measure_exports_ = std::make_unique<measures::MeasureExports>(*app->measures_);
  app->exports_->AddSource(*app->measure_exports_);
  app->followups_ = std::make_unique<followups::FollowupService>(*app->db_, *app->audit_,
                                                                 app->clock_, app->offset_);
  app->timeline_ = std::make_unique<timeline::TimelineService>(*app->db_, *app->audit_);
  app->duplicates_ =
      std::make_unique<duplicates::DuplicateService>(*app->db_, *app->audit_, app->clock_);
  app->homes_ = std::make_unique<home_quarantine::HomeQuarantineService>(*app->db_, *app->audit_,
                                                                         app->clock_);
  app->services_ = std::make_unique<home_services::HomeServices>(*app->db_, *app->audit_,
                                                                 app->clock_, app->offset_);
  app->cases_ = std::make_unique<cases::CaseService>(*app->db_, *app->audit_, app->clock_,
                                                     app->offset_, *app->leads_, *app->measures_);
  app->retention_ =
      std::make_unique<retention::RetentionService>(*app->db_, *app->audit_, app->clock_);
  // The key that signs deletion certificates lives beside the data, never in the database.
  app->purges_ = std::make_unique<purges::PurgeService>(
      *app->db_, *app->audit_, app->clock_, app->offset_, config.data_dir + "/purge-signing.key");
  app->trace_ =
      std::make_unique<trace::TraceService>(*app->db_, *app->audit_, app->clock_, app->offset_);
  if (config.checkins) {
    checkins::StoreOptions engine;
    engine.dir = config.data_dir + "/checkins";
    engine.read_only = config.checkins_read_only;
    engine.retention_days = config.retention_days;
    CORDON_RETURN_IF_ERROR(app->trace_->Open(std::move(engine)));
  }
  return app;
}

http::Server& App::BuildServer() {
  server_ = std::make_unique<http::Server>(config_.http, *auth_, *db_);
  auth::RegisterRoutes(*server_, *auth_, *audit_, config_.http.secure_cookie, offset_);
  regions::RegisterRoutes(*server_, *regions_);
  people::RegisterRoutes(*server_, *people_);
  leads::RegisterRoutes(*server_, *leads_);
  measures::RegisterRoutes(*server_, *measures_, *exports_);
  exports::RegisterRoutes(*server_, *exports_);
  followups::RegisterRoutes(*server_, *followups_);
  timeline::RegisterRoutes(*server_, *timeline_, offset_);
  duplicates::RegisterRoutes(*server_, *duplicates_, clock_, offset_);
  home_quarantine::RegisterRoutes(*server_, *homes_);
  home_services::RegisterRoutes(*server_, *services_);
  cases::RegisterRoutes(*server_, *cases_);
  retention::RegisterRoutes(*server_, *retention_, offset_, config_.retention_days);
  purges::RegisterRoutes(*server_, *purges_);
  if (config_.checkins) {
    trace::RegisterRoutes(*server_, *trace_);
    trace::RegisterCaseContactsRoute(*server_, *trace_, *cases_);
  }
  // A small public answer for monitors and for measuring the HTTP layer alone.
  server_->Route(
      "GET", "/api/v1/version", http::Access::kPublic,
      [](http::Context&) -> Result<http::Response> {
        static const std::string body =
            "{\"name\":\"cordon\",\"title\":\"疫情防控指挥平台\",\"api\":\"v1\",\"schema\":" +
            std::to_string(store::LatestMigration()) + "}";
        return http::JsonResponse(200, body);
      });
  server_->Route("GET", "/api/v1/openapi.json", http::Access::kPublic,
                 [](http::Context&) -> Result<http::Response> {
                   return http::JsonResponse(200, std::string(OpenApiDocument()));
                 });
  return *server_;
}

void App::StartBackgroundJobs() {
  jobs_ = std::thread([this] {
    std::unique_lock lock(jobs_mu_);
    // The server's start ran the retention pass (main.cc); the next is an hour later.
    auto next_retention = std::chrono::steady_clock::now() + std::chrono::hours(1);
    while (!jobs_stop_) {
      lock.unlock();
      if (std::chrono::steady_clock::now() >= next_retention) {
        next_retention = std::chrono::steady_clock::now() + std::chrono::hours(1);
        if (auto run = retention_->RunJob(); !run.has_value()) {
          spdlog::error("retention job failed: {}", run.error().message());
        } else if (run->outcome != "ok") {
          spdlog::error("retention job: {}", run->error);
        }
      }
      if (auto raised = followups_->SweepMissed(); !raised.has_value()) {
        spdlog::error("missed follow-up sweep failed: {}", raised.error().message());
      } else if (*raised > 0) {
        spdlog::info("missed follow-ups: {} alerts raised", *raised);
      }
      lock.lock();
      jobs_cv_.wait_for(lock, std::chrono::minutes(1), [this] { return jobs_stop_; });
    }
  });
}

App::~App() {
  {
    std::lock_guard lock(jobs_mu_);
    jobs_stop_ = true;
  }
  jobs_cv_.notify_all();
  if (jobs_.joinable()) {
    jobs_.join();
  }
}

}  // namespace cordon::app
