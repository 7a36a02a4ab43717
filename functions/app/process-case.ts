/**
 * Process received cases — one SQS batch at a time: classify, route, compute deadlines, and store each dispatch
 * with everything it causes (linked cases, similar-case groups and clusters, report counters) in one transaction.
 *
 * Nothing is published and no timer is set here: the stored change is the outbox. The relay (relay.ts), fed by the
 * table's change stream, rebuilds the dispatch's events from the stored record and publishes them, and sets the
 * case's deadline timer — at least once, with deterministic ids. So a bus or scheduler outage never fails a batch,
 * and a redelivered message finds the case dispatched and does nothing (no write, no publish).
 *
 * Round trips per batch, not per case: one batch read of the cases, one batch read of the similar-case groups they
 * fall into, one transaction.
 *
 * Contention: when the transaction fails on a condition (a concurrent delivery of one of the cases, or another
 * batch that changed one of the groups first) nothing of it was written; the batch is read and decided again from
 * what is stored then, after a jittered pause (`CONTENTION_RETRY`). Every conflict is another writer's success, so a
 * burst about one place settles instead of sending tickets to the DLQ.
 */
import { ticketOf, type CaseRecord } from '../domain/case/case.js';
import { dispatch, type DeadlineCalculator } from '../domain/case/dispatch.js';
import type { Decision } from '../domain/classify/decision.js';
import type { ClusterRule } from '../domain/linkage/cluster-rules.js';
import type { GroupKeys } from '../domain/linkage/group-key.js';
import { referClue } from '../domain/linkage/referral.js';
import type { SourcedTicket } from '../domain/ticket/schemas.js';
import { receivedAtOf } from '../domain/ticket/received-at.js';
import { parseInstant } from '../domain/deadlines/time.js';
import { MAX_CHANGE_WRITES, type CaseStore, type Change, type LinkageStore } from '../ports/case-store.js';
import { ContentionError, VersionConflictError } from '../ports/errors.js';
import { ClusterWorkingSet, groupsOf, observeClusters } from './clusters.js';
import { keyLive, mergeInto, mergeKeysOf, registerKey, takesRepeats } from '../domain/merge/merge.js';
import type { AgencyId } from '../domain/taxonomy.js';
import { sumRows } from '../domain/report/tally.js';
import { countersOf } from './save-change.js';
import { CaseNotFoundError } from './errors.js';
import { pause, type RetryPolicy } from '../shared/retry.js';
import type { CaseRules } from './rules.js';

export interface ProcessDeps {
  store: CaseStore & LinkageStore;
  /** Similar-case rules (config/cluster-rules.json when deployed). */
  clusterRules: readonly ClusterRule[];
  /** Grouping keys of a ticket (config/group-keys.json when deployed). */
  groupKeysOf: GroupKeys['groupKeysOf'];
  /**
   * The directory (a cluster's department, a region's dispatch center), the deadline timer rules and the merge rules
   * (functions/config/deployed.ts when deployed).
   */
  rules: Pick<CaseRules, 'directory' | 'policy' | 'calendar' | 'merge' | 'dispatchCenterFor'>;
  classify: (t: SourcedTicket) => Decision;
  deadlines: DeadlineCalculator;
  now: () => Date;
}

export interface ProcessOutcome {
  caseId: string;
  status: CaseRecord['status'];
  agencyId: string;
  /** False when an earlier attempt had already stored the dispatch (a redelivery). */
  dispatchedNow: boolean;
}

/** Per case of the batch: its outcome, or why it failed (its message comes back). */
export type BatchResult = Map<string, ProcessOutcome | Error>;

/** A dispatch (or merge) decided in memory: the saved case and the linked cases it creates. */
interface Decided {
  prev: CaseRecord;
  next: CaseRecord;
  creates: CaseRecord[];
}

