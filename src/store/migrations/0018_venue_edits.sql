-- Every node holds the venues and their contact rules in memory. On PostgreSQL several nodes
-- share one database: an edit of a venue (场所核实) bumps this version, and each node's follower
-- of the shared check-in log reloads its venues when it sees the version change.
CREATE TABLE venue_edits (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  version INTEGER NOT NULL
);
INSERT INTO venue_edits VALUES (1, 0);
