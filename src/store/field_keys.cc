#include "store/field_keys.h"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "base/masking.h"
#include "base/secret_file.h"

namespace cordon::store {
namespace {

std::string KeyLine(const FieldKey& key) {
  std::string b64(sodium_base64_ENCODED_LEN(key.secret.size(), sodium_base64_VARIANT_ORIGINAL),
                  '\0');
  sodium_bin2base64(b64.data(), b64.size(), key.secret.data(), key.secret.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  b64.resize(std::strlen(b64.c_str()));
  return std::to_string(key.id) + " " + b64 + "\n";
}

FieldKey NewKey(std::uint32_t id) {
  FieldKey key;
  key.id = id;
  randombytes_buf(key.secret.data(), key.secret.size());
  return key;
}

// The key the database says is active, or none when it has sealed nothing yet (a new database,
// or one from before migration 0024).
Result<std::optional<std::uint32_t>> ActiveKey(Database& db) {
  std::optional<std::uint32_t> active;
  Status read = db.Read([&](Session& s) {
    return s.Query("SELECT active_key FROM field_key_state WHERE one = 1", {}, [&](const Row& row) {
      active = static_cast<std::uint32_t>(row.Int(0));
      return Status::Ok();
    });
  });
  if (!read.ok()) {
    // No such table yet: nothing is sealed.
    return std::optional<std::uint32_t>();
  }
  return active;
}

// A person_merges snapshot (duplicates/moves.h) with its ID number and phone passed through
// `change`: sealing bare ones at migration 0024, sealing again at a rotation.
Result<std::string> ChangeSnapshot(
    const std::string& stored,
    const std::function<Result<std::string>(SealedField, const std::string&)>& change) {
  nlohmann::json fields = nlohmann::json::parse(stored, nullptr, false);
  if (fields.is_discarded() || !fields.is_object()) {
    return Internal("a person_merges snapshot is not JSON");
  }
  for (const auto& [key, field] :
       {std::pair{"id_number", SealedField::kIdNumber}, std::pair{"phone", SealedField::kPhone}}) {
    if (fields.contains(key) && fields[key].is_string()) {
      CORDON_ASSIGN_OR_RETURN(std::string changed, change(field, fields[key].get<std::string>()));
      fields[key] = changed;
    }
  }
  return fields.dump();
}

Status ChangeSnapshots(
    Session& s, const std::function<Result<std::string>(SealedField, const std::string&)>& change) {
  struct Merge {
    std::int64_t id;
    std::string kept, merged;
  };
  std::vector<Merge> merges;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT id, kept_before, merged_before FROM person_merges", {}, [&](const Row& row) {
        merges.push_back({row.Int(0), row.Text(1), row.Text(2)});
        return Status::Ok();
      }));
  for (const Merge& m : merges) {
    CORDON_ASSIGN_OR_RETURN(std::string kept, ChangeSnapshot(m.kept, change));
    CORDON_ASSIGN_OR_RETURN(std::string merged, ChangeSnapshot(m.merged, change));
    CORDON_RETURN_IF_ERROR(
        s.Exec("UPDATE person_merges SET kept_before = ?, merged_before = ? WHERE id = ?",
               {kept, merged, m.id})
            .status());
  }
  return Status::Ok();
}

// The check value of the active key: a keyed hash of a constant, which only that key gives.
std::string KeyCheck(const FieldCipher& c) { return c.Index(SealedField::kKeyCheck, "cordon"); }

}  // namespace

Result<std::vector<FieldKey>> ReadFieldKeys(const std::string& path) {
  if (sodium_init() < 0) {
    return Internal("libsodium failed to start");
  }
  CORDON_ASSIGN_OR_RETURN(std::string text, base::ReadSecretFile(path));
  std::vector<FieldKey> keys;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') {
      continue;
    }
    const auto space = line.find(' ');
    FieldKey key;
    std::size_t size = 0;
    const bool id_ok =
        space != std::string::npos &&
        std::from_chars(line.data(), line.data() + space, key.id).ec == std::errc() && key.id > 0;
    if (!id_ok ||
        sodium_base642bin(key.secret.data(), key.secret.size(), line.data() + space + 1,
                          line.size() - space - 1, " \r", &size, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        size != key.secret.size()) {
      return FailedPrecondition(path + " line " + std::to_string(number) +
                                ": not a field key (\"<id> <base64 of 32 bytes>\")");
    }
    keys.push_back(key);
  }
  if (keys.empty()) {
    return FailedPrecondition(path + " holds no field key");
  }
  return keys;
}

