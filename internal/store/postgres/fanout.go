package postgres

import (
	"bytes"
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/relsop/relsop"
)

var _ relsop.Fanout = (*Store)(nil)

// channel is the NOTIFY channel Fanout messages travel on. A notification
// reaches every session of the database, whatever its search path: the
// processes that share a database share the channel.
const channel = "relsop_live"

// Subscribe waits this long before it connects again after losing its
// connection, doubling the wait after each failed attempt.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 10 * time.Second
)

// Publish sends payload to every subscriber with NOTIFY. A notification
// is text: payload must be UTF-8 without NUL bytes.
func (s *Store) Publish(ctx context.Context, payload []byte) error {
	switch {
	case len(payload) > relsop.MaxFanoutPayload:
		return relsop.Errorf(relsop.EINVALID, "a fanout message of %d bytes is over the limit of %d", len(payload), relsop.MaxFanoutPayload)
	case !utf8.Valid(payload) || bytes.IndexByte(payload, 0) >= 0:
		return relsop.Errorf(relsop.EINVALID, "a fanout message must be UTF-8 text without NUL bytes")
	}
	if _, err := s.pool.Exec(ctx, "SELECT pg_notify($1, $2)", channel, string(payload)); err != nil {
		return fmt.Errorf("postgres: publish: %w", err)
	}
	return nil
}

// Subscribe listens on a connection of its own rather than one of the
// pool's: it holds the connection for as long as ctx lasts, which would
// take it from the queries for good. The connection is closed when ctx
// ends, not by Close.
//
// It returns an error only when its first connection fails; after that it
// connects again, with backoff, whenever the connection is lost, and
// returns nil when ctx ends. fn runs on Subscribe's goroutine: while it
// runs, notifications wait in the database's queue.
func (s *Store) Subscribe(ctx context.Context, fn func(payload []byte)) error {
	conn, err := s.listen(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	for {
		receive(ctx, conn, fn) // until the connection is lost or ctx ends
		closeConn(conn)
		if conn = s.relisten(ctx); conn == nil {
			return nil
		}
		fn(nil) // messages published while we were away are lost
	}
}

// listen connects with the pool's configuration and listens on channel.
func (s *Store) listen(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig)
	if err != nil {
		return nil, fmt.Errorf("postgres: subscribe: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		closeConn(conn)
		return nil, fmt.Errorf("postgres: subscribe: %w", err)
	}
	return conn, nil
}

// relisten tries to listen until it succeeds, waiting longer after each
// failure, and returns nil when ctx ends first.
func (s *Store) relisten(ctx context.Context) *pgx.Conn {
	wait := minBackoff
	for {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		conn, err := s.listen(ctx)
		if err == nil {
			return conn
		}
		wait = min(2*wait, maxBackoff)
	}
}

// receive calls fn with each notification conn receives until it fails.
func receive(ctx context.Context, conn *pgx.Conn, fn func(payload []byte)) {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return
		}
		payload := []byte(n.Payload)
		if payload == nil {
			payload = []byte{} // nil means "reconnected"
		}
		fn(payload)
	}
}

// closeConn closes conn, giving the goodbye to the server a moment.
func closeConn(conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	conn.Close(ctx)
}
