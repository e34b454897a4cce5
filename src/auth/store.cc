#include "auth/store.h"

namespace cordon::auth {
namespace {

// The user's jurisdiction path and name come from a join on the region tree: the scope is
// re-derived on every request, so a re-scoped user is affected at once (security.md A4).
constexpr std::string_view kUserSelect =
    "SELECT u.id, u.username, u.display_name, u.role, COALESCE(u.region_code, ''), u.disabled, "
    "u.password_hash, COALESCE(r.path, ''), COALESCE(r.name, '') "
    "FROM users u LEFT JOIN regions r ON r.code = u.region_code ";

Result<std::optional<UserRow>> QueryUser(store::Session& s, const std::string& sql,
                                         const store::Params& params) {
  std::optional<UserRow> out;
  CORDON_RETURN_IF_ERROR(s.Query(sql, params, [&](const store::Row& row) {
    UserRow u;
    u.user.id = row.Int(0);
    u.user.username = row.Text(1);
    u.user.display_name = row.Text(2);
    auto role = ParseRole(row.Text(3));
    if (!role) return Internal("user " + u.user.username + " has an unknown role");
    u.user.role = *role;
    u.user.region_code = row.Text(4);
    u.user.disabled = row.Int(5) != 0;
    u.password_hash = row.Text(6);
    u.region_path = row.Text(7);
    u.region_name = row.Text(8);
    out = std::move(u);
    return Status::Ok();
  }));
  return out;
}

}  // namespace

Principal PrincipalOf(const UserRow& row, const std::string& ip, const std::string& request_id) {
  Principal p;
  p.user = row.user;
  p.region_path = row.region_path;
  p.region_name = row.region_name;
  p.ip = ip;
  p.request_id = request_id;
  return p;
}

Result<std::optional<UserRow>> FindUserByName(store::Session& s, std::string_view username) {
  return QueryUser(s, std::string(kUserSelect) + "WHERE u.username = ?", {std::string(username)});
}

Result<std::optional<UserRow>> FindUserById(store::Session& s, std::int64_t id) {
  return QueryUser(s, std::string(kUserSelect) + "WHERE u.id = ?", {id});
}

Result<std::int64_t> InsertUser(store::Session& s, const User& user, std::string_view hash,
                                std::int64_t now) {
  CORDON_RETURN_IF_ERROR(
      s.Exec("INSERT INTO users (username, display_name, password_hash, role, region_code, "
             "disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
             {user.username, user.display_name, std::string(hash), std::string(RoleName(user.role)),
              user.region_code.empty() ? store::Value{} : store::Value{user.region_code}, now, now})
          .status());
  return s.QueryInt("SELECT id FROM users WHERE username = ?", {user.username});
}

Status UpdatePasswordHash(store::Session& s, std::int64_t user_id, std::string_view hash,
                          std::int64_t now) {
  return s
      .Exec("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
            {std::string(hash), now, user_id})
      .status();
}

Result<bool> RegionExists(store::Session& s, std::string_view code) {
  auto n = s.QueryInt("SELECT COUNT(*) FROM regions WHERE code = ?", {std::string(code)});
  if (!n.has_value()) {
    return n.error();
  }
  return *n > 0;
}

Status InsertSession(store::Session& s, std::string_view token_hash, std::int64_t user_id,
                     std::int64_t now, std::int64_t expires_at) {
  return s
      .Exec(
          "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) "
          "VALUES (?, ?, ?, ?, ?)",
          {std::string(token_hash), user_id, now, now, expires_at})
      .status();
}

Result<std::optional<SessionRow>> FindSession(store::Session& s, std::string_view token_hash) {
  std::optional<SessionRow> out;
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT user_id, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = ?",
      {std::string(token_hash)}, [&](const store::Row& row) {
        out = SessionRow{row.Int(0), row.Int(1), row.Int(2), row.Int(3)};
        return Status::Ok();
      }));
  return out;
}

Status TouchSession(store::Session& s, std::string_view token_hash, std::int64_t now) {
  return s
      .Exec("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?",
            {now, std::string(token_hash)})
      .status();
}

Status DeleteSession(store::Session& s, std::string_view token_hash) {
  return s.Exec("DELETE FROM sessions WHERE token_hash = ?", {std::string(token_hash)}).status();
}

Status DeleteUserSessions(store::Session& s, std::int64_t user_id,
                          std::string_view except_token_hash) {
  return s
      .Exec("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?",
            {user_id, std::string(except_token_hash)})
      .status();
}

Result<ThrottleState> LoadThrottle(store::Session& s, std::string_view key) {
  ThrottleState state;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT failures, window_start, locked_until FROM login_throttle WHERE key = ?",
              {std::string(key)}, [&](const store::Row& row) {
                state = {static_cast<int>(row.Int(0)), row.Int(1), row.Int(2)};
                return Status::Ok();
              }));
  return state;
}

Status SaveThrottle(store::Session& s, std::string_view key, const ThrottleState& state) {
  CORDON_RETURN_IF_ERROR(ClearThrottle(s, key));
  return s
      .Exec(
          "INSERT INTO login_throttle (key, failures, window_start, locked_until) "
          "VALUES (?, ?, ?, ?)",
          {std::string(key), static_cast<std::int64_t>(state.failures), state.window_start,
           state.locked_until})
      .status();
}

Status ClearThrottle(store::Session& s, std::string_view key) {
  return s.Exec("DELETE FROM login_throttle WHERE key = ?", {std::string(key)}).status();
}

}  // namespace cordon::auth
