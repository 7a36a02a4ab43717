/**
 * Dispatch (派单): the pure state change from `received` to `dispatched` (or `needs_review`, which places the
 * case in the region's dispatch-center queue) once the classifier and router have decided.
 */
import type { Decision } from '../classify/decision.js';
import type { CaseKind, CaseRecord, Deadlines } from './case.js';

export type { DeadlineInput } from '../deadlines/compute.js';
import type { DeadlineInput } from '../deadlines/compute.js';
import { nextDueAt } from '../deadlines/next-due.js';

export type DeadlineCalculator = (input: DeadlineInput) => Deadlines;

export function dispatch(c: CaseRecord, d: Decision, deadlinesFor: DeadlineCalculator, at: string): CaseRecord {
  if (c.status !== 'received') throw new Error(`case ${c.caseId} is ${c.status}, not received`);
  const kind: CaseKind = d.transfer ? 'transfer' : c.kind;
  const status = d.needsReview ? 'needs_review' : 'dispatched';
  const deadlines = deadlinesFor({ source: c.source, kind, ticketType: d.ticketType, urgency: d.urgency, receivedAt: c.receivedAt, dispatchedAt: at });
  const version = c.version + 1;
  const dueAt = nextDueAt(status, deadlines);
  const next: CaseRecord = {
    ...c,
    kind,
    status,
    version,
    urgency: d.urgency,
    decision: d,
    agencyId: d.agencyId,
    referralAgencyId: d.referralAgencyId,
    dispatchedAt: at,
    deadlines,
    history: [...c.history, { version, at, by: 'system:router', from: c.status, to: status, note: d.agencyId, agencyId: d.agencyId }],
  };
  if (dueAt) next.dueAt = dueAt;
  return next;
}
