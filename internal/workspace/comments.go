package workspace

import (
	"context"
	"slices"
	"strings"
	"unicode"

	"github.com/relsop/relsop"
)

const maxComment = 10_000

// Comments lists an SOP's comments in the order they were made.
func (s *Service) Comments(ctx context.Context, id int64) ([]relsop.Comment, error) {
	if _, _, err := s.document(ctx, id, relsop.RoleViewer); err != nil {
		return nil, err
	}
	return s.store.Comments(ctx, id)
}

// AddComment adds a comment to an SOP, to one of its steps, or as a reply
// to a thread. Viewers may comment: reviewing is their job. Members named
// with @name or @email become mentions.
func (s *Service) AddComment(ctx context.Context, id int64, stepID string, parentID int64, body string) (*relsop.Comment, error) {
	d, m, err := s.document(ctx, id, relsop.RoleViewer)
	if err != nil {
		return nil, err
	}
	body = strings.TrimSpace(body)
	if body == "" {
		return nil, relsop.Errorf(relsop.EINVALID, "The comment is empty.")
	}
	if len([]rune(body)) > maxComment {
		return nil, relsop.Errorf(relsop.EINVALID, "A comment may have at most %d characters.", maxComment)
	}
	if parentID != 0 {
		p, err := s.store.CommentByID(ctx, parentID)
		if err != nil || p.DocumentID != id {
			return nil, relsop.Errorf(relsop.EINVALID, "The comment to reply to is not on this SOP.")
		}
		if p.ParentID != 0 {
			parentID = p.ParentID // replies go to the thread's first comment
		}
		stepID = p.StepID
	} else if stepID != "" {
		sop, err := load(d.Source)
		if err != nil || sop.Step(stepID) == nil {
			return nil, relsop.Errorf(relsop.EINVALID, "This SOP has no step %q to comment on.", stepID)
		}
	}
	members, err := s.store.Members(ctx, d.WorkspaceID)
	if err != nil {
		return nil, err
	}
	c := &relsop.Comment{DocumentID: id, StepID: stepID, ParentID: parentID, AuthorID: m.UserID, Body: body, Mentions: mentions(body, members)}
	if err := s.store.CreateComment(ctx, c); err != nil {
		return nil, err
	}
	s.mailMentions(ctx, d, c, UserFrom(ctx))
	return s.store.CommentByID(ctx, c.ID)
}

// ResolveComment resolves or reopens a comment's thread.
func (s *Service) ResolveComment(ctx context.Context, commentID int64, resolved bool) (*relsop.Comment, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	c, err := s.store.CommentByID(ctx, commentID)
	if relsop.ErrorCode(err) == relsop.ENOTFOUND {
		return nil, relsop.Errorf(relsop.ENOTFOUND, "No such comment.")
	}
	if err != nil {
		return nil, err
	}
	if _, _, err := s.document(ctx, c.DocumentID, relsop.RoleViewer); err != nil {
		if relsop.ErrorCode(err) == relsop.ENOTFOUND {
			return nil, relsop.Errorf(relsop.ENOTFOUND, "No such comment.")
		}
		return nil, err
	}
	if c.ParentID != 0 {
		commentID = c.ParentID
	}
	if err := s.store.SetCommentResolved(ctx, commentID, resolved); err != nil {
		return nil, err
	}
	return s.store.CommentByID(ctx, commentID)
}

// mentions finds the members a comment names: @email, @the-local-part of
// an email, or @name without spaces ("@AdaLovelace"), case-insensitively.
func mentions(body string, members []relsop.Member) []int64 {
	var ids []int64
	for _, word := range strings.FieldsFunc(body, unicode.IsSpace) {
		if !strings.HasPrefix(word, "@") {
			continue
		}
		ref := strings.ToLower(strings.TrimRightFunc(word[1:], func(r rune) bool { return unicode.IsPunct(r) && r != '_' && r != '-' }))
		if ref == "" {
			continue
		}
		for _, m := range members {
			email := strings.ToLower(m.Email)
			local, _, _ := strings.Cut(email, "@")
			name := strings.ToLower(strings.Join(strings.Fields(m.Name), ""))
			if ref == email || ref == local || ref == name {
				ids = append(ids, m.UserID)
			}
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}
