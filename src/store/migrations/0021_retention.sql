-- Retention (security.md F1, F2): how long each kind of person-level record is kept once its
-- reference date has passed, and the record of every deletion run. The periods are settings an
-- administrator changes (audited); the job (src/retention) deletes what is past due, physically.
CREATE TABLE retention_policies (
  entity TEXT PRIMARY KEY CHECK (entity IN ('close_contact', 'quarantine_stay', 'case',
                                            'tip_off', 'person')),
  days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 3650),
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL
);
-- Two incubation periods (2 x 14 days) and a little: a contact, a stay or a tip-off closed a
-- month ago no longer needs its file. A closed case is kept half a year for the revisits of
-- recovered patients and the epidemiological review. A person file goes 30 days after the last
-- record that holds it.
INSERT INTO retention_policies VALUES ('close_contact', 30, 0, 'migration');
INSERT INTO retention_policies VALUES ('quarantine_stay', 30, 0, 'migration');
INSERT INTO retention_policies VALUES ('case', 180, 0, 'migration');
INSERT INTO retention_policies VALUES ('tip_off', 30, 0, 'migration');
INSERT INTO retention_policies VALUES ('person', 30, 0, 'migration');

CREATE TABLE retention_runs (
  id INTEGER PRIMARY KEY,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  actor TEXT NOT NULL,     -- the administrator who ran it, or 'retention-job'
  outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'error')),
  deleted TEXT NOT NULL,   -- JSON: records deleted per entity and rows per table
  error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX retention_runs_started ON retention_runs (started_at);
