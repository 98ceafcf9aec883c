-- Alerts sent about an SOP (its scheduled review coming due), each once:
-- the server's rounds claim a key here before they send, as for
-- release_alerts.
CREATE TABLE document_alerts (
	document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	key         TEXT    NOT NULL,
	created_at  INTEGER NOT NULL,
	PRIMARY KEY (document_id, key)
) WITHOUT ROWID;
