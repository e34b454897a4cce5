-- The region tree: city > district > street > community > grid. `path` is the codes from the
-- root joined by '/', with a leading and trailing '/', so that a subtree is one range scan:
-- path >= '/440100/440106/' AND path < '/440100/4401060'.
CREATE TABLE regions (
  code TEXT PRIMARY KEY,
  parent_code TEXT REFERENCES regions(code),
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
  name TEXT NOT NULL,
  path TEXT NOT NULL UNIQUE,
  population INTEGER NOT NULL DEFAULT 0,
  households INTEGER NOT NULL DEFAULT 0,
  age_0_2 INTEGER NOT NULL DEFAULT 0,
  age_3_11 INTEGER NOT NULL DEFAULT 0,
  age_12_17 INTEGER NOT NULL DEFAULT 0,
  age_18_59 INTEGER NOT NULL DEFAULT 0,
  age_60_plus INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX regions_parent ON regions (parent_code, code);

CREATE TABLE region_staff (
  id INTEGER PRIMARY KEY,
  region_code TEXT NOT NULL REFERENCES regions(code),
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT ''
);
CREATE INDEX region_staff_region ON region_staff (region_code);
