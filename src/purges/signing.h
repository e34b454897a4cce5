// The installation's signing key for deletion certificates (security.md F3, J2): Ed25519
// (libsodium), its seed in a file of the data directory that only the service's user may read.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace cordon::purges {

class SigningKey {
 public:
  // Reads the key at `path`, or makes one there when the file does not exist (written to a
  // temporary file, synced, renamed, the directory synced). Errors: kFailedPrecondition when the
  // file can be read by group or others, or is not a key; kUnavailable when it cannot be read or
  // written.
  static Result<SigningKey> LoadOrCreate(const std::string& path);

  // The detached signature of `message`, base64.
  std::string Sign(std::string_view message) const;
  // The public key, base64, and its id: the first 16 hex digits of its SHA-256.
  const std::string& public_key() const { return public_key_b64_; }
  std::string KeyId() const;

 private:
  std::string secret_;  // crypto_sign_SECRETKEYBYTES
  std::string public_key_b64_;
};

// The id of a public key (base64): the first 16 hex digits of its SHA-256; empty when it is not a
// key.
std::string KeyIdOf(std::string_view public_key);

// Whether `signature` (base64) is `public_key`'s (base64) over `message`.
bool VerifySignature(std::string_view message, std::string_view signature,
                     std::string_view public_key);

}  // namespace cordon::purges
