-- Authoring and administration: decks of one's own, workshop settings,
-- pseudonyms, archiving and anonymising, and a log of moderation.

-- Every participant has a random pseudonym, stable within the workshop: the
-- name exports use. display_name is chosen on the join page when the
-- workshop is pseudonymous.
ALTER TABLE participants ADD COLUMN pseudonym TEXT;
ALTER TABLE participants ADD COLUMN display_name TEXT CHECK (display_name IS NULL OR length(display_name) BETWEEN 1 AND 40);
UPDATE participants SET pseudonym = 'P-' || upper(hex(randomblob(3))) WHERE pseudonym IS NULL;
CREATE UNIQUE INDEX participants_pseudonym ON participants (workshop_id, pseudonym);

ALTER TABLE workshops ADD COLUMN description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000);
ALTER TABLE workshops ADD COLUMN anonymity TEXT NOT NULL DEFAULT 'anonymous' CHECK (anonymity IN ('anonymous', 'pseudonymous'));
ALTER TABLE workshops ADD COLUMN participant_limit INTEGER NOT NULL DEFAULT 0 CHECK (participant_limit >= 0);
ALTER TABLE workshops ADD COLUMN archived_at TEXT;
ALTER TABLE workshops ADD COLUMN anonymised_at TEXT;

-- Decks written by facilitators, in the versioned JSON format of the
-- built-in decks (docs/deck-format.md). Workshops copy a deck when created.
CREATE TABLE decks (
	id         INTEGER PRIMARY KEY,
	slug       TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 63),
	owner_id   INTEGER NOT NULL REFERENCES users (id),
	body       TEXT NOT NULL, -- the deck as JSON, schema 1
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX decks_owner ON decks (owner_id);

-- What facilitators did to a workshop that changes its data: removing a
-- participant, anonymising. Never holds a participant's identity.
CREATE TABLE workshop_log (
	id          INTEGER PRIMARY KEY,
	workshop_id INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	at          TEXT NOT NULL,
	actor_id    INTEGER REFERENCES users (id),
	action      TEXT NOT NULL,
	detail      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX workshop_log_workshop ON workshop_log (workshop_id);
