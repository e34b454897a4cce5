-- Check-ins live in their own engine (src/checkins/), which knows people and venues by the
-- numbers of their rows: venues get one here. A venue first seen in an imported check-in is
-- registered with type 'unknown' (the default window) and flagged for review; a person first
-- seen there gets a minimal, unverified file with no grid, in the inbox of the city level.
ALTER TABLE venues ADD COLUMN id INTEGER;
ALTER TABLE venues ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0;
UPDATE venues SET id = (SELECT COUNT(*) FROM venues v2 WHERE v2.code <= venues.code);
CREATE UNIQUE INDEX venues_id ON venues (id);

ALTER TABLE people ADD COLUMN unverified INTEGER NOT NULL DEFAULT 0;
CREATE INDEX people_unverified ON people (unverified, id);

-- The contact rule per venue type (domain.md section 7): the co-presence window, and whether
-- co-presence there makes spatiotemporal companions (时空伴随者) instead of close contacts.
CREATE TABLE venue_rules (
  profile_version INTEGER NOT NULL REFERENCES profiles(version),
  venue_type TEXT NOT NULL,
  window_seconds INTEGER NOT NULL CHECK (window_seconds BETWEEN 0 AND 86400),
  companion_only INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (profile_version, venue_type)
);
INSERT INTO venue_rules VALUES (1, 'restaurant', 1800, 0);
INSERT INTO venue_rules VALUES (1, 'market', 1800, 0);
INSERT INTO venue_rules VALUES (1, 'school', 1800, 0);
INSERT INTO venue_rules VALUES (1, 'office', 1800, 0);
INSERT INTO venue_rules VALUES (1, 'hospital', 1800, 0);
INSERT INTO venue_rules VALUES (1, 'hotel', 1800, 0);
INSERT INTO venue_rules VALUES (1, 'supermarket', 1800, 0);
INSERT INTO venue_rules VALUES (1, 'gym', 1800, 0);
INSERT INTO venue_rules VALUES (1, 'cinema', 1800, 0);
INSERT INTO venue_rules VALUES (1, 'unknown', 1800, 0);
-- A metro station or a railway hub: ±5 minutes, companions to test, not to quarantine.
INSERT INTO venue_rules VALUES (1, 'transit', 300, 1);

-- On PostgreSQL, several nodes share one database: check-ins are written once here, in the
-- order of their ids (writers are serialised), and every node's engine follows this log, so
-- that every node answers the same. On SQLite, one process, the engine's own log suffices and
-- this table stays empty.
CREATE TABLE checkin_log (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL,
  venue_id INTEGER NOT NULL,
  time INTEGER NOT NULL
);
CREATE INDEX checkin_log_time ON checkin_log (time);
