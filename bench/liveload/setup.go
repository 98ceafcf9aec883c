// Set-up over the API before the load: users, SOPs, the invite and the
// API tokens.

package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/relsop/relsop/bench/internal/wsbench"
)

// setUp signs up the editors, makes the documents and the tokens; it
// returns the documents' ids, the step ids and a token per editor.
func setUp(ctx context.Context, base string, cfg config) (docs []int64, steps []string, tokens []string, err error) {
	stamp := time.Now().UnixNano()
	clients := make([]*wsbench.Client, cfg.editors)
	tokens = make([]string, cfg.editors)
	parallel := func(f func(i int) error) error {
		return inParallel(cfg.editors, 2*runtime.NumCPU(), f)
	}
	if err := parallel(func(i int) error {
		c, err := wsbench.NewClient(ctx, base)
		if err != nil {
			return err
		}
		if _, err := c.SignUp(ctx, fmt.Sprintf("live%d-%d@bench.example.com", i, stamp), fmt.Sprintf("Editor %d", i)); err != nil {
			return fmt.Errorf("sign up editor %d: %w", i, err)
		}
		clients[i] = c
		return nil
	}); err != nil {
		return nil, nil, nil, err
	}
	owner := clients[0]
	var me struct {
		Workspaces []struct {
			ID int64 `json:"id"`
		} `json:"workspaces"`
	}
	if _, err := owner.Call(ctx, "GET", "/api/me", nil, &me); err != nil {
		return nil, nil, nil, err
	}
	ws := me.Workspaces[0].ID
	for range cfg.docs {
		var created struct {
			Document wsbench.Document `json:"document"`
		}
		if _, err := owner.Call(ctx, "POST", "/api/sops", map[string]any{"workspace_id": ws, "template": "saas-weekly"}, &created); err != nil {
			return nil, nil, nil, fmt.Errorf("create an SOP: %w", err)
		}
		docs = append(docs, created.Document.ID)
	}
	m, err := owner.Model(ctx, docs[0])
	if err != nil {
		return nil, nil, nil, err
	}
	for _, s := range m.Steps {
		if s.Kind != "start" && s.Kind != "end" {
			steps = append(steps, s.ID)
		}
	}
	if len(steps) == 0 {
		return nil, nil, nil, errors.New("the saas-weekly SOP has no steps")
	}
	var inv struct {
		Token string `json:"token"`
	}
	if _, err := owner.Call(ctx, "POST", fmt.Sprintf("/api/workspaces/%d/invites", ws), map[string]any{"role": "editor"}, &inv); err != nil {
		return nil, nil, nil, fmt.Errorf("invite: %w", err)
	}
	if err := parallel(func(i int) error {
		c := clients[i]
		if i > 0 {
			if _, err := c.Call(ctx, "POST", "/api/invites/"+inv.Token+"/accept", map[string]any{}, nil); err != nil {
				return fmt.Errorf("editor %d accepts the invite: %w", i, err)
			}
		}
		var tok struct {
			Token string `json:"token"`
		}
		if _, err := c.Call(ctx, "POST", "/api/tokens", map[string]any{"name": "liveload"}, &tok); err != nil {
			return fmt.Errorf("token of editor %d: %w", i, err)
		}
		tokens[i] = tok.Token
		c.HTTP.CloseIdleConnections()
		return nil
	}); err != nil {
		return nil, nil, nil, err
	}
	return docs, steps, tokens, nil
}

// inParallel runs f(0) … f(n-1), at most limit at a time, and joins their
// errors.
func inParallel(n, limit int, f func(i int) error) error {
	var wg sync.WaitGroup
	sem := make(chan struct{}, limit)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = f(i)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
