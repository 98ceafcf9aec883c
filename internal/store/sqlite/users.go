package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/relsop/relsop"
)

// CreateUser adds u. The admin flag is computed in the INSERT itself, so
// that of users signing up at once exactly one is first.
func (s *Store) CreateUser(ctx context.Context, u *relsop.User) error {
	email := strings.ToLower(u.Email)
	created := s.stamp()
	err := s.write.QueryRowContext(ctx, `
		INSERT INTO users (email, name, password_hash, admin, created_at)
		VALUES (?, ?, ?, NOT EXISTS (SELECT 1 FROM users), ?)
		RETURNING id, admin`,
		email, u.Name, u.PasswordHash, micros(created)).Scan(&u.ID, &u.Admin)
	if err != nil {
		return storeErr(err, "a user with this email")
	}
	u.Email, u.CreatedAt = email, created
	return nil
}

const userCols = `id, email, name, password_hash, admin, mail_off, mail_digest, time_zone, created_at`

func scanUser(row scanner) (*relsop.User, error) {
	var u relsop.User
	var created int64
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.Admin, &u.MailOff, &u.MailDigest, &u.TimeZone, &created); err != nil {
		return nil, storeErr(err, "user")
	}
	u.CreatedAt = fromMicros(created)
	return &u, nil
}

// UserByID returns the user with id.
func (s *Store) UserByID(ctx context.Context, id int64) (*relsop.User, error) {
	return scanUser(s.read.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
}

// UserByEmail returns the user with email, in any case.
func (s *Store) UserByEmail(ctx context.Context, email string) (*relsop.User, error) {
	return scanUser(s.read.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE email = ?`, strings.ToLower(email)))
}

// SetMailOff records whether userID wants no notification emails.
func (s *Store) SetMailOff(ctx context.Context, userID int64, off bool) error {
	res, err := s.write.ExecContext(ctx, `UPDATE users SET mail_off = ? WHERE id = ?`, off, userID)
	if err != nil {
		return storeErr(err, "user")
	}
	return mustAffect(res, "user")
}

// SetMailDigest records whether userID wants one summary email a day.
func (s *Store) SetMailDigest(ctx context.Context, userID int64, digest bool) error {
	res, err := s.write.ExecContext(ctx, `UPDATE users SET mail_digest = ? WHERE id = ?`, digest, userID)
	if err != nil {
		return storeErr(err, "user")
	}
	return mustAffect(res, "user")
}

// SetTimeZone records userID's time zone.
func (s *Store) SetTimeZone(ctx context.Context, userID int64, zone string) error {
	res, err := s.write.ExecContext(ctx, `UPDATE users SET time_zone = ? WHERE id = ?`, zone, userID)
	if err != nil {
		return storeErr(err, "user")
	}
	return mustAffect(res, "user")
}

// DigestZones lists the time zones of the users who want a summary.
func (s *Store) DigestZones(ctx context.Context) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT DISTINCT time_zone FROM users
		WHERE mail_digest AND NOT mail_off ORDER BY time_zone`)
	return collect(rows, err, "time zones", func(row scanner) (string, error) {
		var zone string
		return zone, row.Scan(&zone)
	})
}

// DigestUsers lists the users of zone due a summary for day: digest_day
// holds the last day claimed, and days (YYYY-MM-DD) sort as text.
func (s *Store) DigestUsers(ctx context.Context, zone, day string, limit int) ([]relsop.User, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+userCols+` FROM users
		WHERE mail_digest AND NOT mail_off AND time_zone = ? AND digest_day < ? ORDER BY id LIMIT ?`, zone, day, limit)
	return collect(rows, err, "users", func(row scanner) (relsop.User, error) {
		u, err := scanUser(row)
		if err != nil {
			return relsop.User{}, err
		}
		return *u, nil
	})
}

