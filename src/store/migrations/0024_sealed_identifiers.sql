-- Encryption at rest of identifiers (security.md B3). Each identifier column gets three: the
-- value sealed with the installation's field key (store/field_cipher.h), a keyed hash for exact
-- search (the blind index), and the masked form that lists show. The program seals what the old
-- columns hold in this migration's transaction (store/field_keys.cc, SealPlainIdentifiers), and
-- 0025 drops the old columns.
ALTER TABLE people ADD COLUMN id_number_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN id_number_index TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN id_number_masked TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN phone_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN phone_index TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN phone_masked TEXT NOT NULL DEFAULT '';
ALTER TABLE user_totp ADD COLUMN secret_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE tip_offs ADD COLUMN contact_phone_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE tip_offs ADD COLUMN contact_phone_masked TEXT NOT NULL DEFAULT '';

-- Which field key seals and indexes now, and a keyed hash of a constant under it, so that a key
-- file holding another key under the same number is refused at start. The key itself is never
-- here: it lives in a 0600 file beside the data (<data>/field-keys).
CREATE TABLE field_key_state (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  active_key INTEGER NOT NULL,
  key_check TEXT NOT NULL,
  changed_at INTEGER NOT NULL
);
