-- End-of-incident purges (数据销毁, security.md F3): an administrator asks, a second person of the
-- command centre approves, and every person-level row of the installation is deleted in one
-- transaction. The certificate (counts per table, times, approvers, the statistics kept, the
-- audit chain's head) is signed with the installation's Ed25519 key and kept here.
CREATE TABLE purges (
  id INTEGER PRIMARY KEY,
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'rejected', 'done')),
  requested_by INTEGER NOT NULL REFERENCES users(id),
  requested_at INTEGER NOT NULL,
  decided_by INTEGER REFERENCES users(id),
  decided_at INTEGER,
  decision_note TEXT NOT NULL DEFAULT '',
  executed_at INTEGER,
  certificate TEXT NOT NULL DEFAULT '',  -- canonical JSON, the signed bytes
  signature TEXT NOT NULL DEFAULT '',    -- Ed25519 over `certificate`, base64
  public_key TEXT NOT NULL DEFAULT ''    -- the key that signed it, base64
);
-- At most one request waits at a time.
CREATE UNIQUE INDEX purges_one_pending ON purges (status) WHERE status = 'pending';
