// scheduled.js: an approved SOP's scheduled review, its review.cadence
// after its review.last_reviewed, which the server derives into each
// document's review_due. From a week before that date the SOP says so: a
// badge in the library, a notice in the editor (the inbox lists it too,
// from the server's own count, by the member's time zone).
import { h, dateIn } from './dom.js';

// NOTICE_DAYS is how early a review coming due is shown: as the inbox does.
const NOTICE_DAYS = 7;

/**
 * reviewComing is {due, overdue} for doc (a document as the API gives
 * it) when it is approved and its review falls due within a week of the
 * browser's today or is past; null otherwise. Only an approved SOP's
 * review is kept to time: a draft is still being changed anyway.
 */
export function reviewComing(doc) {
  const due = doc && doc.status === 'approved' ? doc.review_due : '';
  if (!due || due > dateIn(NOTICE_DAYS)) return null;
  return { due, overdue: due < dateIn(0) };
}

/** reviewBadge marks an SOP whose review is coming or overdue in a list; null when it is not. */
export function reviewBadge(doc) {
  const r = reviewComing(doc);
  if (!r) return null;
  const title = r.overdue ? `Scheduled review was due on ${r.due}` : `Scheduled review falls due on ${r.due}`;
  // The overdue badge is short on screen; a screen reader hears since when.
  return r.overdue
    ? h('span', { class: 'badge badge-review-overdue', title }, 'review overdue', h('span', { class: 'sr-only', text: ` since ${r.due}` }))
    : h('span', { class: 'badge badge-review-due', title, text: `review due ${r.due}` });
}
