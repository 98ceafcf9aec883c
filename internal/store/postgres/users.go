package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/relsop/relsop"
)

// CreateUser adds u. The table lock makes concurrent sign-ups wait for
// each other, so that exactly one of them finds the table empty and is
// made admin.
func (s *Store) CreateUser(ctx context.Context, u *relsop.User) error {
	email := strings.ToLower(u.Email)
	created := s.now()
	var id int64
	var admin bool
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			return fail(err, "user")
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO users (email, name, password_hash, admin, created_at)
			VALUES ($1, $2, $3, NOT EXISTS (SELECT 1 FROM users), $4)
			RETURNING id, admin`,
			email, u.Name, u.PasswordHash, created).Scan(&id, &admin)
		if err != nil {
			return fail(err, "a user with this email")
		}
		return nil
	})
	if err != nil {
		return err
	}
	u.ID, u.Email, u.Admin, u.CreatedAt = id, email, admin, created
	return nil
}

const userColumns = "id, email, name, password_hash, admin, mail_off, mail_digest, time_zone, created_at"

func scanUser(row pgx.Row) (*relsop.User, error) {
	var u relsop.User
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.Admin, &u.MailOff, &u.MailDigest, &u.TimeZone, &u.CreatedAt); err != nil {
		return nil, err
	}
	u.CreatedAt = u.CreatedAt.UTC()
	return &u, nil
}

// UserByID returns the user with the given id.
func (s *Store) UserByID(ctx context.Context, id int64) (*relsop.User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", id))
	if err != nil {
		return nil, fail(err, "user")
	}
	return u, nil
}

// UserByEmail returns the user with the given email, in any case.
func (s *Store) UserByEmail(ctx context.Context, email string) (*relsop.User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE email = $1", strings.ToLower(email)))
	if err != nil {
		return nil, fail(err, "user")
	}
	return u, nil
}

// SetMailOff records whether userID wants no notification emails.
func (s *Store) SetMailOff(ctx context.Context, userID int64, off bool) error {
	tag, err := s.pool.Exec(ctx, "UPDATE users SET mail_off = $2 WHERE id = $1", userID, off)
	return affected(tag, err, fmt.Sprintf("user %d", userID))
}

// SetMailDigest records whether userID wants one summary email a day.
func (s *Store) SetMailDigest(ctx context.Context, userID int64, digest bool) error {
	tag, err := s.pool.Exec(ctx, "UPDATE users SET mail_digest = $2 WHERE id = $1", userID, digest)
	return affected(tag, err, fmt.Sprintf("user %d", userID))
}

// SetTimeZone records userID's time zone.
func (s *Store) SetTimeZone(ctx context.Context, userID int64, zone string) error {
	tag, err := s.pool.Exec(ctx, "UPDATE users SET time_zone = $2 WHERE id = $1", userID, zone)
	return affected(tag, err, fmt.Sprintf("user %d", userID))
}

// DigestZones lists the time zones of the users who want a summary.
func (s *Store) DigestZones(ctx context.Context) ([]string, error) {
	rows, _ := s.pool.Query(ctx, `SELECT DISTINCT time_zone COLLATE "C" AS zone FROM users
		WHERE mail_digest AND NOT mail_off ORDER BY zone`)
	zones, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fail(err, "time zones")
	}
	return zones, nil
}

// DigestUsers lists the users of zone due a summary for day: digest_day
// holds the last day claimed, and days (YYYY-MM-DD) sort as text.
func (s *Store) DigestUsers(ctx context.Context, zone, day string, limit int) ([]relsop.User, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, _ := s.pool.Query(ctx, "SELECT "+userColumns+` FROM users
		WHERE mail_digest AND NOT mail_off AND time_zone = $1 AND digest_day < $2 ORDER BY id LIMIT $3`, zone, day, limit)
	users, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (relsop.User, error) {
		u, err := scanUser(row)
		if err != nil {
			return relsop.User{}, err
		}
		return *u, nil
	})
	if err != nil {
		return nil, fail(err, "digest users")
	}
	return users, nil
}

// ClaimDigest records userID's summary for day in one conditional UPDATE:
// the row lock makes racing claims wait, and each re-checks digest_day
// after the winner commits, so exactly one of them moves it.
func (s *Store) ClaimDigest(ctx context.Context, userID int64, day string) (bool, error) {
	tag, err := s.pool.Exec(ctx, "UPDATE users SET digest_day = $2 WHERE id = $1 AND digest_day < $2", userID, day)
	if err != nil {
		return false, fail(err, fmt.Sprintf("user %d", userID))
	}
	if tag.RowsAffected() == 1 {
		return true, nil
	}
	// No row moved: already claimed, or no such user.
	var exists bool
	if err := s.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)", userID).Scan(&exists); err != nil {
		return false, fail(err, fmt.Sprintf("user %d", userID))
	}
	if !exists {
		return false, relsop.Errorf(relsop.ENOTFOUND, "user %d not found", userID)
	}
	return false, nil
}

// CreateSession adds sess, setting its CreatedAt when it is zero.
func (s *Store) CreateSession(ctx context.Context, sess *relsop.Session) error {
	created := utc(sess.CreatedAt)
	if sess.CreatedAt.IsZero() {
		created = s.now()
	}
	expires := utc(sess.ExpiresAt)
	_, err := s.pool.Exec(ctx, `
		INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`,
		sess.TokenHash, sess.UserID, sess.CSRF, created, expires)
	if err != nil {
		return fail(err, "session")
	}
	sess.CreatedAt, sess.ExpiresAt = created, expires
	return nil
}

// SessionByToken returns the session with the given token hash if it has
// not expired by now.
func (s *Store) SessionByToken(ctx context.Context, tokenHash string, now time.Time) (*relsop.Session, error) {
	var sess relsop.Session
	err := s.pool.QueryRow(ctx, `
		SELECT token_hash, user_id, csrf, created_at, expires_at FROM sessions
		WHERE token_hash = $1 AND expires_at > $2`, tokenHash, utc(now)).
		Scan(&sess.TokenHash, &sess.UserID, &sess.CSRF, &sess.CreatedAt, &sess.ExpiresAt)
	if err != nil {
		return nil, fail(err, "session")
	}
	sess.CreatedAt, sess.ExpiresAt = sess.CreatedAt.UTC(), sess.ExpiresAt.UTC()
	return &sess, nil
}

// DeleteSession removes the session with the given token hash.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	tag, err := s.pool.Exec(ctx, "DELETE FROM sessions WHERE token_hash = $1", tokenHash)
	return affected(tag, err, "session")
}

// CreateAPIToken adds t, setting its ID, and its CreatedAt when it is
// zero.
func (s *Store) CreateAPIToken(ctx context.Context, t *relsop.APIToken) error {
	created := utc(t.CreatedAt)
	if t.CreatedAt.IsZero() {
		created = s.now()
	}
	var id int64
	err := s.pool.QueryRow(ctx, `
		INSERT INTO api_tokens (user_id, name, token_hash, created_at, last_used_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		t.UserID, t.Name, t.TokenHash, created, nullTime(t.LastUsedAt)).Scan(&id)
	if err != nil {
		return fail(err, "API token")
	}
	t.ID, t.CreatedAt, t.LastUsedAt = id, created, utcOrZero(t.LastUsedAt)
	return nil
}

