// Password hashing (Argon2id, libsodium) and session tokens.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace cordon::auth {

// Argon2id with m=19 MiB, t=2, p=1 (security.md D1): "$argon2id$v=19$m=19456,t=2,p=1$...".
// Thread-safe. Takes about 50-100 ms by design.
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view hash, std::string_view password);
// Burns the same time as a verification, so that an unknown user answers as slowly as a known one.
void VerifyDummyPassword(std::string_view password);

// A new session token: 32 random bytes, hex (256 bits from the OS CSPRNG).
std::string NewToken();
// SHA-256 of data, lower-case hex.
std::string Sha256Hex(std::string_view data);

}  // namespace cordon::auth
