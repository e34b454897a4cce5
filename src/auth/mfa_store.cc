#include "auth/mfa_store.h"

namespace cordon::auth {

Result<std::optional<TotpRow>> FindTotp(store::Session& s, std::int64_t user_id) {
  std::optional<TotpRow> out;
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT secret_sealed, COALESCE(enrolled_at, 0), last_step FROM user_totp "
      "WHERE user_id = ?",
      {user_id}, [&](const store::Row& row) {
        CORDON_ASSIGN_OR_RETURN(std::string secret,
                                s.Fields().Open(store::SealedField::kTotpSecret, row.Text(0)));
        out = TotpRow{std::move(secret), row.Int(1), row.Int(2)};
        return Status::Ok();
      }));
  return out;
}

Status SavePendingTotp(store::Session& s, std::int64_t user_id, std::string_view secret,
                       std::int64_t now) {
  CORDON_RETURN_IF_ERROR(DeleteTotp(s, user_id));
  return s
      .Exec(
          "INSERT INTO user_totp (user_id, secret_sealed, created_at, enrolled_at, last_step) "
          "VALUES (?, ?, ?, NULL, 0)",
          {user_id, s.Fields().Seal(store::SealedField::kTotpSecret, secret), now})
      .status();
}

Result<bool> UseTotpStep(store::Session& s, std::int64_t user_id, std::int64_t step,
                         std::int64_t now) {
  // The condition on last_step makes the check and the write one statement: of two requests
  // racing with the same code, one changes the row and the other changes nothing.
  CORDON_ASSIGN_OR_RETURN(
      std::int64_t changed,
      s.Exec("UPDATE user_totp SET last_step = ?, enrolled_at = COALESCE(enrolled_at, ?) "
             "WHERE user_id = ? AND last_step < ?",
             {step, now, user_id, step}));
  return changed == 1;
}

Status DeleteTotp(store::Session& s, std::int64_t user_id) {
  return s.Exec("DELETE FROM user_totp WHERE user_id = ?", {user_id}).status();
}

Status InsertChallenge(store::Session& s, std::string_view token_hash, std::int64_t user_id,
                       std::string_view purpose, std::int64_t now, std::int64_t expires_at) {
  CORDON_RETURN_IF_ERROR(
      s.Exec("DELETE FROM mfa_challenges WHERE expires_at <= ?", {now}).status());
  return s
      .Exec(
          "INSERT INTO mfa_challenges (token_hash, user_id, purpose, created_at, expires_at) "
          "VALUES (?, ?, ?, ?, ?)",
          {std::string(token_hash), user_id, std::string(purpose), now, expires_at})
      .status();
}

Result<std::optional<ChallengeRow>> FindChallenge(store::Session& s, std::string_view token_hash) {
  std::optional<ChallengeRow> out;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT user_id, purpose, expires_at FROM mfa_challenges WHERE token_hash = ?",
              {std::string(token_hash)}, [&](const store::Row& row) {
                out = ChallengeRow{row.Int(0), row.Text(1), row.Int(2)};
                return Status::Ok();
              }));
  return out;
}

Status DeleteChallenge(store::Session& s, std::string_view token_hash) {
  return s.Exec("DELETE FROM mfa_challenges WHERE token_hash = ?", {std::string(token_hash)})
      .status();
}

Status DeleteUserChallenges(store::Session& s, std::int64_t user_id) {
  return s.Exec("DELETE FROM mfa_challenges WHERE user_id = ?", {user_id}).status();
}

}  // namespace cordon::auth
