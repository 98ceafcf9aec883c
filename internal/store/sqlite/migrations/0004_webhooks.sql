-- Webhooks: addresses a workspace's release events are posted to
-- (docs/webhooks.md). Owners add and remove them.

-- events is the sorted event names joined with commas ("release.finished,
-- release.started"); names never hold a comma, and the list is read and
-- written as a whole. The last_ columns record the last delivery tried:
-- last_at is NULL before the first, last_status 0 when no HTTP status was
-- answered, and last_error '' when it was delivered.
CREATE TABLE webhooks (
	id           INTEGER PRIMARY KEY,
	workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	url          TEXT    NOT NULL,
	secret       TEXT    NOT NULL,
	events       TEXT    NOT NULL,
	created_by   INTEGER NOT NULL REFERENCES users (id),
	created_at   INTEGER NOT NULL,
	last_at      INTEGER,
	last_status  INTEGER NOT NULL DEFAULT 0,
	last_error   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX webhooks_workspace ON webhooks (workspace_id, id);