Status WriteFieldKeys(const std::string& path, const std::vector<FieldKey>& keys) {
  std::string text =
      "# Cordon field keys (security.md B3): without them no ID number or phone in the database "
      "can be read.\n# Keep a copy apart from the backups; never put it beside them.\n";
  for (const FieldKey& key : keys) {
    text += KeyLine(key);
  }
  Status written = base::WriteSecretFile(path, text);
  sodium_memzero(text.data(), text.size());
  return written;
}

Status LoadFieldCipher(Database& db, const std::string& path) {
  if (sodium_init() < 0) {
    return Internal("libsodium failed to start");
  }
  CORDON_ASSIGN_OR_RETURN(std::optional<std::uint32_t> active, ActiveKey(db));
  auto keys = ReadFieldKeys(path);
  if (!keys.has_value() && keys.error().code() == StatusCode::kNotFound) {
    if (active.has_value()) {
      return FailedPrecondition("the identifiers in this database are sealed with field key " +
                                std::to_string(*active) + ", but " + path +
                                " does not exist: restore the key file (docs/operations.md)");
    }
    CORDON_RETURN_IF_ERROR(WriteFieldKeys(path, {NewKey(1)}));
    keys = ReadFieldKeys(path);
  }
  if (!keys.has_value()) {
    return keys.error();
  }
  std::uint32_t chosen = 0;
  for (const FieldKey& k : *keys) {
    chosen = std::max(chosen, k.id);
  }
  if (active.has_value()) {
    chosen = *active;
  }
  auto cipher = FieldCipher::Make(*keys, chosen);
  for (FieldKey& k : *keys) {
    sodium_memzero(k.secret.data(), k.secret.size());
  }
  if (!cipher.has_value()) {
    return FailedPrecondition("the identifiers in this database are sealed with field key " +
                              std::to_string(chosen) + ", which " + path +
                              " does not hold: restore the key file (docs/operations.md)");
  }
  db.SetFieldCipher(*cipher);
  if (active.has_value()) {
    return CheckFieldKey(db);
  }
  return Status::Ok();
}

Status CheckFieldKey(Database& db) {
  const FieldCipher* cipher = db.field_cipher().get();
  if (cipher == nullptr) {
    return FailedPrecondition("no field key was loaded");
  }
  std::optional<std::pair<std::uint32_t, std::string>> state;
  CORDON_RETURN_IF_ERROR(db.Read([&](Session& s) {
    return s.Query("SELECT active_key, key_check FROM field_key_state WHERE one = 1", {},
                   [&](const Row& row) {
                     state = {static_cast<std::uint32_t>(row.Int(0)), row.Text(1)};
                     return Status::Ok();
                   });
  }));
  if (!state.has_value()) {
    return FailedPrecondition("the database records no field key: it was not migrated");
  }
  if (state->first != cipher->active_key() || state->second != KeyCheck(*cipher)) {
    return FailedPrecondition("the key file holds another key " + std::to_string(state->first) +
                              " than the one this database's identifiers are sealed with: "
                              "restore the installation's key file (docs/operations.md)");
  }
  return Status::Ok();
}

SealedIdentifier SealIdNumber(const Session& s, std::string_view id_number) {
  const FieldCipher& c = s.Fields();
  return {c.Seal(SealedField::kIdNumber, id_number), c.Index(SealedField::kIdNumber, id_number),
          id_number.empty() ? std::string() : base::MaskIdNumber(id_number)};
}

SealedIdentifier SealPhone(const Session& s, std::string_view phone) {
  const FieldCipher& c = s.Fields();
  return {c.Seal(SealedField::kPhone, phone), c.Index(SealedField::kPhone, phone),
          phone.empty() ? std::string() : base::MaskPhone(phone)};
}

