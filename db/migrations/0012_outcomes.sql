-- Outcomes: what became of each scenario of a finished workshop, recorded
-- by its owner or an organiser, so that its estimates can be scored.
-- occurred is NULL while it is not known; known_on is the date it became
-- known (YYYY-MM-DD), when given. One row per scenario that has one.
CREATE TABLE outcomes (
	workshop_id INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	scenario_id INTEGER NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
	occurred    INTEGER CHECK (occurred IS NULL OR occurred IN (0, 1)),
	known_on    TEXT CHECK (known_on IS NULL OR known_on GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	note        TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
	updated_at  TEXT NOT NULL,
	PRIMARY KEY (workshop_id, scenario_id)
) STRICT;

-- Each change of an outcome goes into the workshop's log.
INSERT INTO log_actions (code) VALUES ('outcome_recorded');
