-- foresight: foreign_keys=off
-- Estimates: a criterion may be of kind 'confidence' (how sure a rater is:
-- low, moderate, high, stored as 1 to 3), stated apart from a likelihood.
-- A percent criterion's yardstick (ICD 203, PHIA) is part of its body JSON,
-- which needs no change of the table.
--
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt
-- the documented way (see 0002), with the same IDs, which ratings refer to.
CREATE TABLE criteria_new (
	id          INTEGER PRIMARY KEY,
	workshop_id INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	key         TEXT NOT NULL,
	kind        TEXT NOT NULL CHECK (kind IN ('scale', 'percent', 'confidence')),
	min         INTEGER NOT NULL CHECK (min BETWEEN 0 AND 100),
	max         INTEGER NOT NULL CHECK (max BETWEEN 0 AND 100 AND max > min),
	step        INTEGER NOT NULL CHECK (step >= 1),
	dont_know   INTEGER NOT NULL CHECK (dont_know IN (0, 1)),
	body        TEXT NOT NULL, -- JSON: name, question, labels, yardstick
	UNIQUE (workshop_id, position),
	UNIQUE (workshop_id, key),
	CHECK (kind <> 'confidence' OR (min = 1 AND max = 3 AND step = 1))
) STRICT;
INSERT INTO criteria_new (id, workshop_id, position, key, kind, min, max, step, dont_know, body)
	SELECT id, workshop_id, position, key, kind, min, max, step, dont_know, body FROM criteria;
DROP TABLE criteria;
ALTER TABLE criteria_new RENAME TO criteria;
