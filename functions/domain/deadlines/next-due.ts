/**
 * The next-due rule (docs/lifecycle.md, "Due date"): the one deadline the owning agency works against next. It is
 * stored on the case as `dueAt`, orders each agency's queue (the `agencyQueue` index), and is carried by
 * `Case.Dispatched` and the transition events. Dispatch, linked cases (clues, recommendations) and every lifecycle
 * transition take it from here.
 */
import type { CaseStatus } from '../case/case.js';
import type { Deadlines } from './compute.js';

/**
 * `dueAt` of a case moving to `status`:
 * - waiting to be taken up (dispatched, reopened, or sent to manual review before any deadline ran): the first
 *   deadline it has of 签收 (`acceptBy`), a clue's evaluation (`evaluateBy`), 12309's procedural reply, the reply;
 * - taken up (accepted, extension_requested): the reply (`replyBy`, the extended one after a grant), else 12309's
 *   result reply;
 * - otherwise (returned, needs_review, replied, closed): unchanged.
 * Without deadlines, or when none applies, the current due date stands.
 */
export function nextDueAt(status: CaseStatus, d: Deadlines | undefined, current?: string): string | undefined {
  if (!d) return current;
  const takeUp = d.acceptBy ?? d.evaluateBy ?? d.proceduralReplyBy ?? d.replyBy;
  if (status === 'dispatched' || status === 'reopened') return takeUp ?? current;
  if (status === 'accepted' || status === 'extension_requested') return d.replyBy ?? d.resultReplyBy ?? current;
  return current ?? (status === 'needs_review' ? takeUp : undefined);
}
