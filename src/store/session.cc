#include "store/database.h"

namespace cordon::store {

Result<std::int64_t> Session::QueryInt(std::string_view sql, const Params& params) {
  std::int64_t value = 0;
  bool found = false;
  CORDON_RETURN_IF_ERROR(Query(sql, params, [&](const Row& row) {
    found = true;
    value = row.IsNull(0) ? 0 : row.Int(0);
    return Status::Ok();
  }));
  if (!found) {
    return NotFound("no row");
  }
  return value;
}

}  // namespace cordon::store
