-- foresight: foreign_keys=off
-- The workshop log keeps facts instead of English sentences: an action code
-- and its fields as one JSON object (workshop.LogFields), which the page
-- puts into words in the reader's language. The old rows said
-- action 'remove participant', detail 'P-7KQ2M: 3 ratings and 1 reasons removed',
-- and action 'anonymise', detail '12 participants'; they are parsed here.
-- A row that matches neither becomes a note holding its words, shown as
-- written, so no line of the log is lost.
--
-- The codes are rows of log_actions, not a CHECK list: a later action is
-- one INSERT in its migration, not another rebuild of the log.
CREATE TABLE log_actions (
	code TEXT PRIMARY KEY
) STRICT;
INSERT INTO log_actions (code) VALUES ('participant_removed'), ('anonymised'), ('note');

-- The table is rebuilt (see 0002) because a column's type and constraints
-- cannot change in place.
CREATE TABLE workshop_log_new (
	id          INTEGER PRIMARY KEY,
	workshop_id INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	at          TEXT NOT NULL,
	actor_id    INTEGER REFERENCES users (id),
	action      TEXT NOT NULL REFERENCES log_actions (code),
	fields      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(fields) AND json_type(fields) = 'object')
) STRICT;

WITH
-- 'P-7KQ2M: 3 ratings and 1 reasons removed', cut at ': ', ' ratings and '
-- and ' reasons removed' (13 and 16 characters).
removal1 AS (
	SELECT id, substr(detail, 1, instr(detail, ': ') - 1) AS pseudonym, substr(detail, instr(detail, ': ') + 2) AS rest
	FROM workshop_log WHERE action = 'remove participant'
),
removal2 AS (
	SELECT id, pseudonym, substr(rest, 1, instr(rest, ' ratings and ') - 1) AS ratings, substr(rest, instr(rest, ' ratings and ') + 13) AS rest
	FROM removal1 WHERE instr(rest, ' ratings and ') > 0
),
removal3 AS (
	SELECT id, pseudonym, ratings, substr(rest, 1, length(rest) - 16) AS reasons
	FROM removal2 WHERE substr(rest, -16) = ' reasons removed'
),
parsed (id, action, fields) AS (
	SELECT id, 'participant_removed',
		json_object('pseudonym', pseudonym, 'ratings', CAST(ratings AS INTEGER), 'reasons', CAST(reasons AS INTEGER))
	FROM removal3
	WHERE pseudonym <> '' AND instr(pseudonym, ' ') = 0
		AND length(ratings) BETWEEN 1 AND 9 AND ratings NOT GLOB '*[^0-9]*'
		AND length(reasons) BETWEEN 1 AND 9 AND reasons NOT GLOB '*[^0-9]*'
	UNION ALL
	-- '12 participants': digits, then ' participants' (13 characters).
	SELECT id, 'anonymised', json_object('participants', CAST(substr(detail, 1, length(detail) - 13) AS INTEGER))
	FROM workshop_log
	WHERE action = 'anonymise' AND substr(detail, -13) = ' participants'
		AND length(detail) BETWEEN 14 AND 22 AND substr(detail, 1, length(detail) - 13) NOT GLOB '*[^0-9]*'
)
INSERT INTO workshop_log_new (id, workshop_id, at, actor_id, action, fields)
SELECT l.id, l.workshop_id, l.at, l.actor_id, coalesce(p.action, 'note'),
	coalesce(p.fields, json_object('text', l.action || CASE WHEN l.detail = '' THEN '' ELSE ' (' || l.detail || ')' END))
FROM workshop_log l LEFT JOIN parsed p ON p.id = l.id;

DROP TABLE workshop_log;
ALTER TABLE workshop_log_new RENAME TO workshop_log;
CREATE INDEX workshop_log_workshop ON workshop_log (workshop_id);
