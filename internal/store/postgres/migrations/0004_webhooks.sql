-- Webhooks: addresses a workspace's release events are posted to
-- (docs/webhooks.md). Owners add and remove them.

-- events holds the event names sorted and without duplicates. The last_
-- columns record the last delivery tried: last_at is NULL before the
-- first, last_status 0 when no HTTP status was answered, and last_error ''
-- when it was delivered.
CREATE TABLE webhooks (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	workspace_id bigint NOT NULL REFERENCES workspaces ON DELETE CASCADE,
	url          text NOT NULL,
	secret       text NOT NULL,
	events       text[] NOT NULL,
	created_by   bigint NOT NULL REFERENCES users,
	created_at   timestamptz NOT NULL,
	last_at      timestamptz, -- NULL before the first delivery
	last_status  integer NOT NULL DEFAULT 0,
	last_error   text NOT NULL DEFAULT ''
);
CREATE INDEX webhooks_workspace_id ON webhooks (workspace_id, id);
