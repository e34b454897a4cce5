// Services for people under home measures (代购, 垃圾清运) and public tip-offs (有奖举报).
#pragma once

#include <cstdint>
#include <string>

namespace cordon::home_services {

struct Service {
  std::int64_t id = 0;
  std::string kind;  // shopping | rubbish
  std::int64_t measure_id = 0;
  std::int64_t person_id = 0;
  std::string name, address;  // of the person, masked by the routes
  std::string region_code, region_name, region_path;
  std::string status;  // open | done
  std::string detail;
  std::int64_t advanced_cents = 0, repaid_cents = 0;
  std::int64_t created_at = 0, done_at = 0;
  std::string created_by, done_by, outcome;
};

struct ServiceQuery {
  std::string region, kind, status = "open";
  std::int64_t after = 0;
  int limit = 50;
};

struct ServiceCounts {
  std::int64_t shopping_open = 0, rubbish_open = 0;
  std::int64_t unpaid_cents = 0;  // advanced and not yet repaid, over every shopping request
};

struct TipOff {
  std::int64_t id = 0;
  std::string address, detail, contact_phone;  // masked by the routes
  std::string region_code, region_name, region_path;
  bool unrouted = false;
  std::string status;  // open | verified | unfounded
  std::int64_t reward_cents = 0;
  std::int64_t created_at = 0, closed_at = 0;
  std::string closed_by, outcome;
};

// Yuan as typed ("12", "12.5", "12.50") to cents; nullopt for anything else or over 100,000 yuan.
bool ParseYuan(const std::string& text, std::int64_t* cents);

}  // namespace cordon::home_services
