-- Alerts sent about an SOP (its scheduled review coming due), each once:
-- the server's rounds claim a key here before they send, as for
-- release_alerts.
CREATE TABLE document_alerts (
	document_id bigint      NOT NULL REFERENCES documents ON DELETE CASCADE,
	key         text        NOT NULL,
	created_at  timestamptz NOT NULL,
	PRIMARY KEY (document_id, key)
);
