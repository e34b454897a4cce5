-- The first administrator of a fresh installation (security.md D6): there is no default account;
-- a server that finds no user makes a one-time token, valid 60 minutes, kept here as SHA-256
-- only (the token itself goes to a 0600 file in the data directory).
CREATE TABLE bootstrap_tokens (
  token_hash TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
