-- Venues where people check in (场所码): restaurants, markets, schools, offices, transit, ...
CREATE TABLE venues (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  lat REAL,
  lon REAL,
  region_code TEXT REFERENCES regions(code),
  region_path TEXT
);
CREATE INDEX venues_scope ON venues (region_path, code);
