// TOTP second factor (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1, 6 digits, 30-second steps, the
// parameters every authenticator app (Microsoft, Google, FreeOTP) uses by default. Pure
// functions; thread-safe. Formats and the replay rule are described in docs/security.md (D4).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cordon::auth {

inline constexpr std::int64_t kTotpPeriodSeconds = 30;
inline constexpr int kTotpDigits = 6;

// RFC 4648 base32, upper case, without '=' padding (as otpauth:// URIs carry it).
std::string Base32Encode(std::span<const unsigned char> bytes);
// Accepts upper or lower case, spaces and '-' between groups, and trailing '=' padding.
// Returns nullopt on any other character or on leftover bits that are not zero.
std::optional<std::string> Base32Decode(std::string_view text);

// A new secret: 160 random bits (RFC 4226 4, R6) from the OS CSPRNG, base32 (32 characters).
std::string NewTotpSecret();

// HOTP(key, counter) truncated to `digits` decimal digits (RFC 4226 5.3), as a number.
std::uint32_t HotpValue(std::string_view key, std::uint64_t counter, int digits);
// The time step of a Unix time: floor(unix_seconds / 30).
std::int64_t TotpStep(std::int64_t unix_seconds);
// The 6-digit code of a base32 secret for a time step, zero-padded ("004217"); empty when the
// secret is not base32.
std::string TotpCode(std::string_view secret_base32, std::int64_t step);

// Checks a code typed by a user against the steps now-1, now and now+1 (one step of clock skew
// either way), skipping every step <= last_step (a code already used, or an older one: replay).
// Returns the step that matched, which the caller stores as the new last_step; nullopt when none
// matches or the code is not 6 digits. Comparison does not stop at the first differing digit.
std::optional<std::int64_t> MatchTotp(std::string_view secret_base32, std::string_view code,
                                      std::int64_t now_step, std::int64_t last_step);

// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
// (the Key Uri Format of Google Authenticator), label parts percent-encoded.
std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_base32);

}  // namespace cordon::auth
