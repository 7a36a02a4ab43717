/**
 * The city's own corrections as training lines (`npm run export:training`): a case whose route a person settled —
 * a flagged ticket a dispatcher routed (分拨), or a return (退单) that ended in a reroute (an upheld dispute, 异议成立;
 * a rejected one sent the case back to the router's choice and is no correction) — and, for a city starting
 * out, any closed case, labelled with the agency that finally handled it. The line format is the corpus format
 * (`npm run check:corpus`), so `npm run train` takes it as it is.
 *
 * Personal data: the stored ticket never holds the caller or petitioner (they are sealed apart); free text (content,
 * title, address, demand) goes through the masker, and a respondent who is a person keeps no name.
 */
import type { CaseRecord } from '../../case/case.js';
import { maskFreeText } from '../../privacy/mask.js';
import { agencyKindsOf, type RoutingTable } from '../../route/routing-table.js';
import { DOMAINS, parseAgencyId, type Domain } from '../../taxonomy.js';

export interface TrainingLine {
  source: '12345' | '12309';
  ticket: Record<string, unknown>;
  label: { domain: Domain; type: string; clue: string; agency: string; referral: string | null };
  note: string;
}

export interface ExportOptions {
  /** Only settlements (or closings) at or after this instant. */
  since: string;
  /** Also every closed case, with the agency that closed it (for a city without corrections yet). */
  closed: boolean;
}

const kindOf = (id: string | null | undefined): string | null => (id ? (parseAgencyId(id)?.kind ?? null) : null);

/** The domains whose ticket the routing table sends to `kind`. */
const domainsOf = (routing: RoutingTable, kind: string): Domain[] => DOMAINS.filter((d) => agencyKindsOf(routing, d).has(kind));

const FREE_TEXT = ['content', 'title', 'address', 'demand'] as const;

/** The training line a case gives, or undefined when a person never settled its route (or it is not settled yet). */
export function trainingLine(c: CaseRecord, routing: RoutingTable, o: ExportOptions): TrainingLine | undefined {
  if (c.kind !== 'ticket' && c.kind !== 'transfer') return undefined;
  if (!c.decision || !c.agencyId || c.status === 'received' || c.status === 'needs_review' || c.status === 'returned') return undefined;
  const since = Date.parse(o.since);
  // A rejected dispute (异议不成立) sent the case back where the router had put it: a confirmation, not a correction.
  const rejected = new Set((c.disputes ?? []).filter((d) => d.outcome === 'rejected').map((d) => d.decidedVersion));
  const upheld = new Set((c.disputes ?? []).filter((d) => d.outcome === 'upheld').map((d) => d.decidedVersion));
  const settled = c.history.filter(
    (h) => h.to === 'dispatched' && (h.from === 'needs_review' || h.from === 'returned') && !rejected.has(h.version) && Date.parse(h.at) >= since,
  );
  const closedAt = c.status === 'closed' ? c.history.findLast((h) => h.to === 'closed')?.at : undefined;
  if (!settled.length && !(o.closed && closedAt !== undefined && Date.parse(closedAt) >= since)) return undefined;
  const agency = kindOf(c.agencyId);
  if (!agency || agency === 'dispatch-center') return undefined;

  // The label's domain: the router's when it sends the ticket to the final agency; else the one domain that does;
  // else the first of several (noted: the agency alone does not say which).
  const candidates = domainsOf(routing, agency);
  let domain: Domain = c.decision.domain;
  const last = settled.at(-1);
  let note = last
    ? `case ${c.caseId}: route settled by a person (${last.from} → ${c.agencyId}${upheld.has(last.version) ? ', dispute upheld' : ''})`
    : `case ${c.caseId}: closed by ${c.agencyId}`;
  if (!candidates.includes(domain) && candidates.length) {
    domain = candidates[0]!;
    if (candidates.length > 1) note += `; domain inferred from the agency, one of ${candidates.join('/')}`;
  }

  const ticket: Record<string, unknown> = { ...c.ticket };
  for (const field of FREE_TEXT) if (typeof ticket[field] === 'string') ticket[field] = maskFreeText(ticket[field] as string);
  const respondent = ticket['respondent'] as { kind?: string; name?: string } | undefined;
  if (respondent?.name !== undefined && respondent.kind === 'person') ticket['respondent'] = { kind: respondent.kind };
  else if (respondent?.name !== undefined) ticket['respondent'] = { ...respondent, name: maskFreeText(respondent.name) };

  // The clue and referral stay the router's: a person settled the agency, not the clue.
  const clue = c.decision.clue;
  const referral = c.source === '12345' && clue !== 'none' ? routing.clueDepartment(clue, domain) : null;
  return { source: c.source, ticket, label: { domain, type: c.decision.ticketType, clue, agency, referral }, note };
}
