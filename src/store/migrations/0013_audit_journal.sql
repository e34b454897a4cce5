-- How far the audit journal of each node has been copied into `audit` (src/auth/audit_journal.h):
-- the copy and this mark commit together, so that a restart replays exactly what is missing.
CREATE TABLE audit_journal (
  node TEXT PRIMARY KEY,
  copied_seq INTEGER NOT NULL
);
