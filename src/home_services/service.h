// Use cases of home services (代购, 垃圾清运) for people under home measures, and of public
// tip-offs (有奖举报). Writes are one transaction with their audit row; lists are audited reads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "base/local_time.h"
#include "home_services/model.h"
#include "store/database.h"

namespace cordon::home_services {

class HomeServices {
 public:
  HomeServices(store::Database& db, auth::AuditLog& audit, const base::Clock& clock,
               base::UtcOffset offset)
      : db_(db), audit_(audit), clock_(clock), offset_(offset) {}

  // A request for a person under a current measure: shopping (with the money advanced) or a
  // rubbish round (`done` records a round already made). Errors: kNotFound outside the
  // jurisdiction or without a current measure; kInvalidArgument naming the field.
  Result<Service> Request(const auth::Principal& who, std::int64_t measure_id,
                          std::string_view kind, std::string_view detail,
                          std::int64_t advanced_cents, bool done);
  // Closes a request, with what was repaid (at most what was advanced). Errors also:
  // kFailedPrecondition when already done.
  Result<Service> Finish(const auth::Principal& who, std::int64_t id, std::string_view outcome,
                         std::int64_t repaid_cents);
  Result<std::vector<Service>> List(const auth::Principal& who, const ServiceQuery& q,
                                    ServiceCounts* counts);

  // The public form: no account; routed to the grid of the address's building, else the city's
  // inbox. Answers a receipt number only. Errors: kInvalidArgument naming the field.
  struct TipOffForm {
    std::string address, detail, phone;
  };
  Result<std::string> ReportTipOff(const TipOffForm& form, const std::string& ip,
                                   const std::string& request_id);
  Result<std::vector<TipOff>> TipOffs(const auth::Principal& who, const std::string& region,
                                      const std::string& status, std::int64_t after, int limit);
  // verified (with a reward, possibly 0) or unfounded. Errors: kNotFound; kFailedPrecondition
  // when closed already; kInvalidArgument naming the field.
  Result<TipOff> CloseTipOff(const auth::Principal& who, std::int64_t id, std::string_view status,
                             std::string_view outcome, std::int64_t reward_cents);

  base::UtcOffset offset() const { return offset_; }

 private:
  std::int64_t Now() const;

  store::Database& db_;
  auth::AuditLog& audit_;
  const base::Clock& clock_;
  base::UtcOffset offset_;
};

}  // namespace cordon::home_services
