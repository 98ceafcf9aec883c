-- Alerts sent about a release (an overdue gate, a late step), each once:
-- the server's rounds claim a key here before they send, so that several
-- servers, or a round after a restart, do not send it again.
CREATE TABLE release_alerts (
	release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
	key        TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (release_id, key)
) WITHOUT ROWID;
