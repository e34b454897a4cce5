#include "store/postgres/pg_durability.h"

namespace cordon::store {

Result<DurabilitySettings> ReadDurabilitySettings(Session& session) {
  DurabilitySettings settings;
  // current_setting is SHOW as a function: it can be a prepared statement, which SHOW cannot.
  CORDON_RETURN_IF_ERROR(
      session.Query("SELECT current_setting('fsync'), current_setting('synchronous_commit'), "
                    "current_setting('full_page_writes'), current_setting('data_checksums')",
                    {}, [&](const Row& row) {
                      settings.fsync = row.Text(0);
                      settings.synchronous_commit = row.Text(1);
                      settings.full_page_writes = row.Text(2);
                      settings.data_checksums = row.Text(3);
                      return Status::Ok();
                    }));
  return settings;
}

Result<std::vector<std::string>> CheckDurabilitySettings(const DurabilitySettings& settings) {
  struct Required {
    const char* name;
    const std::string& value;
    bool refused;
    const char* risk;
  };
  const Required required[] = {
      {"fsync", settings.fsync, settings.fsync != "on",
       "a power cut can lose or corrupt committed data"},
      {"synchronous_commit", settings.synchronous_commit, settings.synchronous_commit == "off",
       "a power cut can lose transactions already acknowledged"},
      {"full_page_writes", settings.full_page_writes, settings.full_page_writes != "on",
       "a power cut during a page write can leave a torn page that recovery cannot repair"},
  };
  for (const Required& r : required) {
    if (r.refused) {
      return FailedPrecondition(std::string("refusing to use the database: PostgreSQL setting ") +
                                r.name + " is " + r.value + " (" + r.risk + "); set it to on");
    }
  }
  std::vector<std::string> warnings;
  if (settings.data_checksums != "on") {
    warnings.push_back("PostgreSQL setting data_checksums is " + settings.data_checksums +
                       ": corrupted pages would go unnoticed; initialise the cluster with initdb "
                       "--data-checksums, or run pg_checksums --enable on the stopped cluster");
  }
  return warnings;
}

}  // namespace cordon::store
