// What an authenticator app does, for the API tests: the RFC 6238 code of a base32 secret.
// Written apart from the server's auth/totp.cc (its own SHA-1), so that the tests check the
// server against a second implementation; tests/unit/auth/totp_test.cc holds the RFC vectors.
#pragma once

#include <cstdint>
#include <string>

namespace cordon::testing {

// The 30-second time step of now (the system clock the server reads too).
std::int64_t TotpStepNow();
// The 6-digit code of `secret_base32` for time step `step`.
std::string TotpCodeAt(const std::string& secret_base32, std::int64_t step);

}  // namespace cordon::testing
