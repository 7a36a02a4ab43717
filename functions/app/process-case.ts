/**
 * Process received cases — one SQS batch at a time: classify, route, compute deadlines, store the dispatches,
 * publish the events, plan the deadline timers.
 *
 * Round trips per batch, not per case: one batch read of the cases, one batch read of the similar-case groups they
 * fall into, one transaction that stores every dispatch with its linked cases, group and cluster items and report
 * counters, one publish (PutEvents in tens). The events are built from what was written, never read back.
 *
 * Crash safety (redelivery + versioned write + republish): the queue message is deleted only after the events are
 * published. If the function dies after the write but before the publish, the message comes back; the case is then
 * already dispatched, so nothing is written again and the same events — same ids, same timestamps, rebuilt from the
 * stored records — are published again. Consumers deduplicate on `eventId`.
 *
 * When the batch transaction fails on a condition (a concurrent delivery of one of the cases, or another batch
 * that changed one of the groups first) nothing of it was written, and each case is decided again on its own from
 * what is stored now (`processOne`), so one contended case costs its batch a few more calls, never a lost ticket.
 */
import { ticketOf, type CaseRecord } from '../domain/case/case.js';
import { dispatch, type DeadlineCalculator } from '../domain/case/dispatch.js';
import { dispatchEvents } from '../domain/case/dispatch-events.js';
import type { Decision } from '../domain/classify/decision.js';
import type { ClusterRule } from '../domain/linkage/cluster-rules.js';
import type { GroupKeys } from '../domain/linkage/group-key.js';
import { linkedCaseEvents, referClue } from '../domain/linkage/referral.js';
import type { SourcedTicket } from '../domain/ticket/schemas.js';
import { receivedAtOf } from '../domain/ticket/received-at.js';
import { parseInstant } from '../domain/deadlines/time.js';
import type { DomainEvent } from '../../events/schemas.js';
import { MAX_CHANGE_WRITES, type CaseStore, type Change, type LinkageStore } from '../ports/case-store.js';
import type { EventBus } from '../ports/event-bus.js';
import { VersionConflictError } from '../ports/errors.js';
import { clusterDetectedEvent, clusterEvents, ClusterWorkingSet, groupsOf, observeClusters } from './clusters.js';
import { syncTimers, type DeadlineScheduler } from './deadline-timers.js';
import { sumRows } from '../domain/report/tally.js';
import { countersOf } from './save-change.js';
import { CaseNotFoundError, TimersNotSyncedError } from './errors.js';
import type { CaseRules } from './rules.js';

