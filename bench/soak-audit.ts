/**
 * The soak's audit (bench/soak-run.ts): what the store holds and what the bus published, against what the clients
 * were told. Pure over its inputs and a store to read linked cases and clusters from, so a test can plant each
 * defect and see it counted (test/local/soak-audit.test.ts).
 */
import { clusterEvents } from '../functions/app/clusters.js';
import type { CaseRecord } from '../functions/domain/case/case.js';
import { dispatchEvents, mergeEvents } from '../functions/domain/case/dispatch-events.js';
import { nextMoment, planTimers, type TimerRules } from '../functions/domain/deadlines/schedule-plan.js';
import { transitionEvent } from '../functions/domain/lifecycle/index.js';
import { linkedCaseEvents } from '../functions/domain/linkage/referral.js';
import type { CaseStore, LinkageStore } from '../functions/ports/case-store.js';

export interface AuditInput {
  /** The ticket case items of the run found in the store (a Scan): several for one source ticket are duplicates. */
  stored: { caseId: string; source: string; sourceTicketId: string }[];
  /** Per case id, how often a 202 answered its ticket `accepted` and `duplicate`. */
  answers: ReadonlyMap<string, { accepted: number; duplicate: number }>;
  /** Every event id the bus published, with how many times. */
  published: ReadonlyMap<string, number>;
  /** The pending deadline timers: case id → due time (epoch ms). */
  timers: ReadonlyMap<string, number>;
  timerRules: TimerRules;
  now: number;
}

export interface Audit {
  /** Distinct tickets answered `accepted` by some 202. */
  accepted: number;
  /** Ticket cases of this run in the store. */
  stored: number;
  /** Source tickets stored as more than one case. */
  duplicates: number;
  /** Tickets answered 202 (accepted or duplicate) that are not stored. */
  lost: number;
  /** Stored ticket cases still `received` after quiescence. */
  stuck: number;
  /** Stored cases of which an expected event (dispatch, linkage, cluster, agency action) was never published. */
  eventsMissing: number;
  /** Event ids published more than once (allowed: consumers deduplicate on eventId). */
  eventsDuplicated: number;
  /** Expected events never published, by type. */
  missingByType: Record<string, number>;
  /** Tickets answered `accepted` by more than one 202 (two copies both claiming to have stored it). */
  acceptedTwice: number;
  /** Open cases (ticket and linked) whose deadline timer is missing or later than their next planned moment. */
  timersMissing: number;
  eventsPublished: number;
}

/** The events a stored case must have had published: its dispatch, linked cases, clusters it completed, every later transition. */
async function expectedEvents(store: Pick<CaseStore & LinkageStore, 'getMany' | 'getCluster'>, c: CaseRecord, linked: CaseRecord[]) {
  // A repeat request merged into an open case (重复诉求合并): its merge and any cluster it completed.
  if (c.status === 'merged') return [...mergeEvents(c), ...(await clusterEvents(store, c))];
  const expected = [...dispatchEvents(c), ...linked.flatMap(linkedCaseEvents), ...(await clusterEvents(store, c))];
  const dispatched = c.history.find((h) => h.to === 'dispatched' || h.to === 'needs_review')!.version;
  for (const h of c.history) if (h.version > dispatched) expected.push(transitionEvent(c, h));
  return expected;
}

export async function audit(store: Pick<CaseStore & LinkageStore, 'getMany' | 'getCluster'>, input: AuditInput): Promise<Audit> {
  const perTicket = new Map<string, number>();
  for (const s of input.stored) perTicket.set(`${s.source}/${s.sourceTicketId}`, (perTicket.get(`${s.source}/${s.sourceTicketId}`) ?? 0) + 1);
  const ids = [...new Set(input.stored.map((s) => s.caseId))];
  const records: CaseRecord[] = [];
  for (let i = 0; i < ids.length; i += 100) records.push(...(await store.getMany(ids.slice(i, i + 100))));

  // A case's one timer must be at its next planned moment or earlier (an earlier, stale one re-plans when it fires).
  const lacksTimer = (c: CaseRecord) => {
    const next = nextMoment(planTimers(c, input.timerRules), input.now);
    const at = input.timers.get(c.caseId);
    return next !== undefined && (at === undefined || at > Date.parse(next.at));
  };
  const missingByType: Record<string, number> = {};
  let eventsMissing = 0;
  let stuck = 0;
  let timersMissing = 0;
  for (const c of records) {
    if (c.status === 'received') {
      stuck += 1;
      continue;
    }
    const linked = c.referrals?.length ? await store.getMany(c.referrals.map((r) => r.caseId)) : [];
    const missing = (await expectedEvents(store, c, linked)).filter((e) => !input.published.has(e.detail.eventId));
    for (const e of missing) missingByType[e.type] = (missingByType[e.type] ?? 0) + 1;
    if (missing.length) eventsMissing += 1;
    timersMissing += [c, ...linked].filter(lacksTimer).length;
  }

  const storedIds = new Set(ids);
  const answers = [...input.answers.entries()];
  const published = [...input.published.values()];
  return {
    accepted: answers.filter(([, a]) => a.accepted > 0).length,
    stored: storedIds.size,
    duplicates: [...perTicket.values()].filter((n) => n > 1).length,
    lost: answers.filter(([id, a]) => a.accepted + a.duplicate > 0 && !storedIds.has(id)).length,
    stuck,
    eventsMissing,
    eventsDuplicated: published.filter((n) => n > 1).length,
    missingByType,
    acceptedTwice: answers.filter(([, a]) => a.accepted > 1).length,
    timersMissing,
    eventsPublished: published.reduce((a, b) => a + b, 0),
  };
}