const apiTokenColumns = "id, user_id, name, token_hash, created_at, last_used_at"

func scanAPIToken(row pgx.Row) (relsop.APIToken, error) {
	var t relsop.APIToken
	var lastUsed *time.Time
	if err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.TokenHash, &t.CreatedAt, &lastUsed); err != nil {
		return t, err
	}
	t.CreatedAt = t.CreatedAt.UTC()
	if lastUsed != nil {
		t.LastUsedAt = lastUsed.UTC()
	}
	return t, nil
}

// APITokenByHash returns the token with the given hash and records now as
// its last use.
func (s *Store) APITokenByHash(ctx context.Context, tokenHash string, now time.Time) (*relsop.APIToken, error) {
	t, err := scanAPIToken(s.pool.QueryRow(ctx, `
		UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1
		RETURNING `+apiTokenColumns, tokenHash, utc(now)))
	if err != nil {
		return nil, fail(err, "API token")
	}
	return &t, nil
}

// APITokens lists a user's tokens by id.
func (s *Store) APITokens(ctx context.Context, userID int64) ([]relsop.APIToken, error) {
	rows, _ := s.pool.Query(ctx, "SELECT "+apiTokenColumns+" FROM api_tokens WHERE user_id = $1 ORDER BY id", userID)
	tokens, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (relsop.APIToken, error) {
		return scanAPIToken(row)
	})
	if err != nil {
		return nil, fail(err, "API tokens")
	}
	return tokens, nil
}

// DeleteAPIToken removes the user's token with the given id; ENOTFOUND
// when the user has no such token.
func (s *Store) DeleteAPIToken(ctx context.Context, userID, id int64) error {
	tag, err := s.pool.Exec(ctx, "DELETE FROM api_tokens WHERE user_id = $1 AND id = $2", userID, id)
	return affected(tag, err, "API token")
}

// nullTime is t in UTC, or nil (NULL) for the zero time.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = utc(t)
	return &t
}

// utcOrZero is utc(t), keeping the zero time zero.
func utcOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return utc(t)
}
