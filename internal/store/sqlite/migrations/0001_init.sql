-- The workspace schema. Times are integer microseconds since 1970 in UTC,
-- the precision store.go promises; a NULL time is a zero time.Time.

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	email         TEXT    NOT NULL UNIQUE, -- lower-cased by the store
	name          TEXT    NOT NULL,
	password_hash TEXT    NOT NULL,
	admin         INTEGER NOT NULL DEFAULT 0,
	created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
	token_hash TEXT    PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf       TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         TEXT    NOT NULL,
	token_hash   TEXT    NOT NULL UNIQUE,
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

CREATE TABLE workspaces (
	id         INTEGER PRIMARY KEY,
	name       TEXT    NOT NULL,
	created_at INTEGER NOT NULL
);

CREATE TABLE members (
	workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role         TEXT    NOT NULL,
	PRIMARY KEY (workspace_id, user_id)
) WITHOUT ROWID;
CREATE INDEX members_user ON members (user_id, workspace_id);

CREATE TABLE invites (
	token_hash   TEXT    PRIMARY KEY,
	workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	role         TEXT    NOT NULL,
	created_by   INTEGER NOT NULL REFERENCES users (id),
	created_at   INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL
);

-- documents holds the listed fields of each document's latest revision, so
-- that the library can be filtered without reading any YAML.
CREATE TABLE documents (
	id           INTEGER PRIMARY KEY,
	workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	title        TEXT    NOT NULL,
	title_fold   TEXT    NOT NULL, -- strings.ToLower(title): SQLite's own lower() knows only ASCII
	status       TEXT    NOT NULL,
	owner        TEXT    NOT NULL,
	lint         TEXT    NOT NULL,
	archived     INTEGER NOT NULL DEFAULT 0,
	revision     INTEGER NOT NULL,
	created_by   INTEGER NOT NULL REFERENCES users (id),
	created_at   INTEGER NOT NULL,
	updated_by   INTEGER NOT NULL REFERENCES users (id),
	updated_at   INTEGER NOT NULL
);
CREATE INDEX documents_list ON documents (workspace_id, archived, updated_at DESC, id DESC);

-- A table rather than a delimited column, so that the filter matches whole
-- ids only and the file order is kept in position.
CREATE TABLE document_release_types (
	document_id  INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	position     INTEGER NOT NULL,
	release_type TEXT    NOT NULL,
	PRIMARY KEY (document_id, position)
) WITHOUT ROWID;
CREATE INDEX document_release_types_id ON document_release_types (release_type, document_id);

CREATE TABLE revisions (
	document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	number      INTEGER NOT NULL,
	author_id   INTEGER NOT NULL REFERENCES users (id),
	created_at  INTEGER NOT NULL,
	message     TEXT    NOT NULL,
	status      TEXT    NOT NULL,
	source      BLOB    NOT NULL, -- a BLOB keeps the bytes exactly as given
	PRIMARY KEY (document_id, number)
);

CREATE TABLE comments (
	id          INTEGER PRIMARY KEY,
	document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	step_id     TEXT    NOT NULL,
	parent_id   INTEGER REFERENCES comments (id) ON DELETE CASCADE,
	author_id   INTEGER NOT NULL REFERENCES users (id),
	body        TEXT    NOT NULL,
	mentions    TEXT    NOT NULL, -- sorted user ids joined by commas; read as a whole, never searched
	resolved    INTEGER NOT NULL DEFAULT 0,
	created_at  INTEGER NOT NULL
);
CREATE INDEX comments_document ON comments (document_id, id);
