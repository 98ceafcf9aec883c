-- The date (YYYY-MM-DD) an SOP's scheduled review falls due: its
-- review.last_reviewed plus its review.cadence; '' when it states either
-- not. NULL for documents saved before the column existed, until the
-- server derives theirs (workspace.Service.DeriveReviewDates, at start).
ALTER TABLE documents ADD COLUMN review_due TEXT;
CREATE INDEX documents_review_due ON documents (workspace_id, review_due);
