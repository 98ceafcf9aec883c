package workspace

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/notify"
)

// Webhooks: the addresses a workspace's release events are posted to, for
// a chat channel or another tool (docs/webhooks.md). Owners add, test and
// remove them; only owners see them, since an address often holds a token.

// Events are the events a webhook may receive: a release's, and an
// SOP's review.
var Events = []string{
	"release.started",  // a release began
	"gate.waiting",     // a gate is ready and waits for its sign-offs
	"gate.decided",     // a gate was decided (go, no-go...)
	"gate.escalated",   // a blocked gate went to its escalation role
	"gate.overdue",     // a gate has waited past its escalation time
	"step.late",        // a step runs past its SLA
	"step.failed",      // a step failed
	"release.finished", // a release reached its end
	"release.aborted",  // a release was stopped before its end
	"sop.submitted",    // an SOP was submitted for review
	"sop.approved",     // an SOP in review was approved
	"sop.returned",     // an SOP in review was sent back to draft
	"sop.review_due",   // an SOP's scheduled review comes within a week of falling due
}

// maxWebhooks bounds a workspace's webhooks.
const maxWebhooks = 20

// WebhookRequest adds a webhook.
type WebhookRequest struct {
	URL string `json:"url"`
	// Events it receives; none means every event.
	Events []string `json:"events"`
}

// Webhooks lists a workspace's webhooks, for its owners.
func (s *Service) Webhooks(ctx context.Context, workspaceID int64) ([]relsop.Webhook, error) {
	if _, err := s.access(ctx, workspaceID, relsop.RoleOwner, "workspace"); err != nil {
		return nil, err
	}
	return s.store.Webhooks(ctx, workspaceID)
}

// AddWebhook adds a webhook and returns it with its secret, which the
// owner gives the receiver so that it can check the signatures.
func (s *Service) AddWebhook(ctx context.Context, workspaceID int64, req WebhookRequest) (*relsop.Webhook, error) {
	m, err := s.access(ctx, workspaceID, relsop.RoleOwner, "workspace")
	if err != nil {
		return nil, err
	}
	if s.notify == nil {
		return nil, relsop.Errorf(relsop.EINVALID, "This server does not deliver webhooks.")
	}
	req.URL = strings.TrimSpace(req.URL)
	if err := notify.CheckURL(req.URL, s.webhooksPrivate); err != nil {
		return nil, relsop.Errorf(relsop.EINVALID, "Cannot add the webhook: %v.", err)
	}
	events := req.Events
	if len(events) == 0 {
		events = slices.Clone(Events) // the webhook's own list, not the package's
	}
	for _, e := range events {
		if !slices.Contains(Events, e) {
			return nil, relsop.Errorf(relsop.EINVALID, "There is no event %q; the events are %s.", e, strings.Join(Events, ", "))
		}
	}
	existing, err := s.store.Webhooks(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	if len(existing) >= maxWebhooks {
		return nil, relsop.Errorf(relsop.EINVALID, "A workspace has at most %d webhooks; remove one first.", maxWebhooks)
	}
	h := &relsop.Webhook{WorkspaceID: workspaceID, URL: req.URL, Secret: notify.NewSecret(), Events: events, CreatedBy: m.UserID}
	if err := s.store.CreateWebhook(ctx, h); err != nil {
		return nil, err
	}
	return h, nil
}

// DeleteWebhook removes a webhook.
func (s *Service) DeleteWebhook(ctx context.Context, workspaceID, id int64) error {
	if _, err := s.access(ctx, workspaceID, relsop.RoleOwner, "workspace"); err != nil {
		return err
	}
	if err := s.store.DeleteWebhook(ctx, workspaceID, id); relsop.ErrorCode(err) == relsop.ENOTFOUND {
		return relsop.Errorf(relsop.ENOTFOUND, "No such webhook.")
	} else if err != nil {
		return err
	}
	return nil
}

// PingWebhook posts a "ping" event to a webhook at once, records how it
// went, and returns the webhook as it then is: for an owner to check the
// address and the receiver.
func (s *Service) PingWebhook(ctx context.Context, workspaceID, id int64) (*relsop.Webhook, error) {
	if _, err := s.access(ctx, workspaceID, relsop.RoleOwner, "workspace"); err != nil {
		return nil, err
	}
	if s.notify == nil {
		return nil, relsop.Errorf(relsop.EINVALID, "This server does not deliver webhooks.")
	}
	h, err := s.webhook(ctx, workspaceID, id)
	if err != nil {
		return nil, err
	}
	ws, err := s.store.WorkspaceByID(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	body, _ := json.Marshal(map[string]any{"event": "ping", "at": s.now().UTC(),
		"text":      slackText("relsop: webhook test from the workspace " + ws.Name + "."),
		"workspace": map[string]any{"id": ws.ID, "name": ws.Name}})
	r := s.notify.Attempt(ctx, notify.Delivery{Hook: *h, Event: "ping", Body: body})
	h.LastAt, h.LastStatus, h.LastError = s.now().UTC(), r.Status, errText(r.Err)
	if err := s.store.SetWebhookDelivery(ctx, h.ID, h.LastAt, h.LastStatus, h.LastError); err != nil {
		return nil, err
	}
	return h, nil
}

func (s *Service) webhook(ctx context.Context, workspaceID, id int64) (*relsop.Webhook, error) {
	hooks, err := s.store.Webhooks(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	for i := range hooks {
		if hooks[i].ID == id {
			return &hooks[i], nil
		}
	}
	return nil, relsop.Errorf(relsop.ENOTFOUND, "No such webhook.")
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// RecordDelivery is the notify.Sender's Record for a store: it keeps how
// each delivery ended on its webhook.
func RecordDelivery(store relsop.Store) func(ctx context.Context, hookID int64, at time.Time, r notify.Result) {
	return func(ctx context.Context, hookID int64, at time.Time, r notify.Result) {
		_ = store.SetWebhookDelivery(ctx, hookID, at.UTC(), r.Status, errText(r.Err)) // ENOTFOUND: deleted since
	}
}
