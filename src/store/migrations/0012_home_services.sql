-- Services for people under home measures (seed 004 items 19-20): shopping on their behalf
-- (代购, with the money advanced and repaid) and rubbish collection rounds (垃圾清运), each
-- followed to closure; and public tip-offs (有奖举报) of people who break their measures or hide
-- their travel, routed to the grid of the address and closed as verified or unfounded.
CREATE TABLE home_services (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('shopping', 'rubbish')),
  measure_id INTEGER NOT NULL REFERENCES measures(id),
  region_path TEXT NOT NULL,  -- the measure's
  status TEXT NOT NULL CHECK (status IN ('open', 'done')),
  detail TEXT NOT NULL,
  advanced_cents INTEGER NOT NULL DEFAULT 0 CHECK (advanced_cents >= 0),
  repaid_cents INTEGER NOT NULL DEFAULT 0 CHECK (repaid_cents >= 0),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  done_at INTEGER,
  done_by TEXT,
  outcome TEXT
);
CREATE INDEX home_services_scope ON home_services (region_path, id);
CREATE INDEX home_services_measure ON home_services (measure_id);

CREATE TABLE tip_offs (
  id INTEGER PRIMARY KEY,
  address TEXT NOT NULL,
  detail TEXT NOT NULL,
  contact_phone TEXT NOT NULL DEFAULT '',  -- for the reward; empty when anonymous
  region_code TEXT NOT NULL REFERENCES regions(code),
  region_path TEXT NOT NULL,
  unrouted INTEGER NOT NULL DEFAULT 0,  -- no grid found for the address: the city's inbox
  status TEXT NOT NULL CHECK (status IN ('open', 'verified', 'unfounded')),
  reward_cents INTEGER NOT NULL DEFAULT 0 CHECK (reward_cents >= 0),
  created_at INTEGER NOT NULL,
  closed_at INTEGER,
  closed_by TEXT,
  outcome TEXT
);
CREATE INDEX tip_offs_scope ON tip_offs (region_path, id);
