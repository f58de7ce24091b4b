-- PostgreSQL's own types for times and flags, where 0001 copied SQLite's:
-- times become timestamptz (they were TEXT in the store's sortable UTC
-- format, 2006-01-02T15:04:05.000000000Z) and flags boolean (they were
-- 0 or 1). Times sort and compare as before. timestamptz keeps
-- microseconds, and so does the store since: the nanoseconds of stored
-- times are cut, not rounded, as the store cuts the times it writes.
-- The store applies it inside a transaction.

CREATE FUNCTION pg_temp.stored_time(t text) RETURNS timestamptz LANGUAGE sql STABLE STRICT AS $$
	SELECT CASE WHEN t ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{7,9}Z$'
		THEN (left(t, 26) || 'Z')::timestamptz
		ELSE t::timestamptz END
$$;

ALTER TABLE users
	ALTER COLUMN disabled_at TYPE timestamptz USING pg_temp.stored_time(disabled_at),
	ALTER COLUMN created_at TYPE timestamptz USING pg_temp.stored_time(created_at);

ALTER TABLE sessions
	ALTER COLUMN created_at TYPE timestamptz USING pg_temp.stored_time(created_at),
	ALTER COLUMN expires_at TYPE timestamptz USING pg_temp.stored_time(expires_at),
	ALTER COLUMN last_seen_at TYPE timestamptz USING pg_temp.stored_time(last_seen_at);

ALTER TABLE tokens
	ALTER COLUMN created_at TYPE timestamptz USING pg_temp.stored_time(created_at),
	ALTER COLUMN expires_at TYPE timestamptz USING pg_temp.stored_time(expires_at);

ALTER TABLE workshops
	ALTER COLUMN created_at TYPE timestamptz USING pg_temp.stored_time(created_at),
	ALTER COLUMN updated_at TYPE timestamptz USING pg_temp.stored_time(updated_at),
	ALTER COLUMN archived_at TYPE timestamptz USING pg_temp.stored_time(archived_at),
	ALTER COLUMN anonymised_at TYPE timestamptz USING pg_temp.stored_time(anonymised_at);

ALTER TABLE criteria
	DROP CONSTRAINT criteria_dont_know_check,
	ALTER COLUMN dont_know TYPE boolean USING dont_know <> 0;

ALTER TABLE rounds
	ALTER COLUMN opened_at TYPE timestamptz USING pg_temp.stored_time(opened_at),
	ALTER COLUMN closed_at TYPE timestamptz USING pg_temp.stored_time(closed_at),
	ALTER COLUMN revealed_at TYPE timestamptz USING pg_temp.stored_time(revealed_at),
	DROP CONSTRAINT rounds_prefilled_check,
	ALTER COLUMN prefilled DROP DEFAULT,
	ALTER COLUMN prefilled TYPE boolean USING prefilled <> 0,
	ALTER COLUMN prefilled SET DEFAULT FALSE;

ALTER TABLE participants
	ALTER COLUMN joined_at TYPE timestamptz USING pg_temp.stored_time(joined_at),
	ALTER COLUMN removed_at TYPE timestamptz USING pg_temp.stored_time(removed_at);

ALTER TABLE ratings
	ALTER COLUMN rated_at TYPE timestamptz USING pg_temp.stored_time(rated_at);

ALTER TABLE rationales
	DROP CONSTRAINT rationales_hidden_check,
	DROP CONSTRAINT rationales_featured_check,
	ALTER COLUMN hidden DROP DEFAULT,
	ALTER COLUMN hidden TYPE boolean USING hidden <> 0,
	ALTER COLUMN hidden SET DEFAULT FALSE,
	ALTER COLUMN featured DROP DEFAULT,
	ALTER COLUMN featured TYPE boolean USING featured <> 0,
	ALTER COLUMN featured SET DEFAULT FALSE,
	ALTER COLUMN created_at TYPE timestamptz USING pg_temp.stored_time(created_at),
	ALTER COLUMN updated_at TYPE timestamptz USING pg_temp.stored_time(updated_at);

ALTER TABLE display_links
	ALTER COLUMN created_at TYPE timestamptz USING pg_temp.stored_time(created_at);

ALTER TABLE decks
	ALTER COLUMN created_at TYPE timestamptz USING pg_temp.stored_time(created_at),
	ALTER COLUMN updated_at TYPE timestamptz USING pg_temp.stored_time(updated_at);

ALTER TABLE workshop_log
	ALTER COLUMN at TYPE timestamptz USING pg_temp.stored_time(at);

ALTER TABLE outcomes
	DROP CONSTRAINT outcomes_occurred_check,
	ALTER COLUMN occurred TYPE boolean USING occurred <> 0,
	ALTER COLUMN updated_at TYPE timestamptz USING pg_temp.stored_time(updated_at);

DROP FUNCTION pg_temp.stored_time(text);
