/**
 * The event of a lifecycle transition, rebuilt from the stored case record and its history entry alone: the id is
 * `eventIdFor(caseId, type, entry.version)` and the time is the entry's, so publishing the same transition again
 * (a retry, or a later republish from the record) yields the identical event. No personal data: the note is the
 * masked note of the history entry; a route produces `Case.Dispatched` (the new agency's queue receives it).
 */
import { caseDispatchedDetail } from '../case/dispatch-events.js';
import { CaseNotProcessedError, NotATransitionError } from '../errors.js';
import { eventEnvelope } from '../../../events/envelope.js';
import type { DomainEvent } from '../../../events/schemas.js';
import type { CaseRecord, HistoryEntry } from '../case/case.js';
import { recommendationDetail } from '../linkage/referral.js';
import { ruleOfEntry } from './transitions.js';

/** The event of `entry` (default: the latest history entry). The record must be the one that entry produced. */
export function transitionEvent(c: CaseRecord, entry: HistoryEntry | undefined = c.history.at(-1)): DomainEvent {
  if (!entry) throw new NotATransitionError(`case ${c.caseId} has no history`);
  const rule = ruleOfEntry(entry.from, entry.to, c.kind);
  if (!rule) throw new NotATransitionError(`case ${c.caseId} v${entry.version}: ${entry.from} → ${entry.to} is not a lifecycle transition`);
  const base = eventEnvelope({ case: c, idType: rule.event, version: entry.version, occurredAt: entry.at });
  if (rule.event === 'Case.Dispatched') {
    try {
      return { type: 'Case.Dispatched', detail: caseDispatchedDetail(c, base, 'dispatched') };
    } catch (e) {
      if (e instanceof CaseNotProcessedError) throw new NotATransitionError(e.message);
      throw e;
    }
  }
  if (rule.event === 'Clue.Accepted' || rule.event === 'Clue.Declined') {
    if (!c.agencyId || !c.decision) throw new NotATransitionError(`case ${c.caseId} is not a referred clue`);
    const detail: DomainEvent<'Clue.Accepted'>['detail'] = { ...base, parentCaseId: c.parentCaseId ?? c.caseId, agencyId: c.agencyId, clue: c.decision.clue };
    if (c.clusterId) detail.clusterId = c.clusterId;
    if (rule.event === 'Clue.Declined' && entry.note !== undefined) detail.reason = entry.note;
    return { type: rule.event, detail };
  }
  if (rule.event === 'Recommendation.Replied') {
    try {
      return { type: rule.event, detail: recommendationDetail(c, base) };
    } catch (e) {
      if (e instanceof CaseNotProcessedError) throw new NotATransitionError(e.message);
      throw e;
    }
  }
  // Only Case.Dispatched (above) can leave `merged` (a split), and no transition enters it.
  if (entry.from === 'merged' || entry.to === 'merged') throw new NotATransitionError(`case ${c.caseId} v${entry.version}: a merge is no transition`);
  const detail: DomainEvent<'Case.Accepted'>['detail'] = {
    ...base,
    kind: c.kind,
    agencyId: c.agencyId ?? null,
    from: entry.from,
    to: entry.to,
    version: entry.version,
    actor: entry.by,
  };
  if (entry.note !== undefined) detail.note = entry.note;
  if (c.dueAt) detail.dueAt = c.dueAt;
  return { type: rule.event, detail } as DomainEvent;
}
