/**
 * Process one received case: classify, route, compute deadlines, store the dispatch, publish the events.
 *
 * Crash safety (redelivery + idempotent write + republish): the queue message is deleted only after the events
 * are published. If the function dies after the write but before the publish, the message comes back; the case
 * is then already dispatched, so nothing is written again and the same events — same ids, same timestamps,
 * rebuilt from the stored record — are published. Consumers deduplicate on `eventId`.
 */
import { ticketOf, type CaseRecord } from '../domain/case/case.js';
import { dispatch, type DeadlineCalculator } from '../domain/case/dispatch.js';
import { dispatchEvents } from '../domain/case/dispatch-events.js';
import type { Decision } from '../domain/classify/decision.js';
import type { SourcedTicket } from '../domain/ticket/schemas.js';
import type { CaseStore, LinkageStore } from '../ports/case-store.js';
import type { EventBus } from '../ports/event-bus.js';
import { VersionConflictError } from '../ports/errors.js';
import { linkedCaseEvents, referClue } from '../domain/linkage/referral.js';
import { saveChange } from './save-change.js';
import { CaseNotFoundError } from './errors.js';
import type { CaseRules } from './rules.js';
import { clusterEvents, observeClusters } from './clusters.js';
import type { ClusterRule } from '../domain/linkage/cluster-rules.js';
import { syncTimers, type DeadlineScheduler } from './deadline-timers.js';

export interface ProcessDeps {
  store: CaseStore & LinkageStore;
  /** Similar-case rules (config/cluster-rules.json when deployed). */
  clusterRules: readonly ClusterRule[];
  /** The directory (a cluster's department) and the deadline timer rules (functions/config/deployed.ts when deployed). */
  rules: Pick<CaseRules, 'directory' | 'policy' | 'calendar'>;
  bus: EventBus;
  classify: (t: SourcedTicket) => Decision;
  deadlines: DeadlineCalculator;
  now: () => Date;
  /** Deadline timers (EventBridge Scheduler / in process); none wired = no timers. */
  scheduler?: DeadlineScheduler;
}

export interface ProcessOutcome {
  caseId: string;
  status: CaseRecord['status'];
  agencyId: string;
  /** False when an earlier attempt had already stored the dispatch (a redelivery). */
  dispatchedNow: boolean;
  events: number;
}

const MAX_RACES = 5;

export async function processCase(deps: ProcessDeps, caseId: string): Promise<ProcessOutcome> {
  let c = await deps.store.get(caseId);
  if (!c) throw new CaseNotFoundError(caseId);
  let dispatchedNow = false;
  for (let race = 0; c.status === 'received'; race++) {
    const at = deps.now().toISOString();
    const next = dispatch(c, deps.classify(ticketOf(c)), deps.deadlines, at);
    // 线索移送: a clue found in a 12345 ticket becomes a linked case in the procuratorate department's queue.
    const clue = referClue(next, at, deps.deadlines);
    // 类案: the case is counted in the groups of its domain's rules; a group reaching its threshold makes a cluster
    // and a clue for the rule's department.
    const clusters = await observeClusters(deps.store, next, at, deps.deadlines, { directory: deps.rules.directory, clusterRules: deps.clusterRules });
    const referrals = [...(clue ? [clue] : []), ...clusters.clues];
    if (referrals.length) next.referrals = referrals.map((r) => ({ caseId: r.caseId, agencyId: r.agencyId! }));
    if (clusters.clusterIds.length) next.clusterIds = clusters.clusterIds;
    try {
      // One transaction: the dispatch, its linked cases, its groups and clusters, and the report counters.
      await saveChange(deps.store, c, next, { ...clusters.extras, creates: referrals });
      c = next;
      dispatchedNow = true;
    } catch (e) {
      if (!(e instanceof VersionConflictError) || race >= MAX_RACES) throw e;
      // Either a concurrent delivery of the same message dispatched the case (publish what it stored), or a case of
      // the same group changed the group first (decide again from what is stored now).
      c = (await deps.store.get(caseId))!;
    }
  }
  // Linked cases are read back, not taken from memory, so a redelivery republishes exactly what is stored.
  const linked = c.referrals?.length ? await deps.store.getMany(c.referrals.map((r) => r.caseId)) : [];
  const events = [...dispatchEvents(c), ...(await clusterEvents(deps.store, c)), ...linked.flatMap(linkedCaseEvents)];
  await deps.bus.publish(events);
  for (const l of [c, ...linked]) await syncTimers(deps.scheduler, l, deps.now(), { rules: deps.rules });
  return { caseId, status: c.status, agencyId: c.agencyId!, dispatchedNow, events: events.length };
}