export interface ProcessDeps {
  store: CaseStore & LinkageStore;
  /** Similar-case rules (config/cluster-rules.json when deployed). */
  clusterRules: readonly ClusterRule[];
  /** Grouping keys of a ticket (config/group-keys.json when deployed). */
  groupKeysOf: GroupKeys['groupKeysOf'];
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

/** Per case of the batch: its outcome, or why it failed (its message comes back). */
export type BatchResult = Map<string, ProcessOutcome | Error>;

const MAX_RACES = 5;

/** A dispatch decided in memory: the saved case, the linked cases it creates, the events it causes. */
interface Decided {
  prev: CaseRecord;
  next: CaseRecord;
  creates: CaseRecord[];
  events: DomainEvent[];
}

function decide(deps: ProcessDeps, stored: CaseRecord, at: string): { next: CaseRecord; clue: CaseRecord | undefined } {
  // A case stored before ingest bounded `receivedAt` may carry any time the schema admitted (a year 9999, nine
  // fraction digits): deadlines, similar-case windows and events count with the sane time, stored with the dispatch.
  const receivedAt = receivedAtOf(stored, deps.rules.policy.receipt, parseInstant(at));
  const c = receivedAt === stored.receivedAt ? stored : { ...stored, receivedAt, ticket: { ...stored.ticket, receivedAt } };
  const next = dispatch(c, deps.classify(ticketOf(c)), deps.deadlines, at);
  // 线索移送: a clue found in a 12345 ticket becomes a linked case in the procuratorate department's queue.
  return { next, clue: referClue(next, at, deps.deadlines) };
}

/** Decides every case against one working set of groups and clusters (two cases of a group see each other). */
async function decideAll(deps: ProcessDeps, cases: CaseRecord[], ws: ClusterWorkingSet, at: string): Promise<Decided[]> {
  const decided: Decided[] = [];
  const firsts = cases.map((c) => {
    const d = decide(deps, c, at);
    return { c, ...d, keyed: groupsOf(d.next, deps.clusterRules, deps.groupKeysOf) };
  });
  await ws.prefetchGroups(firsts.flatMap((f) => f.keyed.map((g) => g.groupId)));
  for (const { c, next, clue, keyed } of firsts) {
    // 类案: counted in the groups of its domain's rules; a group reaching its threshold makes a cluster and a clue.
    const clusters = await observeClusters(
      ws,
      next,
      at,
      deps.deadlines,
      {
        directory: deps.rules.directory,
        clusterRules: deps.clusterRules,
        groupKeysOf: deps.groupKeysOf,
        receipt: deps.rules.policy.receipt,
      },
      keyed,
    );
    const creates = [...(clue ? [clue] : []), ...clusters.clues];
    if (creates.length) next.referrals = creates.map((r) => ({ caseId: r.caseId, agencyId: r.agencyId! }));
    if (clusters.clusterIds.length) next.clusterIds = clusters.clusterIds;
    const events = [...dispatchEvents(next), ...clusters.detected.map((cl) => clusterDetectedEvent(cl, next)), ...creates.flatMap(linkedCaseEvents)];
    decided.push({ prev: c, next, creates, events });
  }
  return decided;
}

function changeOf(decided: Decided[], ws: ClusterWorkingSet): Change {
  return {
    saves: decided.map((d) => ({ next: d.next, expectedVersion: d.prev.version })),
    creates: decided.flatMap((d) => d.creates),
    ...ws.writes(),
    // One row per counter key: a transaction may not touch one item twice.
    counters: sumRows(decided.map((d) => countersOf(d.prev, d.next, d.creates))),
  };
}

/** The events of a case dispatched earlier (a redelivery), rebuilt from the stored records. */
async function storedEvents(deps: ProcessDeps, c: CaseRecord): Promise<{ events: DomainEvent[]; linked: CaseRecord[] }> {
  const linked = c.referrals?.length ? await deps.store.getMany(c.referrals.map((r) => r.caseId)) : [];
  return { events: [...dispatchEvents(c), ...(await clusterEvents(deps.store, c)), ...linked.flatMap(linkedCaseEvents)], linked };
}

/** One case on its own, deciding again after every version conflict (the slow path of a contended batch). */
async function processOne(
  deps: ProcessDeps,
  first: CaseRecord,
): Promise<{ c: CaseRecord; dispatchedNow: boolean; events: DomainEvent[]; linked: CaseRecord[] }> {
  let c = first;
  for (let race = 0; c.status === 'received'; race++) {
    const ws = new ClusterWorkingSet(deps.store);
    const [d] = await decideAll(deps, [c], ws, deps.now().toISOString());
    try {
      await deps.store.commit(changeOf([d!], ws));
      return { c: d!.next, dispatchedNow: true, events: d!.events, linked: d!.creates };
    } catch (e) {
      if (!(e instanceof VersionConflictError) || race >= MAX_RACES) throw e;
      // Either a concurrent delivery dispatched the case (publish what it stored), or a case of the same group
      // changed the group first (decide again from what is stored now).
      const again = await deps.store.get(c.caseId);
      if (!again) throw new CaseNotFoundError(c.caseId);
      c = again;
    }
  }
  return { c, dispatchedNow: false, ...(await storedEvents(deps, c)) };
}

/** Everything a batch item did, for the outcome and the timers. */
interface Done {
  c: CaseRecord;
  dispatchedNow: boolean;
  events: DomainEvent[];
  linked: CaseRecord[];
}

export async function processCases(deps: ProcessDeps, caseIds: readonly string[]): Promise<BatchResult> {
  const result: BatchResult = new Map();
  const ids = [...new Set(caseIds)];
  const stored = new Map((await deps.store.getMany(ids)).map((c) => [c.caseId, c]));
  const done: Done[] = [];
  const received: CaseRecord[] = [];
  for (const id of ids) {
    const c = stored.get(id);
    if (!c) result.set(id, new CaseNotFoundError(id));
    else if (c.status === 'received') received.push(c);
  }

  // Already dispatched (a redelivery after a crash or a lost delete): republish what is stored.
  await Promise.all(
    ids
      .map((id) => stored.get(id))
      .filter((c): c is CaseRecord => !!c && c.status !== 'received')
      .map(async (c) => {
        try {
          done.push({ c, dispatchedNow: false, ...(await storedEvents(deps, c)) });
        } catch (e) {
          result.set(c.caseId, e as Error);
        }
      }),
  );

  if (received.length) {
    const ws = new ClusterWorkingSet(deps.store);
    let fast: Decided[] | undefined = await decideAll(deps, received, ws, deps.now().toISOString());
    const change = changeOf(fast, ws);
    const writes =
      (change.saves?.length ?? 0) +
      (change.creates?.length ?? 0) +
      (change.groups?.length ?? 0) +
      (change.clusters?.length ?? 0) +
      (change.counters?.length ?? 0);
    if (writes <= MAX_CHANGE_WRITES) {
      try {
        await deps.store.commit(change);
      } catch (e) {
        if (!(e instanceof VersionConflictError)) throw e;
        fast = undefined; // nothing of the batch was written: each case is decided again on its own
      }
    } else fast = undefined;
    if (fast) for (const d of fast) done.push({ c: d.next, dispatchedNow: true, events: d.events, linked: d.creates });
    else {
      for (const c of received) {
        try {
          done.push(await processOne(deps, c));
        } catch (e) {
          result.set(c.caseId, e as Error);
        }
      }
    }
  }

  // One publish for the batch. If it fails, every case of the batch comes back and republishes the same ids.
  try {
    await deps.bus.publish(done.flatMap((d) => d.events));
  } catch (e) {
    for (const d of done) result.set(d.c.caseId, e as Error);
    return result;
  }
  // One schedule per case (and per linked case), the whole batch planned concurrently. A case whose schedule (or a
  // linked case's) could not be set fails, so its message comes back; the others are done.
  const synced = await syncTimers(
    deps.scheduler,
    done.flatMap((d) => [d.c, ...d.linked]),
    deps.now(),
    { onError: 'report', rules: deps.rules },
  );
  const unsynced = new Map(synced.filter((t) => t.error !== undefined).map((t) => [t.caseId, t]));
  for (const d of done) {
    const failed = [d.c, ...d.linked].find((l) => unsynced.has(l.caseId));
    if (failed)
      result.set(d.c.caseId, new TimersNotSyncedError([{ caseId: failed.caseId, version: failed.version, cause: unsynced.get(failed.caseId)!.error }]));
    else result.set(d.c.caseId, { caseId: d.c.caseId, status: d.c.status, agencyId: d.c.agencyId!, dispatchedNow: d.dispatchedNow, events: d.events.length });
  }
  return result;
}

/** One case (tests and tools): the batch of one. */
export async function processCase(deps: ProcessDeps, caseId: string): Promise<ProcessOutcome> {
  const r = (await processCases(deps, [caseId])).get(caseId)!;
  if (r instanceof Error) throw r;
  return r;
}
