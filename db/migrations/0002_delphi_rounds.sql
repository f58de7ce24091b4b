-- foresight: foreign_keys=off
-- Delphi rounds: the 'revealed' state, results visibility, pacing, the
-- focused scenario, rationales and projector display links.
--
-- SQLite cannot change a CHECK constraint in place, so workshops is rebuilt
-- the documented way (https://sqlite.org/lang_altertable.html#otheralter):
-- with foreign keys off (the runner does that for migrations marked as this
-- one is), create the new table, copy, drop, rename, check the keys.
CREATE TABLE workshops_new (
	id                INTEGER PRIMARY KEY,
	code              TEXT NOT NULL UNIQUE CHECK (length(code) = 8),
	title             TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	owner_id          INTEGER NOT NULL REFERENCES users (id),
	deck_slug         TEXT NOT NULL,
	languages         TEXT NOT NULL, -- JSON array
	state             TEXT NOT NULL CHECK (state IN ('lobby', 'open', 'closed', 'revealed', 'finished')),
	round             INTEGER NOT NULL CHECK (round >= 1),
	seq               INTEGER NOT NULL DEFAULT 0,
	visibility        TEXT NOT NULL DEFAULT 'after_reveal' CHECK (visibility IN ('after_reveal', 'live', 'never')),
	pacing            TEXT NOT NULL DEFAULT 'self' CHECK (pacing IN ('self', 'focus')),
	focus_scenario_id INTEGER, -- checked by the store: scenarios reference workshops
	created_at        TEXT NOT NULL,
	updated_at        TEXT NOT NULL
) STRICT;
INSERT INTO workshops_new (id, code, title, owner_id, deck_slug, languages, state, round, seq, created_at, updated_at)
	SELECT id, code, title, owner_id, deck_slug, languages, state, round, seq, created_at, updated_at FROM workshops;
DROP TABLE workshops;
ALTER TABLE workshops_new RENAME TO workshops;
CREATE INDEX workshops_owner ON workshops (owner_id);

ALTER TABLE rounds ADD COLUMN revealed_at TEXT;
ALTER TABLE rounds ADD COLUMN prefilled INTEGER NOT NULL DEFAULT 0 CHECK (prefilled IN (0, 1));

-- A participant's reason for their ratings of one scenario in one round.
-- Anonymous to everyone but the system; facilitators may hide or feature it.
CREATE TABLE rationales (
	id             INTEGER PRIMARY KEY,
	workshop_id    INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	round          INTEGER NOT NULL CHECK (round >= 1),
	participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
	scenario_id    INTEGER NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
	text           TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 1000),
	hidden         INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
	featured       INTEGER NOT NULL DEFAULT 0 CHECK (featured IN (0, 1)),
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL,
	UNIQUE (round, participant_id, scenario_id)
) STRICT;
CREATE INDEX rationales_workshop_round ON rationales (workshop_id, round);

-- Read-only links for a projector laptop that is not signed in.
CREATE TABLE display_links (
	hash        BLOB PRIMARY KEY,
	workshop_id INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX display_links_workshop ON display_links (workshop_id);
