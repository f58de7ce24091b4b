-- Ideas from the room (issue 22): during an ideas phase, opened by the
-- facilitator in the lobby or between rounds, participants propose what
-- the deck is missing and vote for each other's proposals. The
-- facilitator hides, merges and promotes them; a promoted idea becomes a
-- scenario of the workshop (never of its deck), rated from the next round.

-- Whether the ideas phase is open, and how many votes each participant has.
ALTER TABLE workshops ADD COLUMN ideas_open INTEGER NOT NULL DEFAULT 0 CHECK (ideas_open IN (0, 1));
ALTER TABLE workshops ADD COLUMN idea_votes INTEGER NOT NULL DEFAULT 3 CHECK (idea_votes BETWEEN 1 AND 10);

-- participant_id is the author; NULL once the workshop was anonymised or
-- the author removed (the idea stays, without an author). merged_into is
-- the idea that took this one's votes.
CREATE TABLE ideas (
	id             INTEGER PRIMARY KEY,
	workshop_id    INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	participant_id INTEGER REFERENCES participants (id) ON DELETE SET NULL,
	title          TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
	text           TEXT NOT NULL DEFAULT '' CHECK (length(text) <= 1000),
	scenario_id    INTEGER REFERENCES scenarios (id) ON DELETE SET NULL,
	hidden         INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
	merged_into    INTEGER REFERENCES ideas (id) ON DELETE SET NULL,
	created_at     TEXT NOT NULL
) STRICT;
CREATE INDEX ideas_workshop ON ideas (workshop_id);
CREATE INDEX ideas_participant ON ideas (participant_id) WHERE participant_id IS NOT NULL;

-- One vote per participant and idea; the number a participant may cast is
-- the workshop's idea_votes, checked by the store (one writer at a time).
CREATE TABLE idea_votes (
	idea_id        INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
	participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
	voted_at       TEXT NOT NULL,
	PRIMARY KEY (idea_id, participant_id)
) STRICT;
CREATE INDEX idea_votes_participant ON idea_votes (participant_id);

-- A scenario promoted from an idea: origin 'room', the idea, the round it
-- is first rated in, and its source as it was when promoted (the author's
-- pseudonym, NULL once anonymised or unknown, and the idea's votes).
ALTER TABLE scenarios ADD COLUMN origin TEXT NOT NULL DEFAULT 'deck' CHECK (origin IN ('deck', 'room'));
ALTER TABLE scenarios ADD COLUMN idea_id INTEGER REFERENCES ideas (id) ON DELETE SET NULL;
ALTER TABLE scenarios ADD COLUMN from_round INTEGER NOT NULL DEFAULT 1 CHECK (from_round >= 1);
ALTER TABLE scenarios ADD COLUMN source_pseudonym TEXT;
ALTER TABLE scenarios ADD COLUMN source_votes INTEGER NOT NULL DEFAULT 0 CHECK (source_votes >= 0);

INSERT INTO log_actions (code) VALUES ('idea_hidden'), ('idea_unhidden'), ('ideas_merged'), ('idea_promoted');
