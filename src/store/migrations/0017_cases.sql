-- Cases (病例), their investigation records (流调报告), who infected whom (传播链), clusters
-- (聚集性疫情), the contacts listed for each case, and the targets of the timeliness clock
-- (domain.md section 7). Every case copies its person's region so that the jurisdiction is a
-- range on an index of this table, as measures do.
CREATE TABLE clusters (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  region_code TEXT NOT NULL REFERENCES regions(code),
  region_path TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX clusters_scope ON clusters (region_path, id);

CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id),
  classification TEXT NOT NULL CHECK (classification IN ('confirmed', 'asymptomatic',
                                                         'suspected')),
  positive_at INTEGER NOT NULL,
  sampling_at INTEGER,
  onset_date TEXT,  -- local YYYY-MM-DD; NULL for an asymptomatic infection
  reported_at INTEGER,
  hospital TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL DEFAULT 'under_treatment'
    CHECK (outcome IN ('under_treatment', 'recovered', 'died', 'excluded')),
  cluster_id INTEGER REFERENCES clusters(id),
  -- Derived from onset, sampling and positive times whenever one changes: the clock's SQL
  -- needs it to tell a contact's measure taken for this case from an older one.
  lookback_from INTEGER NOT NULL,
  contacts_listed_at INTEGER,  -- the first time contacts were listed for the case
  region_code TEXT NOT NULL REFERENCES regions(code),
  region_path TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
-- One open case per person: a second positive result belongs to the case already open.
CREATE UNIQUE INDEX cases_one_open ON cases (person_id) WHERE outcome = 'under_treatment';
-- Lists are newest first inside a jurisdiction: the range, then a sort of its few cases.
CREATE INDEX cases_scope ON cases (region_path, positive_at, id);
-- ... and, for the whole city, the keyset order itself.
CREATE INDEX cases_recent ON cases (positive_at, id);
CREATE INDEX cases_cluster ON cases (cluster_id);
CREATE INDEX cases_person ON cases (person_id);

-- The investigation record: where the case was, whom they met, what they did, in time order.
-- A deleted entry is kept (deleted_at set): the record is evidence.
CREATE TABLE case_investigation (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  at INTEGER NOT NULL,
  until_at INTEGER,
  kind TEXT NOT NULL CHECK (kind IN ('place', 'person', 'activity', 'travel')),
  venue_code TEXT REFERENCES venues(code),
  person_id INTEGER REFERENCES people(id),
  place TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  author TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER,
  deleted_by TEXT
);
CREATE INDEX case_investigation_case ON case_investigation (case_id, at, id);

-- Who infected whom, between people (a source need not be a case here: an imported case's
-- source lives elsewhere). A pair is recorded once, and the links never form a loop.
CREATE TABLE exposures (
  id INTEGER PRIMARY KEY,
  source_person_id INTEGER NOT NULL REFERENCES people(id),
  target_person_id INTEGER NOT NULL REFERENCES people(id),
  kind TEXT NOT NULL CHECK (kind IN ('household', 'named', 'co_presence', 'unknown')),
  at INTEGER,
  venue_code TEXT REFERENCES venues(code),
  note TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  CHECK (source_person_id <> target_person_id)
);
CREATE UNIQUE INDEX exposures_pair ON exposures (source_person_id, target_person_id);
CREATE INDEX exposures_target ON exposures (target_person_id);

-- The contacts listed for a case (by the trace module or investigators), each with the lead
-- that put them on a screening task. Degree 1: close contact; 2: secondary contact.
CREATE TABLE case_contacts (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  degree INTEGER NOT NULL CHECK (degree IN (1, 2)),
  kind TEXT NOT NULL DEFAULT '',
  lead_id INTEGER REFERENCES leads(id),
  listed_at INTEGER NOT NULL,
  PRIMARY KEY (case_id, person_id)
);
CREATE INDEX case_contacts_person ON case_contacts (person_id);

-- When a close contact came under control is read from their measures' history, through
-- measures_person (person_id, state) of migration 0011.

-- The clock's targets (seed 003: 早、快、准), hours from the positive result.
ALTER TABLE profiles ADD COLUMN reported_hours INTEGER NOT NULL DEFAULT 2;
ALTER TABLE profiles ADD COLUMN listed_hours INTEGER NOT NULL DEFAULT 12;
ALTER TABLE profiles ADD COLUMN controlled_hours INTEGER NOT NULL DEFAULT 24;
