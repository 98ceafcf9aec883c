-- The workspace: users and how they sign in, workspaces and their members,
-- SOP documents with every revision, and comments.

CREATE TABLE users (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email         text NOT NULL UNIQUE, -- lower-case
	name          text NOT NULL,
	password_hash text NOT NULL,
	admin         boolean NOT NULL,
	created_at    timestamptz NOT NULL
);

CREATE TABLE sessions (
	token_hash text PRIMARY KEY,
	user_id    bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	csrf       text NOT NULL,
	created_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE api_tokens (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id      bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	name         text NOT NULL,
	token_hash   text NOT NULL UNIQUE,
	created_at   timestamptz NOT NULL,
	last_used_at timestamptz -- NULL when never used
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);

CREATE TABLE workspaces (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name       text NOT NULL,
	created_at timestamptz NOT NULL
);

CREATE TABLE members (
	workspace_id bigint NOT NULL REFERENCES workspaces ON DELETE CASCADE,
	user_id      bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	role         text NOT NULL,
	PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX members_user_id ON members (user_id);

CREATE TABLE invites (
	token_hash   text PRIMARY KEY,
	workspace_id bigint NOT NULL REFERENCES workspaces ON DELETE CASCADE,
	role         text NOT NULL,
	created_by   bigint NOT NULL REFERENCES users ON DELETE CASCADE,
	created_at   timestamptz NOT NULL,
	expires_at   timestamptz NOT NULL
);

-- A document's listed fields are those of its latest revision, whose
-- number is revision. title_lower is the title lower-cased by Go's
-- strings.ToLower, so that the title search does not depend on the
-- database's locale.
CREATE TABLE documents (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	workspace_id  bigint NOT NULL REFERENCES workspaces ON DELETE CASCADE,
	title         text NOT NULL,
	title_lower   text NOT NULL,
	status        text NOT NULL,
	owner         text NOT NULL,
	release_types text[] NOT NULL,
	lint          text NOT NULL,
	archived      boolean NOT NULL DEFAULT false,
	revision      integer NOT NULL,
	created_by    bigint NOT NULL REFERENCES users,
	created_at    timestamptz NOT NULL,
	updated_by    bigint NOT NULL REFERENCES users,
	updated_at    timestamptz NOT NULL
);
CREATE INDEX documents_list ON documents (workspace_id, archived, updated_at DESC, id DESC);

CREATE TABLE revisions (
	document_id bigint NOT NULL REFERENCES documents ON DELETE CASCADE,
	number      integer NOT NULL,
	author_id   bigint NOT NULL REFERENCES users,
	created_at  timestamptz NOT NULL,
	message     text NOT NULL,
	status      text NOT NULL,
	source      bytea NOT NULL,
	PRIMARY KEY (document_id, number)
);

CREATE TABLE comments (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	document_id bigint NOT NULL REFERENCES documents ON DELETE CASCADE,
	step_id     text NOT NULL, -- '' for the SOP as a whole
	parent_id   bigint REFERENCES comments ON DELETE CASCADE, -- NULL for a thread's first comment
	author_id   bigint NOT NULL REFERENCES users,
	body        text NOT NULL,
	mentions    bigint[] NOT NULL, -- sorted, no duplicates
	resolved    boolean NOT NULL DEFAULT false,
	created_at  timestamptz NOT NULL
);
CREATE INDEX comments_document_id ON comments (document_id, id);
