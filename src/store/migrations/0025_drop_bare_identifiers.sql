-- The bare identifiers are sealed now (0024): the old columns and their indexes go, and exact
-- search and uniqueness move to the blind indexes.
DROP INDEX people_id_number;
DROP INDEX people_id_number_only;
DROP INDEX people_phone_name;
ALTER TABLE people DROP COLUMN id_number;
ALTER TABLE people DROP COLUMN phone;
CREATE UNIQUE INDEX people_id_number ON people (id_type, id_number_index);
CREATE INDEX people_id_number_only ON people (id_number_index);
CREATE INDEX people_phone_name ON people (phone_index, name);
ALTER TABLE user_totp DROP COLUMN secret;
ALTER TABLE tip_offs DROP COLUMN contact_phone;