Result<std::string> PersonIdNumber(Session& s, std::int64_t person_id) {
  std::optional<std::string> sealed;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT id_number_sealed FROM people WHERE id = ?", {person_id}, [&](const Row& row) {
        sealed = row.Text(0);
        return Status::Ok();
      }));
  if (!sealed.has_value()) {
    return NotFound("no person file " + std::to_string(person_id));
  }
  return s.Fields().Open(SealedField::kIdNumber, *sealed);
}

Status SealBareIdentifiers(Session& s, std::int64_t now) {
  struct Bare {
    std::int64_t id;
    std::string a, b;
  };
  std::vector<Bare> people;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT id, id_number, phone FROM people", {}, [&](const Row& row) {
        people.push_back({row.Int(0), row.Text(1), row.Text(2)});
        return Status::Ok();
      }));
  for (Bare& p : people) {
    const SealedIdentifier id = SealIdNumber(s, p.a);
    const SealedIdentifier phone = SealPhone(s, p.b);
    CORDON_RETURN_IF_ERROR(
        s.Exec("UPDATE people SET id_number_sealed = ?, id_number_index = ?, "
               "id_number_masked = ?, phone_sealed = ?, phone_index = ?, phone_masked = ? "
               "WHERE id = ?",
               {id.sealed, id.index, id.masked, phone.sealed, phone.index, phone.masked, p.id})
            .status());
  }
  std::vector<Bare> secrets;
  CORDON_RETURN_IF_ERROR(s.Query("SELECT user_id, secret FROM user_totp", {}, [&](const Row& row) {
    secrets.push_back({row.Int(0), row.Text(1), {}});
    return Status::Ok();
  }));
  for (const Bare& t : secrets) {
    CORDON_RETURN_IF_ERROR(s.Exec("UPDATE user_totp SET secret_sealed = ? WHERE user_id = ?",
                                  {s.Fields().Seal(SealedField::kTotpSecret, t.a), t.id})
                               .status());
  }
  std::vector<Bare> tips;
  CORDON_RETURN_IF_ERROR(s.Query("SELECT id, contact_phone FROM tip_offs", {}, [&](const Row& row) {
    tips.push_back({row.Int(0), row.Text(1), {}});
    return Status::Ok();
  }));
  for (const Bare& t : tips) {
    CORDON_RETURN_IF_ERROR(
        s.Exec("UPDATE tip_offs SET contact_phone_sealed = ?, contact_phone_masked = ? "
               "WHERE id = ?",
               {s.Fields().Seal(SealedField::kTipOffPhone, t.a),
                t.a.empty() ? std::string() : base::MaskPhone(t.a), t.id})
            .status());
  }
  CORDON_RETURN_IF_ERROR(
      ChangeSnapshots(s, [&](SealedField field, const std::string& bare) -> Result<std::string> {
        return s.Fields().Seal(field, bare);
      }));
  return s
      .Exec(
          "INSERT INTO field_key_state (one, active_key, key_check, changed_at) "
          "VALUES (1, ?, ?, ?)",
          {static_cast<std::int64_t>(s.Fields().active_key()), KeyCheck(s.Fields()), now})
      .status();
}