// ClaimDigest records userID's summary for day in one conditional UPDATE,
// so that of servers claiming it at once exactly one moves digest_day.
func (s *Store) ClaimDigest(ctx context.Context, userID int64, day string) (bool, error) {
	ok, err := moved(s.write.ExecContext(ctx, `UPDATE users SET digest_day = ? WHERE id = ? AND digest_day < ?`,
		day, userID, day))
	if err != nil || ok {
		return ok, storeErr(err, "user")
	}
	// No row moved: already claimed, or no such user.
	var exists bool
	err = s.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = ?)`, userID).Scan(&exists)
	if err != nil {
		return false, storeErr(err, "user")
	}
	if !exists {
		return false, relsop.Errorf(relsop.ENOTFOUND, "user %d not found", userID)
	}
	return false, nil
}

// CreateSession adds sess.
func (s *Store) CreateSession(ctx context.Context, sess *relsop.Session) error {
	created, expires := s.given(sess.CreatedAt), sess.ExpiresAt.UTC().Truncate(time.Microsecond)
	_, err := s.write.ExecContext(ctx, `
		INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		sess.TokenHash, sess.UserID, sess.CSRF, micros(created), micros(expires))
	if err != nil {
		return storeErr(err, "session")
	}
	sess.CreatedAt, sess.ExpiresAt = created, expires
	return nil
}

// SessionByToken returns the session with tokenHash unless it expired by now.
func (s *Store) SessionByToken(ctx context.Context, tokenHash string, now time.Time) (*relsop.Session, error) {
	var sess relsop.Session
	var created, expires int64
	err := s.read.QueryRowContext(ctx, `
		SELECT token_hash, user_id, csrf, created_at, expires_at FROM sessions
		WHERE token_hash = ? AND expires_at > ?`, tokenHash, micros(now)).
		Scan(&sess.TokenHash, &sess.UserID, &sess.CSRF, &created, &expires)
	if err != nil {
		return nil, storeErr(err, "session")
	}
	sess.CreatedAt, sess.ExpiresAt = fromMicros(created), fromMicros(expires)
	return &sess, nil
}

// DeleteSession ends the session with tokenHash.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	if err != nil {
		return storeErr(err, "session")
	}
	return mustAffect(res, "session")
}

// CreateAPIToken adds t.
func (s *Store) CreateAPIToken(ctx context.Context, t *relsop.APIToken) error {
	created := s.given(t.CreatedAt)
	err := s.write.QueryRowContext(ctx, `
		INSERT INTO api_tokens (user_id, name, token_hash, created_at, last_used_at) VALUES (?, ?, ?, ?, ?)
		RETURNING id`,
		t.UserID, t.Name, t.TokenHash, micros(created), nullMicros(t.LastUsedAt)).Scan(&t.ID)
	if err != nil {
		return storeErr(err, "API token")
	}
	t.CreatedAt = created
	return nil
}

const tokenCols = `id, user_id, name, token_hash, created_at, last_used_at`

func scanToken(row scanner) (relsop.APIToken, error) {
	var t relsop.APIToken
	var created int64
	var used sql.NullInt64
	err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.TokenHash, &created, &used)
	t.CreatedAt, t.LastUsedAt = fromMicros(created), fromNullMicros(used)
	return t, err
}

// APITokenByHash returns the token with tokenHash and records now as its
// last use, in one statement.
func (s *Store) APITokenByHash(ctx context.Context, tokenHash string, now time.Time) (*relsop.APIToken, error) {
	t, err := scanToken(s.write.QueryRowContext(ctx, `
		UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ? RETURNING `+tokenCols,
		micros(now), tokenHash))
	if err != nil {
		return nil, storeErr(err, "API token")
	}
	return &t, nil
}

// APITokens lists userID's tokens by id.
func (s *Store) APITokens(ctx context.Context, userID int64) ([]relsop.APIToken, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE user_id = ? ORDER BY id`, userID)
	return collect(rows, err, "API tokens", scanToken)
}

// DeleteAPIToken deletes token id if it belongs to userID.
func (s *Store) DeleteAPIToken(ctx context.Context, userID, id int64) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM api_tokens WHERE id = ? AND user_id = ?`, id, userID)
	if err != nil {
		return storeErr(err, "API token")
	}
	return mustAffect(res, "API token")
}
