-- Live co-editing (docs/live.md): every change to a document's source is a
-- numbered live operation, and the document keeps its live source, which
-- may be ahead of its latest revision.

-- seq is the number of the latest live operation; revision_seq is seq when
-- the latest revision was saved. live_source is the source with the live
-- operations since applied; NULL while it is the latest revision's source,
-- so that a save does not keep the same bytes twice.
ALTER TABLE documents
	ADD COLUMN seq          bigint NOT NULL DEFAULT 0,
	ADD COLUMN revision_seq bigint NOT NULL DEFAULT 0,
	ADD COLUMN live_source  bytea;

-- seq: the live operations the revision includes. coauthors: the other
-- users whose live edits it holds, sorted, no duplicates.
ALTER TABLE revisions
	ADD COLUMN seq       bigint   NOT NULL DEFAULT 0,
	ADD COLUMN coauthors bigint[] NOT NULL DEFAULT '{}';

CREATE TABLE live_ops (
	document_id bigint NOT NULL REFERENCES documents ON DELETE CASCADE,
	seq         bigint NOT NULL,
	author_id   bigint NOT NULL REFERENCES users,
	client_id   text   NOT NULL, -- '' for a replacement
	client_seq  bigint NOT NULL,
	ops         bytea  NOT NULL, -- JSON array of edit.Op, kept as given; empty for a replacement
	created_at  timestamptz NOT NULL,
	PRIMARY KEY (document_id, seq)
);

-- A client's batch is stored once: a batch sent again after a reconnect is
-- refused by this index. Replacements have no client.
CREATE UNIQUE INDEX live_ops_client ON live_ops (document_id, client_id, client_seq) WHERE client_id <> '';
