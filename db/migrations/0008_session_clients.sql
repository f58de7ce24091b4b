-- A session's client is two facts, the browser and the operating system
-- ("Firefox", "Linux": names, not translated), instead of an English label
-- ("Firefox on Linux", "A browser on Linux") that the account page had to
-- split to translate. Either is '' when unknown; each keeps the label's
-- bound of 60 characters.
ALTER TABLE sessions ADD COLUMN client_browser TEXT NOT NULL DEFAULT '' CHECK (length(client_browser) <= 60);
ALTER TABLE sessions ADD COLUMN client_system TEXT NOT NULL DEFAULT '' CHECK (length(client_system) <= 60);
-- The labels were 'BROWSER on SYSTEM', 'A browser on SYSTEM' (13 characters
-- before the system), 'BROWSER' alone, or ''.
UPDATE sessions SET
	client_browser = CASE
		WHEN substr(client, 1, 13) = 'A browser on ' THEN ''
		WHEN instr(client, ' on ') > 0 THEN substr(client, 1, instr(client, ' on ') - 1)
		ELSE client
	END,
	client_system = CASE
		WHEN substr(client, 1, 13) = 'A browser on ' THEN substr(client, 14)
		WHEN instr(client, ' on ') > 0 THEN substr(client, instr(client, ' on ') + 4)
		ELSE ''
	END;
ALTER TABLE sessions DROP COLUMN client;
