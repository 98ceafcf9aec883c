package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/relsop/relsop"
)

// CreateWebhook adds h, setting its ID and CreatedAt, and sorting its
// events and dropping duplicates.
func (s *Store) CreateWebhook(ctx context.Context, h *relsop.Webhook) error {
	created := s.now()
	events := slices.Compact(slices.Sorted(slices.Values(h.Events)))
	var id int64
	err := s.pool.QueryRow(ctx, `
		INSERT INTO webhooks (workspace_id, url, secret, events, created_by, created_at, last_at, last_status, last_error)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		h.WorkspaceID, h.URL, h.Secret, textArray(events), h.CreatedBy, created,
		nullTime(h.LastAt), h.LastStatus, h.LastError).Scan(&id)
	if err != nil {
		return fail(err, "webhook")
	}
	if len(events) == 0 {
		events = nil
	}
	h.ID, h.Events, h.CreatedAt, h.LastAt = id, events, created, utcOrZero(h.LastAt)
	return nil
}

const webhookColumns = "id, workspace_id, url, secret, events, created_by, created_at, last_at, last_status, last_error"

func scanWebhook(row pgx.Row) (relsop.Webhook, error) {
	var h relsop.Webhook
	var last *time.Time
	err := row.Scan(&h.ID, &h.WorkspaceID, &h.URL, &h.Secret, &h.Events, &h.CreatedBy, &h.CreatedAt,
		&last, &h.LastStatus, &h.LastError)
	if err != nil {
		return h, err
	}
	if len(h.Events) == 0 {
		h.Events = nil
	}
	h.CreatedAt = h.CreatedAt.UTC()
	if last != nil {
		h.LastAt = last.UTC()
	}
	return h, nil
}

// Webhooks lists a workspace's webhooks by id.
func (s *Store) Webhooks(ctx context.Context, workspaceID int64) ([]relsop.Webhook, error) {
	rows, _ := s.pool.Query(ctx, "SELECT "+webhookColumns+" FROM webhooks WHERE workspace_id = $1 ORDER BY id", workspaceID)
	hooks, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (relsop.Webhook, error) {
		return scanWebhook(row)
	})
	if err != nil {
		return nil, fail(err, fmt.Sprintf("webhooks of workspace %d", workspaceID))
	}
	return hooks, nil
}

// DeleteWebhook removes webhook id of workspaceID: a webhook of another
// workspace is not found.
func (s *Store) DeleteWebhook(ctx context.Context, workspaceID, id int64) error {
	tag, err := s.pool.Exec(ctx, "DELETE FROM webhooks WHERE workspace_id = $1 AND id = $2", workspaceID, id)
	return affected(tag, err, fmt.Sprintf("webhook %d", id))
}

// SetWebhookDelivery records the last delivery tried of webhook id.
func (s *Store) SetWebhookDelivery(ctx context.Context, id int64, at time.Time, status int, errText string) error {
	tag, err := s.pool.Exec(ctx, "UPDATE webhooks SET last_at = $2, last_status = $3, last_error = $4 WHERE id = $1",
		id, nullTime(at), status, errText)
	return affected(tag, err, fmt.Sprintf("webhook %d", id))
}
