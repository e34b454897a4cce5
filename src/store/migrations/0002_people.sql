-- Person files (一人一档). region_path is copied from the region so that the jurisdiction
-- predicate is a range on an index of this table; a person with no region has NULL there and is
-- visible to nobody's subtree (A7: fail closed).
CREATE TABLE households (
  id INTEGER PRIMARY KEY,
  region_code TEXT NOT NULL REFERENCES regions(code),
  address TEXT NOT NULL
);
CREATE INDEX households_region ON households (region_code);

CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  id_type TEXT NOT NULL CHECK (id_type IN ('resident_id', 'passport', 'other')),
  id_number TEXT NOT NULL,
  name TEXT NOT NULL,
  sex TEXT NOT NULL CHECK (sex IN ('M', 'F')),
  birth_date TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  household_id INTEGER REFERENCES households(id),
  region_code TEXT REFERENCES regions(code),
  region_path TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX people_id_number ON people (id_type, id_number);
CREATE INDEX people_id_number_only ON people (id_number);
CREATE INDEX people_phone ON people (phone);
CREATE INDEX people_scope ON people (region_path, id);
CREATE INDEX people_name ON people (name, id);
CREATE INDEX people_household ON people (household_id);
