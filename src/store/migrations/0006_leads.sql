-- Leads (线索) from every source, deduplicated into one open task (排查任务) per person
-- (domain.md section 3; seed 002: 避免无效重复往返).
CREATE TABLE lead_imports (
  id INTEGER PRIMARY KEY,
  file_hash TEXT NOT NULL UNIQUE,  -- a re-import of the same bytes changes nothing
  file_name TEXT NOT NULL,
  source TEXT NOT NULL,
  actor TEXT NOT NULL,
  region_path TEXT NOT NULL,  -- the importer's jurisdiction: who may read the report
  created_at INTEGER NOT NULL,
  accepted INTEGER NOT NULL,
  merged INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  report TEXT NOT NULL  -- the per-row report (JSON), answered again on a re-import
);

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id),
  status TEXT NOT NULL CHECK (status IN ('open', 'checked')),
  category TEXT NOT NULL,
  region_code TEXT NOT NULL REFERENCES regions(code),
  region_path TEXT NOT NULL,
  unrouted INTEGER NOT NULL DEFAULT 0,  -- no grid found: waiting in a higher level's inbox
  created_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,              -- to be visited or called by then
  checked_at INTEGER,
  checked_by TEXT,
  check_method TEXT,
  check_note TEXT
);
-- One person, one open task, however many sources report them.
CREATE UNIQUE INDEX tasks_one_open ON tasks (person_id) WHERE status = 'open';
CREATE INDEX tasks_scope ON tasks (region_path, id);

CREATE TABLE leads (
  id INTEGER PRIMARY KEY,
  row_key TEXT NOT NULL UNIQUE,  -- the same lead from the same source is kept once
  source TEXT NOT NULL,
  import_id INTEGER REFERENCES lead_imports(id),
  line INTEGER,
  person_id INTEGER NOT NULL REFERENCES people(id),
  task_id INTEGER NOT NULL REFERENCES tasks(id),
  category TEXT NOT NULL,
  origin TEXT NOT NULL DEFAULT '',
  reported_at INTEGER,
  notes TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
);
CREATE INDEX leads_task ON leads (task_id);
CREATE INDEX leads_person ON leads (person_id);

-- Routing a new person's address to a grid goes by the households already on file.
CREATE INDEX households_address ON households (address);