/** An open case the batch merges repeats into: as read, and with the batch's merged requests listed. */
interface Joined {
  prev: CaseRecord;
  next: CaseRecord;
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

/**
 * Decides every case against one working set of groups, merge keys and clusters (two cases of a group see each
 * other). A case whose merge key names an open case (重复诉求合并) is merged into it instead of being dispatched:
 * the open cases named are read in one batch read (only when a key names one), and each is saved with its merged
 * requests in the same transaction, conditioned on the version read.
 */
async function decideAll(deps: ProcessDeps, cases: CaseRecord[], ws: ClusterWorkingSet, at: string): Promise<{ decided: Decided[]; joined: Joined[] }> {
  const decided: Decided[] = [];
  const mergeRules = deps.rules.merge;
  const firsts = cases.map((c) => {
    const d = decide(deps, c, at);
    return { c, ...d, keyed: groupsOf(d.next, deps.clusterRules, deps.groupKeysOf), mergeKeys: mergeKeysOf(d.next, mergeRules, deps.groupKeysOf) };
  });
  // One read for the similar-case groups and the merge keys of the whole batch.
  await ws.prefetchGroups(firsts.flatMap((f) => [...f.keyed.map((g) => g.groupId), ...f.mergeKeys.map((k) => k.groupId)]));

  // The open cases the live keys name, read together (cases of this batch are taken as decided here, below).
  const inBatch = new Set(cases.map((c) => c.caseId));
  const named = new Set<string>();
  for (const f of firsts)
    for (const k of f.mergeKeys) {
      const item = ws.mergeKey(k.groupId);
      if (keyLive(item, f.next.receivedAt) && !inBatch.has(item.caseId)) named.add(item.caseId);
    }
  const joined = new Map<string, Joined>();
  if (named.size) for (const p of await deps.store.getMany([...named])) joined.set(p.caseId, { prev: p, next: p });
  const batchCase = new Map<string, Decided>();

  for (const { c, next: routed, clue, keyed, mergeKeys } of firsts) {
    let next = routed;
    let merged = false;
    // 重复诉求合并: the first live key naming a case that still takes repeats.
    for (const k of mergeKeys) {
      const item = ws.mergeKey(k.groupId);
      if (!keyLive(item, routed.receivedAt) || item.caseId === c.caseId) continue;
      const target = batchCase.get(item.caseId) ?? joined.get(item.caseId);
      if (!target || !takesRepeats(target.next, mergeRules)) continue;
      const m = mergeInto(routed, target.next, item.match, at, deps.rules.dispatchCenterFor(routed.regionCode) as AgencyId);
      target.next = m.primary;
      next = m.merged;
      merged = true;
      break;
    }
    if (!merged) {
      // A dispatched case takes the repeats of its keys from now on (a key whose case no longer takes them is taken over).
      for (const k of mergeKeys) {
        const item = ws.mergeKey(k.groupId);
        const holder = item && (batchCase.get(item.caseId)?.next ?? joined.get(item.caseId)?.next);
        if (keyLive(item, routed.receivedAt) && (!holder || takesRepeats(holder, mergeRules))) continue;
        ws.putGroupItem(registerKey(k, routed, item, mergeRules, deps.rules.calendar));
      }
    }
    // 类案: counted in the groups of its domain's rules, merged or not; a group reaching its threshold makes a cluster and a clue.
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
    // A merged ticket raises no clue of its own: the case it joined did.
    const creates = [...(clue && !merged ? [clue] : []), ...clusters.clues];
    if (creates.length) next.referrals = creates.map((r) => ({ caseId: r.caseId, agencyId: r.agencyId! }));
    if (clusters.clusterIds.length) next.clusterIds = clusters.clusterIds;
    const d: Decided = { prev: c, next, creates };
    decided.push(d);
    batchCase.set(c.caseId, d);
  }
  return { decided, joined: [...joined.values()].filter((j) => j.next !== j.prev) };
}

function changeOf(decided: Decided[], joined: Joined[], ws: ClusterWorkingSet): Change {
  return {
    saves: [
      ...decided.map((d) => ({ next: d.next, expectedVersion: d.prev.version })),
      ...joined.map((j) => ({ next: j.next, expectedVersion: j.prev.version })),
    ],
    creates: decided.flatMap((d) => d.creates),
    ...ws.writes(),
    // One row per counter key: a transaction may not touch one item twice.
    counters: sumRows(decided.map((d) => countersOf(d.prev, d.next, d.creates))),
  };
}

/**
 * Conflicts under contention (a burst of tickets about one place: every batch writes the same group item). Each
 * conflict (a failed version condition, or transactions on the same items colliding past the store's own retries:
 * `ContentionError`) means other writers are at work on the same items, so the batch is decided again from what is
 * stored then, after a jittered pause; a burst of N batches on one group settles in at most N rounds. A case still
 * conflicting after these attempts fails in this delivery only: its message comes back and is decided again.
 */
export const CONTENTION_RETRY: RetryPolicy = { maxAttempts: 25, baseDelayMs: 10, maxDelayMs: 250 };

/** The number of writes of a change. */
const writesOf = (c: Change) =>
  (c.saves?.length ?? 0) + (c.creates?.length ?? 0) + (c.groups?.length ?? 0) + (c.clusters?.length ?? 0) + (c.counters?.length ?? 0);

/**
 * Decides and commits `cases` as one change, deciding again from what is stored after every version conflict.
 * Returns the cases as dispatched here, or undefined when the change would not fit one transaction.
 */
async function commitDecided(deps: ProcessDeps, first: CaseRecord[]): Promise<CaseRecord[] | undefined> {
  let cases = first;
  for (let race = 0; ; race++) {
    const ws = new ClusterWorkingSet(deps.store);
    const { decided, joined } = await decideAll(deps, cases, ws, deps.now().toISOString());
    const change = changeOf(decided, joined, ws);
    if (writesOf(change) > MAX_CHANGE_WRITES && cases.length > 1) return undefined;
    try {
      await deps.store.commit(change);
      return decided.map((d) => d.next);
    } catch (e) {
      if (!(e instanceof VersionConflictError || e instanceof ContentionError) || race + 1 >= CONTENTION_RETRY.maxAttempts) throw e;
      // Either a concurrent delivery dispatched a case (it is done), or another batch changed a group first, or other
      // batches' transactions on the same group kept colliding with ours (nothing of ours was written).
      await pause(CONTENTION_RETRY, race + 1);
      cases = (await deps.store.getMany(cases.map((c) => c.caseId))).filter((c) => c.status === 'received');
      if (!cases.length) return [];
    }
  }
}

/**
 * Dispatches the batch's received cases and stores everything they cause in one transaction. Nothing is published
 * here: the stored change is the outbox, and the relay (relay.ts) publishes its events and sets its timers. A case
 * already dispatched (a redelivery) is answered as it is stored, with no write and no read beyond the batch read.
 */
export async function processCases(deps: ProcessDeps, caseIds: readonly string[]): Promise<BatchResult> {
  const result: BatchResult = new Map();
  const ids = [...new Set(caseIds)];
  const stored = new Map((await deps.store.getMany(ids)).map((c) => [c.caseId, c]));
  const received: CaseRecord[] = [];
  const outcome = (c: CaseRecord, dispatchedNow: boolean): ProcessOutcome => ({ caseId: c.caseId, status: c.status, agencyId: c.agencyId!, dispatchedNow });
  for (const id of ids) {
    const c = stored.get(id);
    if (!c) result.set(id, new CaseNotFoundError(id));
    else if (c.status === 'received') received.push(c);
    else result.set(id, outcome(c, false));
  }
  if (!received.length) return result;

  // One transaction for the batch; a batch too large for one (many linked cases and groups) is stored case by case.
  const commitOrSplit = async (group: CaseRecord[]): Promise<void> => {
    let done: CaseRecord[] | undefined;
    try {
      done = await commitDecided(deps, group);
    } catch (e) {
      for (const c of group) result.set(c.caseId, e as Error);
      return;
    }
    if (!done) {
      for (const c of group) await commitOrSplit([c]);
      return;
    }
    for (const c of done) result.set(c.caseId, outcome(c, true));
    const meanwhile = group.filter((c) => !result.has(c.caseId)).map((c) => c.caseId);
    // Dispatched meanwhile by a concurrent delivery: answered as stored.
    if (meanwhile.length) for (const c of await deps.store.getMany(meanwhile)) result.set(c.caseId, outcome(c, false));
  };
  await commitOrSplit(received);
  return result;
}

/** One case (tests and tools): the batch of one. */
export async function processCase(deps: ProcessDeps, caseId: string): Promise<ProcessOutcome> {
  const r = (await processCases(deps, [caseId])).get(caseId)!;
  if (r instanceof Error) throw r;
  return r;
}
