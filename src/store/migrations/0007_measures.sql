-- Control measures (管控措施) and the disease profile whose plans set them (domain.md section 3).
-- A profile is never edited in place: a change is a new version, and every measure keeps the
-- version it was made under.
CREATE TABLE profiles (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);

CREATE TABLE plan_steps (
  profile_version INTEGER NOT NULL REFERENCES profiles(version),
  category TEXT NOT NULL,
  step INTEGER NOT NULL,  -- 1, 2, …: a plan is a chain of measures
  measure TEXT NOT NULL,
  days INTEGER NOT NULL,  -- 0: open-ended (定点医院收治 until discharge)
  test_days TEXT NOT NULL,  -- "1,2,3,5,7", "every 2", or ""
  followups_per_day INTEGER NOT NULL,
  PRIMARY KEY (profile_version, category, step)
);

-- National protocol, 9th edition (2022): the default plans of domain.md section 3.
INSERT INTO profiles (version, name, created_at, created_by)
  VALUES (1, '新冠肺炎防控方案（第九版）', 0, 'migration');
INSERT INTO plan_steps VALUES (1, 'close_contact', 1, 'central_quarantine', 7, '1,2,3,5,7', 2);
INSERT INTO plan_steps VALUES (1, 'close_contact', 2, 'home_monitoring', 3, '3', 2);
INSERT INTO plan_steps VALUES (1, 'inbound', 1, 'central_quarantine', 7, '1,2,3,5,7', 2);
INSERT INTO plan_steps VALUES (1, 'inbound', 2, 'home_monitoring', 3, '3', 2);
INSERT INTO plan_steps VALUES (1, 'secondary_contact', 1, 'home_quarantine', 7, '1,4,7', 2);
INSERT INTO plan_steps VALUES (1, 'high_risk_area', 1, 'central_quarantine', 7, '1,2,3,5,7', 2);
INSERT INTO plan_steps VALUES (1, 'medium_risk_area', 1, 'home_quarantine', 7, '1,4,7', 2);
INSERT INTO plan_steps VALUES (1, 'low_risk_area', 1, 'health_monitoring', 3, '1,3', 1);
INSERT INTO plan_steps VALUES (1, 'recovered', 1, 'home_monitoring', 7, '7', 2);
INSERT INTO plan_steps VALUES (1, 'fever', 1, 'temporary_control', 1, '1', 2);
INSERT INTO plan_steps VALUES (1, 'pool_positive', 1, 'temporary_control', 1, '1', 2);
INSERT INTO plan_steps VALUES (1, 'suspected', 1, 'hospital', 0, '', 0);
INSERT INTO plan_steps VALUES (1, 'asymptomatic', 1, 'hospital', 0, '', 0);
INSERT INTO plan_steps VALUES (1, 'confirmed', 1, 'hospital', 0, '', 0);

CREATE TABLE measures (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id),
  category TEXT NOT NULL,
  profile_version INTEGER NOT NULL REFERENCES profiles(version),
  step INTEGER NOT NULL,
  measure TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('planned', 'active', 'extended', 'released', 'escalated',
                                       'transferred', 'cancelled')),
  place TEXT NOT NULL DEFAULT '',
  start_date TEXT NOT NULL,  -- the local date of day 1
  end_date TEXT,             -- the last day (inclusive); NULL when open-ended
  days INTEGER NOT NULL,
  extended_days INTEGER NOT NULL DEFAULT 0,
  test_days TEXT NOT NULL,
  followups_per_day INTEGER NOT NULL,
  region_code TEXT NOT NULL REFERENCES regions(code),
  region_path TEXT NOT NULL,
  previous_id INTEGER REFERENCES measures(id),  -- the measure this one follows or replaces
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- One current measure per person.
CREATE UNIQUE INDEX measures_one_current ON measures (person_id)
  WHERE state IN ('planned', 'active', 'extended');
CREATE INDEX measures_scope ON measures (region_path, id);
-- Counts by measure and releases due, read from the index alone.
CREATE INDEX measures_counts ON measures (region_path, state, measure, end_date);

-- The test days of a measure, with their dates, and the result once recorded. A measure that
-- ends early (cancelled, escalated, transferred) voids its remaining days. region_path is the
-- measure's, so that "tests due today" in a jurisdiction is one index range.
CREATE TABLE measure_test_days (
  measure_id INTEGER NOT NULL REFERENCES measures(id),
  day INTEGER NOT NULL,
  date TEXT NOT NULL,
  region_path TEXT NOT NULL,
  result TEXT CHECK (result IN ('negative', 'positive', 'void')),
  recorded_at INTEGER,
  recorded_by TEXT,
  PRIMARY KEY (measure_id, day)
);
CREATE INDEX measure_test_days_due ON measure_test_days (date, region_path) WHERE result IS NULL;

-- Every step of a measure's life: who, when, from which state to which, why.
CREATE TABLE measure_events (
  id INTEGER PRIMARY KEY,
  measure_id INTEGER NOT NULL REFERENCES measures(id),
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT NOT NULL DEFAULT '',
  to_state TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX measure_events_measure ON measure_events (measure_id, id);
