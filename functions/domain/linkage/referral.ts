/**
 * Linked cases of 府检联动 (product.md §9), made from other records — pure, no clock, no I/O:
 *
 * - **Clue referral** (线索移送): a 12345 case whose classification found a clue gets a linked case of kind `clue`,
 *   owned by the procuratorate department of taxonomy.md §5 (the router's `referralAgencyId`), with
 *   `parentCaseId`. It arrives `dispatched` in the department's queue with `evaluateBy` (30 days); the government
 *   case goes on independently. A similar-case cluster raises one too (`clusterClue`).
 * - **Procuratorial recommendation** (检察建议): `issueRecommendation` makes a case of kind `recommendation` owned by
 *   the agency it is addressed to, with `replyBy` (2 months, urgent 15 days) from issue.
 *
 * Ids are derived from what made the case (the parent case, the cluster, the issuing request), so redelivery and
 * retries find the case already there instead of making a second one. Linked cases carry the masked contact only:
 * the caller's sealed details stay with the government case's owner.
 */
import { eventEnvelope, type EventEnvelope } from '../../../events/envelope.js';
import type { DomainEvent } from '../../../events/schemas.js';
import type { CaseRecord, HistoryEntry } from '../case/case.js';
import { derivedId } from '../case/case-id.js';
import type { DeadlineCalculator } from '../case/dispatch.js';
import { nextDueAt } from '../deadlines/next-due.js';
import { caseDispatchedDetail } from '../case/dispatch-events.js';
import { CaseNotProcessedError } from '../errors.js';
import type { Decision } from '../classify/decision.js';
import { maskFreeText } from '../privacy/mask.js';
import type { AgencyId, ClueKind, Domain, Urgency } from '../taxonomy.js';
import type { ClusterRecord } from './cluster-record.js';

/** Id prefixes of the linked cases made here: a case id says what kind of case it is without a read. */
const CLUE_PREFIX = 'clue';
const RECOMMENDATION_PREFIX = 'rec';

export const clueCaseIdFor = (parentCaseId: string): string => derivedId(CLUE_PREFIX, `clue\n${parentCaseId}`);
export const clusterClueCaseIdFor = (clusterId: string): string => derivedId(CLUE_PREFIX, `cluster\n${clusterId}`);

/** A clue or recommendation case id (`clue-…`, `rec-…`), told from the id alone. */
export const isLinkedCaseId = (caseId: string): boolean => caseId.startsWith(`${CLUE_PREFIX}-`) || caseId.startsWith(`${RECOMMENDATION_PREFIX}-`);

function linkedCase(
  from: CaseRecord,
  p: {
    caseId: string;
    kind: 'clue' | 'recommendation';
    agencyId: AgencyId;
    decision: Decision;
    at: string;
    urgency: Urgency;
    deadlinesFor: DeadlineCalculator;
    note: string;
  },
): CaseRecord {
  const deadlines = p.deadlinesFor({
    source: from.source,
    kind: p.kind,
    ticketType: p.decision.ticketType,
    urgency: p.urgency,
    receivedAt: from.receivedAt,
    dispatchedAt: p.at,
  });
  const entry: HistoryEntry = { version: 1, at: p.at, by: 'system:linkage', from: null, to: 'dispatched', note: p.note, agencyId: p.agencyId };
  const c: CaseRecord = {
    caseId: p.caseId,
    kind: p.kind,
    status: 'dispatched',
    version: 1,
    source: from.source,
    sourceTicketId: from.sourceTicketId,
    correlationId: from.correlationId,
    regionCode: from.regionCode,
    receivedAt: from.receivedAt,
    ingestedAt: p.at,
    urgency: p.urgency,
    ticket: from.ticket,
    decision: p.decision,
    agencyId: p.agencyId,
    referralAgencyId: null,
    dispatchedAt: p.at,
    deadlines,
    history: [entry],
  };
  if (from.contactMasked) c.contactMasked = from.contactMasked;
  const dueAt = nextDueAt('dispatched', deadlines);
  if (dueAt) c.dueAt = dueAt;
  return c;
}

/**
 * The clue referral of a dispatched 12345 case whose decision names a referral department, or undefined. The
 * parent must be the record as dispatched (its decision and `referralAgencyId` set).
 */
export function referClue(parent: CaseRecord, at: string, deadlinesFor: DeadlineCalculator): CaseRecord | undefined {
  const d = parent.decision;
  if (!d || !parent.referralAgencyId || d.clue === 'none' || parent.kind !== 'ticket') return undefined;
  const clue = linkedCase(parent, {
    caseId: clueCaseIdFor(parent.caseId),
    kind: 'clue',
    agencyId: parent.referralAgencyId,
    decision: { ...d, agencyId: parent.referralAgencyId, referralAgencyId: null, transfer: false, needsReview: false },
    at,
    urgency: parent.urgency,
    deadlinesFor,
    note: `线索移送 from ${parent.caseId}`,
  });
  clue.parentCaseId = parent.caseId;
  // The department sees what the masked contact shows and no more: numbers in the caller's words are masked too.
  // Who called is the government case owner's to open (docs/linkage.md, "What a clue's department sees").
  clue.ticket = Object.fromEntries(Object.entries(parent.ticket).map(([k, v]) => [k, typeof v === 'string' ? maskFreeText(v) : v])) as CaseRecord['ticket'];
  return clue;
}

