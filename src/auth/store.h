// SQL for users, sessions and login throttling.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "auth/model.h"
#include "auth/rules.h"
#include "store/database.h"

namespace cordon::auth {

struct UserRow {
  User user;
  std::string password_hash;
  std::string region_path;  // from the jurisdiction node; empty if none
  std::string region_name;
};

struct SessionRow {
  std::int64_t user_id = 0;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;
};

// The principal a user row acts as, from a request's address and id.
Principal PrincipalOf(const UserRow& row, const std::string& ip, const std::string& request_id);

Result<std::optional<UserRow>> FindUserByName(store::Session& s, std::string_view username);
Result<std::optional<UserRow>> FindUserById(store::Session& s, std::int64_t id);
Result<std::int64_t> InsertUser(store::Session& s, const User& user, std::string_view hash,
                                std::int64_t now);
Status UpdatePasswordHash(store::Session& s, std::int64_t user_id, std::string_view hash,
                          std::int64_t now);
Result<bool> RegionExists(store::Session& s, std::string_view code);

Status InsertSession(store::Session& s, std::string_view token_hash, std::int64_t user_id,
                     std::int64_t now, std::int64_t expires_at);
Result<std::optional<SessionRow>> FindSession(store::Session& s, std::string_view token_hash);
Status TouchSession(store::Session& s, std::string_view token_hash, std::int64_t now);
Status DeleteSession(store::Session& s, std::string_view token_hash);
Status DeleteUserSessions(store::Session& s, std::int64_t user_id,
                          std::string_view except_token_hash);

Result<ThrottleState> LoadThrottle(store::Session& s, std::string_view key);
Status SaveThrottle(store::Session& s, std::string_view key, const ThrottleState& state);
Status ClearThrottle(store::Session& s, std::string_view key);

}  // namespace cordon::auth
