-- Exports (导出) of person-level lists (security.md E1-E6). Each row is one copy of a list
-- that left the system, or a request for one: an unmasked list waits for a second person's
-- approval. Kept as the record of who took what; the files themselves are made on download and
-- never stored.
CREATE TABLE exports (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('csv', 'xlsx')),
  filter TEXT NOT NULL,  -- canonical JSON of the filter, replayed on download
  unmasked INTEGER NOT NULL CHECK (unmasked IN (0, 1)),
  reason TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('ready', 'pending_approval', 'rejected')),
  requested_by INTEGER NOT NULL REFERENCES users(id),
  requested_at INTEGER NOT NULL,
  region_code TEXT NOT NULL REFERENCES regions(code),
  region_path TEXT NOT NULL,
  decided_by INTEGER REFERENCES users(id),
  decided_at INTEGER,
  decision_note TEXT NOT NULL DEFAULT '',
  expires_at INTEGER,
  downloads INTEGER NOT NULL DEFAULT 0,
  rows_out INTEGER,
  sha256 TEXT NOT NULL DEFAULT ''
);
CREATE INDEX exports_by_requester ON exports (requested_by, requested_at);
CREATE INDEX exports_pending ON exports (status, region_path);