/** The clue a similar-case cluster raises, linked to the case that completed the cluster. */
export function clusterClue(cluster: ClusterRecord, trigger: CaseRecord, at: string, deadlinesFor: DeadlineCalculator): CaseRecord {
  const d = trigger.decision;
  if (!d) throw new CaseNotProcessedError(`case ${trigger.caseId} is not classified`);
  const clue = linkedCase(trigger, {
    caseId: cluster.clueCaseId,
    kind: 'clue',
    agencyId: cluster.agencyId,
    decision: { ...d, domain: cluster.domain, clue: cluster.clue, agencyId: cluster.agencyId, referralAgencyId: null, transfer: false, needsReview: false },
    at,
    urgency: trigger.urgency,
    deadlinesFor,
    note: `类案 ${cluster.clusterId}: ${cluster.caseIds.length} cases`,
  });
  clue.parentCaseId = trigger.caseId;
  clue.clusterId = cluster.clusterId;
  // The clue is about the group, not one caller's words: its text names the grouping key and the cases.
  clue.ticket = { content: `类案线索（${cluster.keyKind}: ${cluster.groupKey}）：${cluster.caseIds.length} 件 — ${cluster.caseIds.join(', ')}` };
  delete clue.contactMasked;
  return clue;
}

export interface RecommendationInput {
  /** The procuratorate department issuing it. */
  issuedBy: AgencyId;
  /** The agency it is addressed to. */
  agencyId: AgencyId;
  /** The recommendation's text (检察建议书 summary); masked for personal data. */
  content: string;
  urgent: boolean;
  domain: Domain;
  clue: ClueKind;
  /** What it is about: a case (the clue or the government case) and/or a cluster. */
  subjectCaseId?: string | undefined;
  clusterId?: string | undefined;
  /** The issuing request's own id, so a retried POST finds the recommendation it made. */
  requestId: string;
}

export const recommendationIdFor = (issuedBy: string, requestId: string): string =>
  derivedId(RECOMMENDATION_PREFIX, `recommendation\n${issuedBy}\n${requestId}`);

/** A 检察建议 to an agency, made from its subject case (which supplies region, source and correlation). */
export function issueRecommendation(subject: CaseRecord, input: RecommendationInput, at: string, deadlinesFor: DeadlineCalculator): CaseRecord {
  const urgency: Urgency = input.urgent ? 'urgent' : 'normal';
  const decision: Decision = {
    domain: input.domain,
    ticketType: 'suggestion',
    typeOverruled: false,
    clue: input.clue,
    agencyId: input.agencyId,
    referralAgencyId: null,
    transfer: false,
    confidence: 1,
    needsReview: false,
    urgency,
    evidence: [`issued-by:${input.issuedBy}`],
  };
  const rec = linkedCase(subject, {
    caseId: recommendationIdFor(input.issuedBy, input.requestId),
    kind: 'recommendation',
    agencyId: input.agencyId,
    decision,
    at,
    urgency,
    deadlinesFor,
    note: `检察建议 from ${input.issuedBy}`,
  });
  rec.history[0]!.by = `system:linkage@${input.issuedBy}`;
  rec.issuedBy = input.issuedBy;
  rec.ticket = { content: maskFreeText(input.content.trim()) };
  rec.receivedAt = at;
  delete rec.contactMasked;
  if (input.subjectCaseId) rec.parentCaseId = input.subjectCaseId;
  if (input.clusterId) rec.clusterId = input.clusterId;
  return rec;
}

const envelopeOf = (c: CaseRecord, type: string, h: HistoryEntry): EventEnvelope =>
  eventEnvelope({ case: c, idType: type, version: h.version, occurredAt: h.at });

/**
 * The events of a linked case's creation, rebuilt from its record (same ids on every retry): `Case.Dispatched`
 * (so the owner's queue receives it like any case) and `Clue.Referred` or `Recommendation.Issued`.
 */
export function linkedCaseEvents(c: CaseRecord): DomainEvent[] {
  const created = c.history[0];
  if (!created || !c.agencyId || !c.deadlines) throw new CaseNotProcessedError(`case ${c.caseId} is not a linked case`);
  const events: DomainEvent[] = [{ type: 'Case.Dispatched', detail: caseDispatchedDetail(c, envelopeOf(c, 'Case.Dispatched', created), 'dispatched') }];
  if (c.kind === 'clue') {
    const detail: DomainEvent<'Clue.Referred'>['detail'] = {
      ...envelopeOf(c, 'Clue.Referred', created),
      parentCaseId: c.parentCaseId ?? c.caseId,
      agencyId: c.agencyId,
      clue: c.decision!.clue,
      evaluateBy: c.deadlines.evaluateBy ?? null,
    };
    if (c.clusterId) detail.clusterId = c.clusterId;
    events.push({ type: 'Clue.Referred', detail });
  } else if (c.kind === 'recommendation') {
    events.push({ type: 'Recommendation.Issued', detail: recommendationDetail(c, envelopeOf(c, 'Recommendation.Issued', created)) });
  }
  return events;
}

export function recommendationDetail(c: CaseRecord, envelope: EventEnvelope): DomainEvent<'Recommendation.Issued'>['detail'] {
  if (!c.agencyId || !c.issuedBy || !c.deadlines?.replyBy) throw new CaseNotProcessedError(`case ${c.caseId} is not a recommendation`);
  const detail: DomainEvent<'Recommendation.Issued'>['detail'] = {
    ...envelope,
    agencyId: c.agencyId,
    issuedBy: c.issuedBy,
    replyBy: c.deadlines.replyBy,
    urgency: c.urgency,
  };
  if (c.parentCaseId) detail.subjectCaseId = c.parentCaseId;
  if (c.clusterId) detail.clusterId = c.clusterId;
  if (c.followUpAt) detail.followUpAt = c.followUpAt;
  return detail;
}
