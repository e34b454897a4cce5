// The field keys of an installation (security.md B3, J2): where they live, how a database gets
// its cipher, the sealing of identifiers that were stored bare, and key rotation.
//
// The key file (<data>/field-keys, mode 0600) holds one key per line, "<id> <base64 of 32
// bytes>"; the database records which key is active (field_key_state), never a key. Several
// servers on one PostgreSQL database share the file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"
#include "store/field_cipher.h"

namespace cordon::store {

// Errors: kNotFound (no file), kFailedPrecondition (readable by others, or a malformed line,
// named by its number), kUnavailable.
Result<std::vector<FieldKey>> ReadFieldKeys(const std::string& path);
Status WriteFieldKeys(const std::string& path, const std::vector<FieldKey>& keys);

// Gives `db` the cipher from the key file at `path`. A database that has sealed nothing yet and
// no key file gets a new key (written 0600 before anything is sealed with it); a database whose
// identifiers are sealed with a key the file lacks is refused with kFailedPrecondition naming the
// key, since a new key would leave every identifier unreadable. Call before Migrate.
Status LoadFieldCipher(Database& db, const std::string& path);

// After Migrate: the cipher's active key is the one the database was sealed with (its number and
// its check value). Two nodes starting on a new database at once may each have made a key;
// the one whose migration lost is refused here. Errors: kFailedPrecondition.
Status CheckFieldKey(Database& db);

// One identifier as the store keeps it.
struct SealedIdentifier {
  std::string sealed;  // the value sealed with the active key
  std::string index;   // the blind index for exact search and uniqueness
  std::string masked;  // the form lists show ("110105********002X", "138****5678")
};
SealedIdentifier SealIdNumber(const Session& s, std::string_view id_number);
SealedIdentifier SealPhone(const Session& s, std::string_view phone);

// The whole ID number of a person file, opened: for the few places that need it whole (an
// approved unmasked export, the tracing engine's directory). Lists read id_number_masked instead.
// Errors: kNotFound for no such file; kInternal when the value does not open.
Result<std::string> PersonIdNumber(Session& s, std::int64_t person_id);

// The program's part of migration 0024: seals the bare identifiers that the old columns hold and
// records the active key, inside the migration's transaction.
Status SealBareIdentifiers(Session& s, std::int64_t now);

struct KeyRotation {
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  std::int64_t values = 0;   // sealed values sealed again under the new key
  std::string retired_file;  // where the old key was kept, for backups taken before
};

// Makes a new key, seals every identifier again under it and rebuilds the blind indexes in one
// transaction, then makes it the only key in the file. The old key goes to
// `<path>.retired-<id>`, which backups taken before the rotation need. Every step can be
// interrupted: the file holds both keys until the database has changed over. Run with no server
// on the database (docs/operations.md).
Result<KeyRotation> RotateFieldKey(Database& db, const std::string& path, std::int64_t now);

}  // namespace cordon::store
