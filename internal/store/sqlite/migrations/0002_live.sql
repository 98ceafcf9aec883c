-- Live co-editing (docs/live.md): every change to a document's source is a
-- numbered live operation, and the document keeps its live source, which
-- may be ahead of its latest revision.

-- seq is the number of the latest live operation; revision_seq is seq when
-- the latest revision was saved. live_source is the source with the live
-- operations since applied; NULL while it is the latest revision's source,
-- so that a save does not keep the same bytes twice.
ALTER TABLE documents ADD COLUMN seq          INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN revision_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN live_source  BLOB;

-- seq: the live operations the revision includes. coauthors: the other users
-- whose live edits it holds, sorted ids joined by commas, like mentions.
ALTER TABLE revisions ADD COLUMN seq       INTEGER NOT NULL DEFAULT 0;
ALTER TABLE revisions ADD COLUMN coauthors TEXT    NOT NULL DEFAULT '';

CREATE TABLE live_ops (
	document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	seq         INTEGER NOT NULL,
	author_id   INTEGER NOT NULL REFERENCES users (id),
	client_id   TEXT    NOT NULL, -- '' for a replacement
	client_seq  INTEGER NOT NULL,
	ops         BLOB    NOT NULL, -- JSON array of edit.Op, kept as given; empty for a replacement
	created_at  INTEGER NOT NULL,
	PRIMARY KEY (document_id, seq)
) WITHOUT ROWID;

-- A client's batch is stored once: a batch sent again after a reconnect is
-- refused by this index. Replacements have no client.
CREATE UNIQUE INDEX live_ops_client ON live_ops (document_id, client_id, client_seq) WHERE client_id <> '';
