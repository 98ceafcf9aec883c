-- The user's time zone, an IANA name such as Europe/Berlin, in which their
-- daily summary comes; '' for the server's.
ALTER TABLE users ADD COLUMN time_zone text NOT NULL DEFAULT '';
