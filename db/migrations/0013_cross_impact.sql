-- Cross-impact rounds (issue 21). A round asks for ratings or for
-- cross-impact judgements (kind); a workshop keeps its deck's descriptors
-- (JSON, [] when its scenarios stand in for them); a judgement is one
-- participant's score of one cell (how variant from_variant acts on
-- to_variant) in one round, −3 to 3, NULL for "don't know", with the
-- participant's reason where their judgement lay outside the group's
-- middle half last round ('' for none).
ALTER TABLE workshops ADD COLUMN descriptors TEXT NOT NULL DEFAULT '[]';
-- Which expert group judges the sources of each descriptor (JSON object,
-- descriptor id to group id; a descriptor left out is judged by everyone).
ALTER TABLE workshops ADD COLUMN source_groups TEXT NOT NULL DEFAULT '{}';
ALTER TABLE rounds ADD COLUMN kind TEXT NOT NULL DEFAULT 'rating' CHECK (kind IN ('rating', 'cross_impact'));

CREATE TABLE judgements (
	workshop_id    INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	round          INTEGER NOT NULL CHECK (round >= 1),
	participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
	from_variant   TEXT NOT NULL CHECK (length(from_variant) BETWEEN 1 AND 70),
	to_variant     TEXT NOT NULL CHECK (length(to_variant) BETWEEN 1 AND 70),
	score          INTEGER CHECK (score IS NULL OR score BETWEEN -3 AND 3),
	reason         TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
	judged_at      TEXT NOT NULL,
	PRIMARY KEY (workshop_id, round, participant_id, from_variant, to_variant)
) STRICT;
