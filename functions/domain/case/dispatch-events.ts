/**
 * The events of a processed ticket, rebuilt from the stored case record alone. Because ids and timestamps come
 * from the record (not from the clock), a retry after a crash republishes byte-identical events.
 */
import { eventEnvelope, type EventEnvelope } from '../../../events/envelope.js';
import type { DomainEvent, EventDetail } from '../../../events/schemas.js';
import type { CaseRecord, HistoryEntry } from './case.js';
import { CaseNotProcessedError } from '../errors.js';

function entry(c: CaseRecord, to: HistoryEntry['to']): HistoryEntry {
  const h = c.history.find((e) => e.to === to);
  if (!h) throw new CaseNotProcessedError(`case ${c.caseId} has no '${to}' history entry`);
  return h;
}

/** The detail of `Case.Dispatched` for a routed case: first dispatch here, re-routing in the lifecycle. */
export function caseDispatchedDetail(c: CaseRecord, envelope: EventEnvelope, status: 'dispatched' | 'needs_review'): EventDetail<'Case.Dispatched'> {
  const d = c.decision;
  if (!d || !c.agencyId || !c.deadlines) throw new CaseNotProcessedError(`case ${c.caseId} is routed but not classified`);
  return {
    ...envelope,
    kind: c.kind,
    status,
    source: c.source,
    agencyId: c.agencyId,
    referralAgencyId: c.referralAgencyId ?? null,
    regionCode: c.regionCode,
    domain: d.domain,
    ticketType: d.ticketType,
    clue: d.clue,
    urgency: c.urgency,
    dueAt: c.dueAt ?? null,
    deadlines: c.deadlines,
  };
}

/** `Ticket.Received` and `Ticket.Classified` of a processed ticket; `decided` is the entry of its processing. */
function ticketEvents(c: CaseRecord, decided: HistoryEntry): DomainEvent[] {
  const d = c.decision!;
  const received = entry(c, 'received');
  const base = (type: string, h: HistoryEntry) => eventEnvelope({ case: c, idType: type, version: h.version, occurredAt: h.at });
  const t = c.ticket as Record<string, unknown>;
  const declaredType = (c.source === '12345' ? t['type'] : t['matterType']) as string | undefined;
  return [
    {
      type: 'Ticket.Received',
      detail: {
        ...base('Ticket.Received', received),
        source: c.source,
        sourceTicketId: c.sourceTicketId,
        regionCode: c.regionCode,
        receivedAt: c.receivedAt,
        channel: String(t['channel']),
        declaredType: declaredType ?? null,
        urgency: c.urgency,
      },
    },
    {
      type: 'Ticket.Classified',
      detail: {
        ...base('Ticket.Classified', decided),
        source: c.source,
        domain: d.domain,
        ticketType: d.ticketType,
        typeOverruled: d.typeOverruled,
        clue: d.clue,
        confidence: d.confidence,
        needsReview: d.needsReview,
        urgency: d.urgency,
        evidence: d.evidence,
      },
    },
  ];
}

export function dispatchEvents(c: CaseRecord): DomainEvent[] {
  const d = c.decision;
  if (!d || !c.agencyId || !c.deadlines) throw new CaseNotProcessedError(`case ${c.caseId} is not classified yet`);
  const dispatched = c.history.find((e) => e.to === 'dispatched' || e.to === 'needs_review');
  if (!dispatched) throw new CaseNotProcessedError(`case ${c.caseId} was never dispatched`);
  const base = (type: string, h: HistoryEntry) => eventEnvelope({ case: c, idType: type, version: h.version, occurredAt: h.at });
  const events: DomainEvent[] = [
    ...ticketEvents(c, dispatched),
    {
      type: 'Case.Dispatched',
      detail: caseDispatchedDetail(c, base('Case.Dispatched', dispatched), dispatched.to === 'needs_review' ? 'needs_review' : 'dispatched'),
    },
  ];
  if (c.kind === 'transfer') {
    events.push({
      type: 'Case.Transferred',
      detail: {
        ...base('Case.Transferred', dispatched),
        source: '12309',
        sourceTicketId: c.sourceTicketId,
        agencyId: c.agencyId,
        domain: d.domain,
        deadlines: c.deadlines,
      },
    });
  }
  return events;
}

/**
 * The events of a ticket merged into an open case (重复诉求合并): `Ticket.Received`, `Ticket.Classified` and
 * `Case.Merged` (no `Case.Dispatched`: no agency queue receives it again). Rebuilt from the record alone.
 */
export function mergeEvents(c: CaseRecord): DomainEvent[] {
  const merged = c.history.find((e) => e.to === 'merged');
  if (!c.decision || !merged || !c.mergedInto || !c.merge) throw new CaseNotProcessedError(`case ${c.caseId} was not merged`);
  return [
    ...ticketEvents(c, merged),
    {
      type: 'Case.Merged',
      detail: {
        ...eventEnvelope({ case: c, idType: 'Case.Merged', version: merged.version, occurredAt: merged.at }),
        source: c.source,
        sourceTicketId: c.sourceTicketId,
        regionCode: c.regionCode,
        mergedInto: c.mergedInto,
        agencyId: c.merge.agencyId,
        domain: c.decision.domain,
        match: c.merge.match,
      },
    },
  ];
}
