// SQL for the TOTP second factor: each user's secret and last used step, and login challenges.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"

namespace cordon::auth {

struct TotpRow {
  std::string secret;            // base32
  std::int64_t enrolled_at = 0;  // 0: shown but not yet confirmed by a code
  std::int64_t last_step = 0;    // the time step of the last accepted code
};

Result<std::optional<TotpRow>> FindTotp(store::Session& s, std::int64_t user_id);
// Replaces any row of the user by a pending one holding `secret`.
Status SavePendingTotp(store::Session& s, std::int64_t user_id, std::string_view secret,
                       std::int64_t now);
// Records that the code of `step` was accepted (and enrols a pending secret). Returns false when
// another request accepted that step or a later one first: the code was replayed.
Result<bool> UseTotpStep(store::Session& s, std::int64_t user_id, std::int64_t step,
                         std::int64_t now);
Status DeleteTotp(store::Session& s, std::int64_t user_id);

struct ChallengeRow {
  std::int64_t user_id = 0;
  std::string purpose;  // "verify" or "enroll"
  std::int64_t expires_at = 0;
};

// Stores a challenge by the hash of its token, and drops every expired one.
Status InsertChallenge(store::Session& s, std::string_view token_hash, std::int64_t user_id,
                       std::string_view purpose, std::int64_t now, std::int64_t expires_at);
Result<std::optional<ChallengeRow>> FindChallenge(store::Session& s, std::string_view token_hash);
Status DeleteChallenge(store::Session& s, std::string_view token_hash);
Status DeleteUserChallenges(store::Session& s, std::int64_t user_id);

}  // namespace cordon::auth
