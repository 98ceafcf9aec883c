-- A user who asked for no notification emails (relsop serve --smtp):
-- gates waiting for them, mentions, escalations.
ALTER TABLE users ADD COLUMN mail_off INTEGER NOT NULL DEFAULT 0;
