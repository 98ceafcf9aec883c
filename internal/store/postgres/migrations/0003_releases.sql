-- Releases carried out through an SOP of a workspace (docs/releases.md).
-- A release's trail is kept line by line in release_records; the release
-- row holds what is read from the trail as each record is added, so that a
-- document's releases list without replaying every trail.

-- records is the number of lines in the trail, and the compare-and-set that
-- orders appends: a record is added only by the writer that still finds
-- the count it read. head is the SHA-256 of the last line.
CREATE TABLE releases (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	document_id  bigint NOT NULL REFERENCES documents ON DELETE CASCADE,
	revision     integer NOT NULL,
	name         text NOT NULL,
	release_type text NOT NULL, -- '' for the base flow
	rehearsal    boolean NOT NULL,
	state        text NOT NULL,
	records      integer NOT NULL,
	head         text NOT NULL,
	created_by   bigint NOT NULL REFERENCES users,
	created_at   timestamptz NOT NULL,
	updated_at   timestamptz NOT NULL
);
CREATE INDEX releases_document_id ON releases (document_id, created_at DESC, id DESC);

-- seq numbers a trail's lines from 1, without gaps. A line is bytea, kept
-- byte for byte: the chain's hashes are computed over the bytes as written.
CREATE TABLE release_records (
	release_id bigint NOT NULL REFERENCES releases ON DELETE CASCADE,
	seq        integer NOT NULL,
	line       bytea NOT NULL,
	PRIMARY KEY (release_id, seq)
);
