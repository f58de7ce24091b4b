-- A participant removed by a facilitator stays as a row (their pseudonym is
-- in the workshop's log) but no longer counts as joined, nor against the
-- participant limit.
ALTER TABLE participants ADD COLUMN removed_at TEXT;
CREATE INDEX participants_active ON participants (workshop_id) WHERE removed_at IS NULL;
