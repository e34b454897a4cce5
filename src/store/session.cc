#include "base/check.h"
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

const FieldCipher& Session::Fields() const {
  // Every way of opening a database sets a cipher (store/field_keys.h, or Ephemeral in tests); a
  // session without one is a programming error, and storing an identifier bare is not an option.
  CORDON_CHECK(fields_ != nullptr);
  return *fields_;
}

}  // namespace cordon::store
