-- Accounts, sessions and settings.
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value BLOB NOT NULL
) STRICT;

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(email) BETWEEN 3 AND 254),
	password_hash TEXT NOT NULL,
	role          TEXT NOT NULL CHECK (role IN ('organiser', 'facilitator')),
	disabled_at   TEXT,
	created_at    TEXT NOT NULL
) STRICT;

-- Facilitator sessions: the cookie holds a random ID, the table holds its
-- SHA-256, so a copy of the database cannot be used to sign in.
CREATE TABLE sessions (
	id_hash    BLOB PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

-- One-time links (first-account setup now; invitations and resets later).
CREATE TABLE tokens (
	hash       BLOB PRIMARY KEY,
	purpose    TEXT NOT NULL CHECK (purpose IN ('setup', 'invite', 'reset')),
	email      TEXT,
	role       TEXT CHECK (role IN ('organiser', 'facilitator')),
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
) STRICT;

-- Workshops and the snapshot of the deck they were created from: editing a
-- deck later never changes a workshop.
CREATE TABLE workshops (
	id         INTEGER PRIMARY KEY,
	code       TEXT NOT NULL UNIQUE CHECK (length(code) = 8),
	title      TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	owner_id   INTEGER NOT NULL REFERENCES users (id),
	deck_slug  TEXT NOT NULL,
	languages  TEXT NOT NULL, -- JSON array
	state      TEXT NOT NULL CHECK (state IN ('lobby', 'open', 'closed', 'finished')),
	round      INTEGER NOT NULL CHECK (round >= 1),
	seq        INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX workshops_owner ON workshops (owner_id);

CREATE TABLE scenarios (
	id          INTEGER PRIMARY KEY,
	workshop_id INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	key         TEXT NOT NULL,
	body        TEXT NOT NULL, -- JSON: title, narrative, source, signposts
	UNIQUE (workshop_id, position),
	UNIQUE (workshop_id, key)
) STRICT;

CREATE TABLE criteria (
	id          INTEGER PRIMARY KEY,
	workshop_id INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	key         TEXT NOT NULL,
	kind        TEXT NOT NULL CHECK (kind IN ('scale', 'percent')),
	min         INTEGER NOT NULL CHECK (min BETWEEN 0 AND 100),
	max         INTEGER NOT NULL CHECK (max BETWEEN 0 AND 100 AND max > min),
	step        INTEGER NOT NULL CHECK (step >= 1),
	dont_know   INTEGER NOT NULL CHECK (dont_know IN (0, 1)),
	body        TEXT NOT NULL, -- JSON: name, question, labels
	UNIQUE (workshop_id, position),
	UNIQUE (workshop_id, key)
) STRICT;

CREATE TABLE rounds (
	workshop_id INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	n           INTEGER NOT NULL CHECK (n >= 1),
	opened_at   TEXT,
	closed_at   TEXT,
	PRIMARY KEY (workshop_id, n)
) STRICT;

-- A participant is one device in one workshop. The cookie holds a random ID;
-- the table holds its SHA-256.
CREATE TABLE participants (
	id          INTEGER PRIMARY KEY,
	workshop_id INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	token_hash  BLOB UNIQUE,
	joined_at   TEXT NOT NULL
) STRICT;
CREATE INDEX participants_workshop ON participants (workshop_id);

-- value NULL is "don't know". Values lie within the widest scale (0..100);
-- the criterion's own range is checked in the store's transaction.
CREATE TABLE ratings (
	id             INTEGER PRIMARY KEY,
	workshop_id    INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	round          INTEGER NOT NULL CHECK (round >= 1),
	participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
	scenario_id    INTEGER NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
	criterion_id   INTEGER NOT NULL REFERENCES criteria (id) ON DELETE CASCADE,
	value          INTEGER CHECK (value IS NULL OR value BETWEEN 0 AND 100),
	rated_at       TEXT NOT NULL,
	UNIQUE (round, participant_id, scenario_id, criterion_id)
) STRICT;
CREATE INDEX ratings_workshop_round ON ratings (workshop_id, round);
