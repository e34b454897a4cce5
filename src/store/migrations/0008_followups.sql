-- Home-quarantine follow-ups (健康随访, twice a day at the profile's times) and the alerts they
-- raise (domain.md section 4): fever, symptoms, unreachable, refusal, leaving home, missed.
ALTER TABLE profiles ADD COLUMN followup_times TEXT NOT NULL DEFAULT '08:00,16:00';

CREATE TABLE followups (
  id INTEGER PRIMARY KEY,
  measure_id INTEGER NOT NULL REFERENCES measures(id),
  date TEXT NOT NULL,  -- local date
  slot INTEGER NOT NULL,  -- 1 = the first time of the day
  region_path TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'fever', 'symptoms', 'unreachable', 'refused',
                                           'left_home')),
  temperature REAL,
  symptoms TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL CHECK (source IN ('worker', 'self')),
  recorded_at INTEGER NOT NULL,
  recorded_by TEXT NOT NULL,
  UNIQUE (measure_id, date, slot)
);
CREATE INDEX followups_scope ON followups (date, region_path);

CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  measure_id INTEGER NOT NULL REFERENCES measures(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  region_code TEXT NOT NULL REFERENCES regions(code),
  region_path TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('fever', 'symptoms', 'unreachable', 'refused', 'violation',
                                     'missed')),
  cause TEXT NOT NULL UNIQUE,  -- "measure:date:slot:kind": one alert per cause, however often seen
  detail TEXT NOT NULL,
  raised_at INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
  closed_at INTEGER,
  closed_by TEXT,
  outcome TEXT
);
CREATE INDEX alerts_scope ON alerts (region_path, id);
CREATE INDEX alerts_open ON alerts (state, region_path);
