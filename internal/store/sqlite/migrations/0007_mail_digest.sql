-- A user who asked for one summary email a day instead of an email each
-- time (relsop serve --smtp), and the day (YYYY-MM-DD) of the last summary
-- claimed for them: '' sorts before any day, so a new user is due one.
ALTER TABLE users ADD COLUMN mail_digest INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN digest_day TEXT NOT NULL DEFAULT '';
