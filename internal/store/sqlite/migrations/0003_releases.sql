-- Releases carried out through an SOP of a workspace (docs/releases.md).
-- A release's trail is kept line by line in release_records; the release
-- row holds what is read from the trail as each record is added, so that a
-- document's releases list without replaying every trail.

-- records is the number of lines in the trail, and the compare-and-set that
-- orders appends: a record is added only by the writer that still finds
-- the count it read. head is the SHA-256 of the last line.
CREATE TABLE releases (
	id           INTEGER PRIMARY KEY,
	document_id  INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	revision     INTEGER NOT NULL,
	name         TEXT    NOT NULL,
	release_type TEXT    NOT NULL, -- '' for the base flow
	rehearsal    INTEGER NOT NULL,
	state        TEXT    NOT NULL,
	records      INTEGER NOT NULL,
	head         TEXT    NOT NULL,
	created_by   INTEGER NOT NULL REFERENCES users (id),
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL
);
CREATE INDEX releases_document ON releases (document_id, created_at DESC, id DESC);

-- seq numbers a trail's lines from 1, without gaps. A line is a BLOB, kept
-- byte for byte: the chain's hashes are computed over the bytes as written.
CREATE TABLE release_records (
	release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
	seq        INTEGER NOT NULL,
	line       BLOB    NOT NULL,
	PRIMARY KEY (release_id, seq)
) WITHOUT ROWID;
