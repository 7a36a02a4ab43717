/**
 * The one way a use case saves a case change: the change, the linked cases it creates and the monthly-report
 * counters it moves (`reportDelta`), all in one store transaction. Because the counters move only together with
 * the version-conditioned write, a retried or raced change is counted once or not at all, and the counters stay
 * equal to a recomputation from the case records (domain/report/tally.ts).
 */
import type { CaseRecord } from '../domain/case/case.js';
import { reportDelta, sumRows } from '../domain/report/tally.js';
import type { CaseStore, Change } from '../ports/case-store.js';

export type ChangeExtras = Omit<Change, 'saves' | 'counters'>;

/** The counters a change moves: the saved case's delta plus every created case's full contribution. */
export function countersOf(prev: CaseRecord | undefined, next: CaseRecord | undefined, creates: readonly CaseRecord[] = []) {
  return sumRows([...(next ? [reportDelta(prev, next)] : []), ...creates.map((c) => reportDelta(undefined, c))]);
}

/** Saves `next` if the stored case is still `prev.version` (VersionConflictError otherwise), with its extras. */
export async function saveChange(store: Pick<CaseStore, 'commit'>, prev: CaseRecord, next: CaseRecord, extras: ChangeExtras = {}): Promise<void> {
  await store.commit({ ...extras, saves: [{ next, expectedVersion: prev.version }], counters: countersOf(prev, next, extras.creates) });
}

/** Creates linked cases (each must not exist yet) with their counters, and any cluster items in the same change. */
export async function createLinked(store: Pick<CaseStore, 'commit'>, creates: CaseRecord[], extras: Omit<ChangeExtras, 'creates'> = {}): Promise<void> {
  await store.commit({ ...extras, creates, counters: countersOf(undefined, undefined, creates) });
}

/** Saves several cases in one change (each conditioned on the version it was read at), with their counters. */
export async function saveChanges(
  store: Pick<CaseStore, 'commit'>,
  pairs: readonly { prev: CaseRecord; next: CaseRecord }[],
  extras: Omit<ChangeExtras, 'creates'> = {},
): Promise<void> {
  await store.commit({
    ...extras,
    saves: pairs.map((p) => ({ next: p.next, expectedVersion: p.prev.version })),
    counters: sumRows(pairs.map((p) => countersOf(p.prev, p.next))),
  });
}