Result<KeyRotation> RotateFieldKey(Database& db, const std::string& path, std::int64_t now) {
  CORDON_ASSIGN_OR_RETURN(std::vector<FieldKey> keys, ReadFieldKeys(path));
  CORDON_ASSIGN_OR_RETURN(std::optional<std::uint32_t> active, ActiveKey(db));
  if (!active.has_value()) {
    return FailedPrecondition("this database has sealed nothing yet: start it once first");
  }
  KeyRotation report;
  report.from = *active;
  std::uint32_t newest = 0;
  for (const FieldKey& k : keys) {
    newest = std::max(newest, k.id);
  }
  // A rotation interrupted before the database changed over left its new key in the file: take
  // that one, so that no value is sealed under a key that is then lost.
  if (newest <= *active) {
    newest = *active + 1;
    keys.push_back(NewKey(newest));
    CORDON_RETURN_IF_ERROR(WriteFieldKeys(path, keys));
  }
  report.to = newest;
  // Holds every key, so that each value opens under the key it names; seals under the new one.
  CORDON_ASSIGN_OR_RETURN(std::shared_ptr<const FieldCipher> next, FieldCipher::Make(keys, newest));
  auto before = db.field_cipher();
  db.SetFieldCipher(next);
  Status changed = db.Write([&](Session& s) {
    struct Row3 {
      std::int64_t id;
      std::string a, b;
    };
    const FieldCipher& c = s.Fields();
    std::vector<Row3> rows;
    CORDON_RETURN_IF_ERROR(
        s.Query("SELECT id, id_number_sealed, phone_sealed FROM people", {}, [&](const Row& row) {
          rows.push_back({row.Int(0), row.Text(1), row.Text(2)});
          return Status::Ok();
        }));
    for (const Row3& p : rows) {
      CORDON_ASSIGN_OR_RETURN(std::string id_number, c.Open(SealedField::kIdNumber, p.a));
      CORDON_ASSIGN_OR_RETURN(std::string phone_number, c.Open(SealedField::kPhone, p.b));
      const SealedIdentifier id = SealIdNumber(s, id_number);
      const SealedIdentifier phone = SealPhone(s, phone_number);
      CORDON_RETURN_IF_ERROR(s.Exec("UPDATE people SET id_number_sealed = ?, id_number_index = ?, "
                                    "phone_sealed = ?, phone_index = ? WHERE id = ?",
                                    {id.sealed, id.index, phone.sealed, phone.index, p.id})
                                 .status());
      report.values += (p.a.empty() ? 0 : 1) + (p.b.empty() ? 0 : 1);
    }
    rows.clear();
    CORDON_RETURN_IF_ERROR(
        s.Query("SELECT user_id, secret_sealed FROM user_totp", {}, [&](const Row& row) {
          rows.push_back({row.Int(0), row.Text(1), {}});
          return Status::Ok();
        }));
    for (const Row3& t : rows) {
      CORDON_ASSIGN_OR_RETURN(std::string secret, c.Open(SealedField::kTotpSecret, t.a));
      CORDON_RETURN_IF_ERROR(s.Exec("UPDATE user_totp SET secret_sealed = ? WHERE user_id = ?",
                                    {c.Seal(SealedField::kTotpSecret, secret), t.id})
                                 .status());
      report.values += 1;
    }
    rows.clear();
    CORDON_RETURN_IF_ERROR(
        s.Query("SELECT id, contact_phone_sealed FROM tip_offs WHERE contact_phone_sealed <> ''",
                {}, [&](const Row& row) {
                  rows.push_back({row.Int(0), row.Text(1), {}});
                  return Status::Ok();
                }));
    for (const Row3& t : rows) {
      CORDON_ASSIGN_OR_RETURN(std::string phone, c.Open(SealedField::kTipOffPhone, t.a));
      CORDON_RETURN_IF_ERROR(s.Exec("UPDATE tip_offs SET contact_phone_sealed = ? WHERE id = ?",
                                    {c.Seal(SealedField::kTipOffPhone, phone), t.id})
                                 .status());
      report.values += 1;
    }
    CORDON_RETURN_IF_ERROR(ChangeSnapshots(
        s, [&](SealedField field, const std::string& sealed) -> Result<std::string> {
          CORDON_ASSIGN_OR_RETURN(std::string bare, c.Open(field, sealed));
          return c.Seal(field, bare);
        }));
    return s
        .Exec(
            "UPDATE field_key_state SET active_key = ?, key_check = ?, changed_at = ? "
            "WHERE one = 1",
            {static_cast<std::int64_t>(newest), KeyCheck(c), now})
        .status();
  });
  if (!changed.ok()) {
    db.SetFieldCipher(before);
    return changed;
  }
  // The database has changed over; the old key now opens only backups taken before.
  std::vector<FieldKey> kept, retired;
  for (const FieldKey& k : keys) {
    (k.id == newest ? kept : retired).push_back(k);
  }
  report.retired_file = path + ".retired-" + std::to_string(report.from);
  CORDON_RETURN_IF_ERROR(WriteFieldKeys(report.retired_file, retired));
  CORDON_RETURN_IF_ERROR(WriteFieldKeys(path, kept));
  CORDON_ASSIGN_OR_RETURN(std::shared_ptr<const FieldCipher> only, FieldCipher::Make(kept, newest));
  db.SetFieldCipher(only);
  for (FieldKey& k : keys) {
    sodium_memzero(k.secret.data(), k.secret.size());
  }
  return report;
}

}  // namespace cordon::store
