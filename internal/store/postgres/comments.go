package postgres

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/relsop/relsop"
)

// CreateComment adds c, setting its ID and CreatedAt, and sorting its
// mentions and dropping duplicates.
func (s *Store) CreateComment(ctx context.Context, c *relsop.Comment) error {
	created := s.now()
	mentions := slices.Compact(slices.Sorted(slices.Values(c.Mentions)))
	var parent *int64
	if c.ParentID != 0 {
		parent = &c.ParentID
	}
	var id int64
	err := s.pool.QueryRow(ctx, `
		INSERT INTO comments (document_id, step_id, parent_id, author_id, body, mentions, resolved, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		c.DocumentID, c.StepID, parent, c.AuthorID, c.Body, int64Array(mentions), c.Resolved, created).Scan(&id)
	if err != nil {
		return fail(err, "comment")
	}
	c.ID, c.CreatedAt = id, created
	if len(mentions) == 0 {
		mentions = nil
	}
	c.Mentions = mentions
	return nil
}

const commentQuery = `
	SELECT c.id, c.document_id, c.step_id, coalesce(c.parent_id, 0), c.author_id, u.name, c.body,
		c.mentions, c.resolved, c.created_at
	FROM comments c JOIN users u ON u.id = c.author_id`

func scanComment(row pgx.Row) (relsop.Comment, error) { return scanCommentWith(row) }

// scanCommentWith scans commentQuery's columns, then extra ones into more.
func scanCommentWith(row pgx.Row, more ...any) (relsop.Comment, error) {
	var c relsop.Comment
	dest := append([]any{&c.ID, &c.DocumentID, &c.StepID, &c.ParentID, &c.AuthorID, &c.AuthorName, &c.Body,
		&c.Mentions, &c.Resolved, &c.CreatedAt}, more...)
	err := row.Scan(dest...)
	if len(c.Mentions) == 0 {
		c.Mentions = nil
	}
	c.CreatedAt = c.CreatedAt.UTC()
	return c, err
}

// CommentByID returns the comment with the given id.
func (s *Store) CommentByID(ctx context.Context, id int64) (*relsop.Comment, error) {
	c, err := scanComment(s.pool.QueryRow(ctx, commentQuery+" WHERE c.id = $1", id))
	if err != nil {
		return nil, fail(err, fmt.Sprintf("comment %d", id))
	}
	return &c, nil
}

// Comments lists a document's comments in the order they were made.
func (s *Store) Comments(ctx context.Context, documentID int64) ([]relsop.Comment, error) {
	rows, _ := s.pool.Query(ctx, commentQuery+" WHERE c.document_id = $1 ORDER BY c.id", documentID)
	cs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (relsop.Comment, error) {
		return scanComment(row)
	})
	if err != nil {
		return nil, fail(err, "comments")
	}
	return cs, nil
}

// Mentions lists the comments waiting for user's answer (store.go).
func (s *Store) Mentions(ctx context.Context, workspaceID, userID int64, limit int) ([]relsop.Comment, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, _ := s.pool.Query(ctx, `
		SELECT c.id, c.document_id, c.step_id, coalesce(c.parent_id, 0), c.author_id, u.name, c.body,
			c.mentions, c.resolved, c.created_at, d.title
		FROM comments c
		JOIN users u ON u.id = c.author_id
		JOIN documents d ON d.id = c.document_id
		JOIN comments root ON root.id = coalesce(c.parent_id, c.id)
		WHERE d.workspace_id = $1 AND NOT d.archived AND NOT root.resolved AND c.author_id <> $2
			AND $2 = ANY (c.mentions)
			AND NOT EXISTS (SELECT 1 FROM comments answer
				WHERE coalesce(answer.parent_id, answer.id) = root.id AND answer.author_id = $2 AND answer.id > c.id)
		ORDER BY c.id DESC LIMIT $3`, workspaceID, userID, limit)
	cs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (relsop.Comment, error) {
		var title string
		c, err := scanCommentWith(row, &title)
		c.SOPTitle = title
		return c, err
	})
	if err != nil {
		return nil, fail(err, "mentions")
	}
	return cs, nil
}

// SetCommentResolved resolves or reopens a comment.
func (s *Store) SetCommentResolved(ctx context.Context, id int64, resolved bool) error {
	tag, err := s.pool.Exec(ctx, "UPDATE comments SET resolved = $2 WHERE id = $1", id, resolved)
	return affected(tag, err, fmt.Sprintf("comment %d", id))
}

// int64Array is ids for a NOT NULL bigint[] column: pgx sends a nil slice
// as NULL.
func int64Array(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}
