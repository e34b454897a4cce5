-- TOTP second factor (security.md D4). One row per user who has a secret: pending (enrolled_at
-- NULL) from the moment it was shown until the first good code, enrolled after. The secret is
-- the RFC 6238 key in base32, as the authenticator app holds it; it is never logged, audited or
-- shown again once enrolled. last_step is the 30-second time step of the last code accepted: a
-- code for that step or an earlier one is refused, so that a code works once (RFC 6238 5.2).
-- The secret is stored as it is until field encryption (B3) covers this column too.
CREATE TABLE user_totp (
  user_id INTEGER NOT NULL PRIMARY KEY REFERENCES users(id),
  secret TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  enrolled_at INTEGER,
  last_step INTEGER NOT NULL DEFAULT 0
);

-- The second step of a login: a password was right and a code is owed. Only the SHA-256 of the
-- challenge token is kept; a challenge lives 5 minutes and is deleted when it is used.
-- purpose: 'verify' (enrolled: a code opens the session) or 'enroll' (a city-wide role without
-- TOTP: a code for the pending secret enrols and opens the session).
CREATE TABLE mfa_challenges (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'enroll')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX mfa_challenges_user ON mfa_challenges (user_id);
