-- Doubtful matches (疑似重复档案) queued for a person to decide, and merges of two person files
-- that can be undone (issue #3: duplicates that can never be merged are the most persistent
-- complaint about the systems in use). A merged file stays as a tombstone: merged_into names the
-- file it became, and its region_path is NULL, so no jurisdiction sees it (A7: fail closed).
ALTER TABLE people ADD COLUMN merged_into INTEGER REFERENCES people(id);

CREATE TABLE person_merges (
  id INTEGER PRIMARY KEY,
  kept_id INTEGER NOT NULL REFERENCES people(id),
  merged_id INTEGER NOT NULL REFERENCES people(id),
  kept_before TEXT NOT NULL,    -- the kept file's fields before the merge (JSON)
  merged_before TEXT NOT NULL,  -- the merged file's fields before the merge (JSON)
  moved TEXT NOT NULL,          -- the rows moved to the kept file, to move back on undo (JSON)
  kept_version INTEGER NOT NULL,  -- undo refuses once the kept file has changed since
  actor TEXT NOT NULL,
  at INTEGER NOT NULL,
  reason TEXT NOT NULL,
  undone_at INTEGER,
  undone_by TEXT,
  undo_reason TEXT
);
CREATE INDEX person_merges_kept ON person_merges (kept_id);
CREATE INDEX person_merges_merged ON person_merges (merged_id);

CREATE TABLE duplicate_pairs (
  id INTEGER PRIMARY KEY,
  left_id INTEGER NOT NULL REFERENCES people(id),   -- the smaller id of the two
  right_id INTEGER NOT NULL REFERENCES people(id),
  reason TEXT NOT NULL CHECK (reason IN ('same_name_phone', 'reported')),
  source TEXT NOT NULL,       -- the lead source, 'people' (a file entered by hand), 'scan', 'reported'
  note TEXT NOT NULL DEFAULT '',
  region_path TEXT NOT NULL,  -- the lowest region holding both files: who may decide
  status TEXT NOT NULL CHECK (status IN ('open', 'merged', 'kept_apart')),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  decided_at INTEGER,
  decided_by TEXT,
  decision_note TEXT,
  merge_id INTEGER REFERENCES person_merges(id),
  CHECK (left_id < right_id)
);
-- A pair is decided once: kept apart stays apart, however often the same rows come in again.
CREATE UNIQUE INDEX duplicate_pairs_pair ON duplicate_pairs (left_id, right_id);
CREATE INDEX duplicate_pairs_right ON duplicate_pairs (right_id);
CREATE INDEX duplicate_pairs_scope ON duplicate_pairs (status, region_path, id);
-- The scan of a jurisdiction for files sharing a name and a phone.
CREATE INDEX people_phone_name ON people (phone, name);
DROP INDEX people_phone;  -- (phone, name) serves every search by phone as well
