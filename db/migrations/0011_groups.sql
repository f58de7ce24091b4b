-- Expert groups (issue 14): a workshop may name 2 to 12 communities of its
-- panel (military, diplomatic, …), and each participant says which one they
-- belong to when they join, so the results can show where the communities
-- disagree. A workshop without groups has no rows here.
--
-- Names are unique within a workshop regardless of letter case as far as
-- SQLite's NOCASE goes (ASCII); the store checks every script before it
-- writes (workshop.CleanGroupNames). Positions are the facilitator's order;
-- the store moves them out of the way (past 100) while it reorders.
CREATE TABLE groups (
	id          INTEGER PRIMARY KEY,
	workshop_id INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	position    INTEGER NOT NULL CHECK (position >= 1),
	name        TEXT NOT NULL COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 40),
	UNIQUE (workshop_id, position),
	UNIQUE (workshop_id, name)
) STRICT;

-- A participant's group; NULL for none (the workshop has no groups, or the
-- facilitator removed the participant's group in the lobby). Whether the
-- group belongs to the participant's workshop is checked by the store.
ALTER TABLE participants ADD COLUMN group_id INTEGER REFERENCES groups (id) ON DELETE SET NULL;
-- Deleting a group looks its participants up by group_id.
CREATE INDEX participants_group ON participants (group_id) WHERE group_id IS NOT NULL;

INSERT INTO log_actions (code) VALUES ('groups_changed');
