package sqlite

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/relsop/relsop"
)

// CreateWebhook adds h. Its events are stored sorted and without
// duplicates, as store.go describes them, whatever order they came in.
func (s *Store) CreateWebhook(ctx context.Context, h *relsop.Webhook) error {
	created := s.stamp()
	events := slices.Compact(slices.Sorted(slices.Values(h.Events)))
	last := nullMicros(h.LastAt)
	err := s.write.QueryRowContext(ctx, `
		INSERT INTO webhooks (workspace_id, url, secret, events, created_by, created_at, last_at, last_status, last_error)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		h.WorkspaceID, h.URL, h.Secret, joinEvents(events), h.CreatedBy, micros(created),
		last, h.LastStatus, h.LastError).Scan(&h.ID)
	if err != nil {
		return storeErr(err, "webhook")
	}
	h.Events, h.CreatedAt, h.LastAt = events, created, fromNullMicros(last)
	return nil
}

func scanWebhook(row scanner) (relsop.Webhook, error) {
	var h relsop.Webhook
	var events string
	var created int64
	var last sql.NullInt64
	err := row.Scan(&h.ID, &h.WorkspaceID, &h.URL, &h.Secret, &events, &h.CreatedBy, &created,
		&last, &h.LastStatus, &h.LastError)
	h.Events, h.CreatedAt, h.LastAt = splitEvents(events), fromMicros(created), fromNullMicros(last)
	return h, err
}

// Webhooks lists a workspace's webhooks by id.
func (s *Store) Webhooks(ctx context.Context, workspaceID int64) ([]relsop.Webhook, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT id, workspace_id, url, secret, events, created_by, created_at, last_at, last_status, last_error
		FROM webhooks WHERE workspace_id = ? ORDER BY id`, workspaceID)
	return collect(rows, err, "webhooks", scanWebhook)
}

// DeleteWebhook removes webhook id of workspaceID: a webhook of another
// workspace is not found.
func (s *Store) DeleteWebhook(ctx context.Context, workspaceID, id int64) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM webhooks WHERE workspace_id = ? AND id = ?`, workspaceID, id)
	if err != nil {
		return storeErr(err, "webhook")
	}
	return mustAffect(res, "webhook")
}

// SetWebhookDelivery records the last delivery tried of webhook id.
func (s *Store) SetWebhookDelivery(ctx context.Context, id int64, at time.Time, status int, errText string) error {
	res, err := s.write.ExecContext(ctx, `
		UPDATE webhooks SET last_at = ?, last_status = ?, last_error = ? WHERE id = ?`,
		nullMicros(at), status, errText, id)
	if err != nil {
		return storeErr(err, "webhook")
	}
	return mustAffect(res, "webhook")
}

// joinEvents and splitEvents store a webhook's events as
// "release.finished,release.started": event names never hold a comma, and
// the list is read and written as a whole.
func joinEvents(events []string) string { return strings.Join(events, ",") }

func splitEvents(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
