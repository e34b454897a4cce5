// End-of-incident purges (数据销毁, security.md F3).
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace cordon::purges {

struct PurgeUser {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
};

struct Purge {
  std::int64_t id = 0;
  std::string reason;
  std::string status;  // pending, rejected, done
  PurgeUser requested_by;
  std::int64_t requested_at = 0;
  PurgeUser decided_by;  // id 0 while pending
  std::int64_t decided_at = 0;
  std::string decision_note;
  std::int64_t executed_at = 0;
  std::map<std::string, std::int64_t> tables;  // rows deleted per table, once done
};

// The signed record of a purge: `text` is the canonical JSON that was signed.
struct Certificate {
  std::string text;
  std::string signature;   // Ed25519, base64
  std::string public_key;  // base64
  bool verified = false;
};

}  // namespace cordon::purges
