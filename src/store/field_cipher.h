// Encryption at rest of the identifiers that single a person out (security.md B3): ID numbers and
// phones are stored sealed (XChaCha20-Poly1305, libsodium), beside a keyed hash for exact search
// (a blind index) and the masked form that lists show. The key lives in a file outside the
// database (store/field_keys.h), so a copy of the database, its WAL or a backup alone gives no
// identifier away.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace cordon::store {

// Which column a value belongs to. It is bound into the ciphertext and the index, so that a sealed
// phone copied into an ID number column does not open, and equal values in two columns do not
// show as equal.
enum class SealedField : std::uint8_t {
  kIdNumber = 1,
  kPhone = 2,
  kTotpSecret = 3,
  kTipOffPhone = 4,
  kKeyCheck = 5,  // field_key_state.key_check: no column of values
};

struct FieldKey {
  std::uint32_t id = 0;
  std::array<unsigned char, 32> secret{};
};

class FieldCipher {
 public:
  // `keys` are every key a sealed value may name; `active` seals new values and makes the index.
  // Errors: kFailedPrecondition when `active` is not among `keys`.
  static Result<std::shared_ptr<const FieldCipher>> Make(const std::vector<FieldKey>& keys,
                                                         std::uint32_t active);
  // A random key held in memory only, for tests and for databases that are thrown away.
  static std::shared_ptr<const FieldCipher> Ephemeral();

  // "<key id>$<base64 of nonce and ciphertext>"; the empty string stays empty (an absent phone).
  std::string Seal(SealedField field, std::string_view plain) const;
  // Errors: kInternal when the value does not open under the key it names (tampered, moved to
  // another column, or sealed by a key this installation does not hold).
  Result<std::string> Open(SealedField field, std::string_view sealed) const;
  // A keyed BLAKE2b hash, 32 hex digits; equal values give equal indexes under one active key.
  // The empty string stays empty.
  std::string Index(SealedField field, std::string_view plain) const;

  std::uint32_t active_key() const { return active_; }
  // The key id a sealed value names, or 0 when it names none.
  static std::uint32_t KeyOf(std::string_view sealed);

  ~FieldCipher();
  FieldCipher(const FieldCipher&) = delete;
  FieldCipher& operator=(const FieldCipher&) = delete;

 private:
  struct Subkeys {
    std::uint32_t id = 0;
    std::array<unsigned char, 32> seal{};
    std::array<unsigned char, 32> index{};
  };
  FieldCipher() = default;
  const Subkeys* Find(std::uint32_t id) const;

  std::vector<Subkeys> keys_;
  std::uint32_t active_ = 0;
};

}  // namespace cordon::store
