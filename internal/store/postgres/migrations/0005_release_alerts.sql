-- Alerts sent about a release (an overdue gate, a late step), each once:
-- the server's rounds claim a key here before they send, so that several
-- servers, or a round after a restart, do not send it again.
CREATE TABLE release_alerts (
	release_id bigint      NOT NULL REFERENCES releases ON DELETE CASCADE,
	key        text        NOT NULL,
	created_at timestamptz NOT NULL,
	PRIMARY KEY (release_id, key)
);
