package sqlite

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"github.com/relsop/relsop"
)

// CreateComment adds c. Its mentions are stored sorted and without
// duplicates, as store.go describes them, whatever order they came in.
func (s *Store) CreateComment(ctx context.Context, c *relsop.Comment) error {
	created := s.stamp()
	mentions := slices.Compact(slices.Sorted(slices.Values(c.Mentions)))
	parent := sql.NullInt64{Int64: c.ParentID, Valid: c.ParentID != 0}
	err := s.write.QueryRowContext(ctx, `
		INSERT INTO comments (document_id, step_id, parent_id, author_id, body, mentions, resolved, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		c.DocumentID, c.StepID, parent, c.AuthorID, c.Body, joinIDs(mentions), c.Resolved, micros(created)).Scan(&c.ID)
	if err != nil {
		return storeErr(err, "comment")
	}
	c.Mentions, c.CreatedAt = mentions, created
	return nil
}

// commentQuery selects comments with their author's name; callers add the
// rest.
const commentQuery = `
	SELECT c.id, c.document_id, c.step_id, c.parent_id, c.author_id, u.name, c.body, c.mentions, c.resolved, c.created_at
	FROM comments c JOIN users u ON u.id = c.author_id `

func scanComment(row scanner) (relsop.Comment, error) { return scanCommentWith(row) }

// scanCommentWith scans commentQuery's columns, then extra ones into more.
func scanCommentWith(row scanner, more ...any) (relsop.Comment, error) {
	var c relsop.Comment
	var parent sql.NullInt64
	var mentions string
	var created int64
	dest := append([]any{&c.ID, &c.DocumentID, &c.StepID, &parent, &c.AuthorID, &c.AuthorName, &c.Body, &mentions, &c.Resolved, &created}, more...)
	err := row.Scan(dest...)
	if err != nil {
		return c, err
	}
	c.ParentID, c.CreatedAt = parent.Int64, fromMicros(created)
	c.Mentions, err = splitIDs(mentions)
	return c, err
}

// CommentByID returns the comment with id.
func (s *Store) CommentByID(ctx context.Context, id int64) (*relsop.Comment, error) {
	c, err := scanComment(s.read.QueryRowContext(ctx, commentQuery+`WHERE c.id = ?`, id))
	if err != nil {
		return nil, storeErr(err, "comment")
	}
	return &c, nil
}

// Comments lists a document's comments in the order they were made.
func (s *Store) Comments(ctx context.Context, documentID int64) ([]relsop.Comment, error) {
	rows, err := s.read.QueryContext(ctx, commentQuery+`WHERE c.document_id = ? ORDER BY c.id`, documentID)
	return collect(rows, err, "comments", scanComment)
}

// Mentions lists the comments waiting for user's answer (store.go). The
// mentions column is "3,7,12", so ",7," is found in ",3,7,12,".
func (s *Store) Mentions(ctx context.Context, workspaceID, userID int64, limit int) ([]relsop.Comment, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.read.QueryContext(ctx, `
		SELECT c.id, c.document_id, c.step_id, c.parent_id, c.author_id, u.name, c.body, c.mentions, c.resolved, c.created_at, d.title
		FROM comments c
		JOIN users u ON u.id = c.author_id
		JOIN documents d ON d.id = c.document_id
		JOIN comments root ON root.id = coalesce(c.parent_id, c.id)
		WHERE d.workspace_id = ?1 AND d.archived = 0 AND root.resolved = 0 AND c.author_id <> ?2
			AND (',' || c.mentions || ',') LIKE ('%,' || ?2 || ',%')
			AND NOT EXISTS (SELECT 1 FROM comments answer
				WHERE coalesce(answer.parent_id, answer.id) = root.id AND answer.author_id = ?2 AND answer.id > c.id)
		ORDER BY c.id DESC LIMIT ?3`, workspaceID, userID, limit)
	return collect(rows, err, "mentions", func(row scanner) (relsop.Comment, error) {
		var title string
		c, err := scanCommentWith(row, &title)
		c.SOPTitle = title
		return c, err
	})
}

// SetCommentResolved resolves or reopens a comment.
func (s *Store) SetCommentResolved(ctx context.Context, id int64, resolved bool) error {
	res, err := s.write.ExecContext(ctx, `UPDATE comments SET resolved = ? WHERE id = ?`, resolved, id)
	if err != nil {
		return storeErr(err, "comment")
	}
	return mustAffect(res, "comment")
}

// joinIDs and splitIDs store mentions as "3,7,12": they are read and
// written as a whole, and searched only by Mentions with LIKE, so a table
// would buy little.
func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func splitIDs(s string) ([]int64, error) {
	if s == "" {
		return nil, nil
	}
	var ids []int64
	for part := range strings.SplitSeq(s, ",") {
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}
