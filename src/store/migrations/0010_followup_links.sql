-- Personal self-report links (自我健康申报): a person under a measure with follow-ups reports
-- temperature and symptoms from their own phone, with no account. The link carries a random
-- token shown once; only its SHA-256 is stored. Issuing a new link revokes the old one; a link
-- works while its measure runs.
CREATE TABLE followup_links (
  id INTEGER PRIMARY KEY,
  measure_id INTEGER NOT NULL REFERENCES measures(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX followup_links_measure ON followup_links (measure_id);
