-- Accounts: what the list of a user's active sessions shows, so they can
-- recognise and end one.
--
-- handle is a random public ID of a session for that list and its "End"
-- buttons: the cookie's token and its hash never leave the server. client is
-- a short label derived from the User-Agent ("Firefox on Linux"), nothing
-- that identifies a person or a place (no addresses). last_seen_at is
-- refreshed at most once a minute per session.
ALTER TABLE sessions ADD COLUMN handle TEXT;
ALTER TABLE sessions ADD COLUMN client TEXT NOT NULL DEFAULT '' CHECK (length(client) <= 60);
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
UPDATE sessions SET handle = lower(hex(randomblob(12))), last_seen_at = created_at;
CREATE UNIQUE INDEX sessions_handle ON sessions (handle);

-- Invitations and reset links are looked up by email when a new one
-- replaces an older one.
CREATE INDEX tokens_email ON tokens (email, purpose);
