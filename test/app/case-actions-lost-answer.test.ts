/**
 * An action whose commit landed but whose success answer was lost (the store then reports a version conflict, as a
 * retried commit does when it finds the version it had itself moved) is done: the caller gets the case as stored, not a
 * 409 for a conflict nobody else caused. A real conflict (someone else's change) still answers 409. A change that left
 * the status and owner as the caller saw them (the system saved the case meanwhile) is not a conflict: the action is
 * applied again on what is stored.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidTransitionError } from '../../functions/app/errors.js';
import { performAction } from '../../functions/app/case-actions.js';
import { processCase, type ProcessDeps } from '../../functions/app/process-case.js';
import type { Principal } from '../../functions/auth/principal.js';
import { clusterRules } from '../../functions/config/cluster-rules.js';
import { deadlinesFor } from '../../functions/config/decide.js';
import { deployedRules } from '../../functions/config/deployed.js';
import { groupKeysOf } from '../../functions/config/group-keys.js';
import type { Change } from '../../functions/ports/case-store.js';
import { VersionConflictError } from '../../functions/ports/errors.js';
import { decision } from '../support/fixtures.js';
import { ManualClock, MemoryCaseStore, received12345 } from '../deadlines/support.js';

const agent: Principal = { role: 'agent', agencyId: '150302:ecology-environment' };
let store: MemoryCaseStore;
let clock: ManualClock;
let caseId: string;

beforeEach(async () => {
  store = new MemoryCaseStore();
  clock = new ManualClock(Date.parse('2026-09-30T10:00:00+08:00'));
  const c = received12345();
  caseId = c.caseId;
  await store.createAll([c]);
  const deps: ProcessDeps = { store, classify: () => decision(), deadlines: deadlinesFor, rules: deployedRules, clusterRules, groupKeysOf, now: clock.date };
  await processCase(deps, caseId);
});

describe('performAction when the commit answer is lost', () => {
  it('answers the stored case when the change that landed is its own', async () => {
    const commit = store.commit.bind(store);
    store.commit = async (change: Change) => {
      await commit(change);
      const s = change.saves![0]!;
      throw new VersionConflictError(s.next.caseId, s.expectedVersion);
    };
    const r = await performAction({ store, now: clock.date, rules: deployedRules }, agent, caseId, 'accept', {});
    expect(r.case.status).toBe('accepted');
    expect((await store.get(caseId))!.status).toBe('accepted');
  });

  it("still answers a conflict when someone else's change is what is stored", async () => {
    const commit = store.commit.bind(store);
    store.commit = async (change: Change) => {
      // Another agent signed for it first (a later time, so a different history entry), then ours finds the version moved.
      const other = {
        ...change,
        saves: change.saves!.map((s) => ({
          ...s,
          next: { ...s.next, history: s.next.history.map((h, i, all) => (i === all.length - 1 ? { ...h, by: 'agent@150302:ecology-environment#other' } : h)) },
        })),
      };
      await commit(other);
      const s = change.saves![0]!;
      throw new VersionConflictError(s.next.caseId, s.expectedVersion);
    };
    // A 409 with what is allowed now (InvalidTransitionError), exactly as before this path existed.
    await expect(performAction({ store, now: clock.date, rules: deployedRules }, agent, caseId, 'accept', {})).rejects.toBeInstanceOf(InvalidTransitionError);
  });

  it('tries again when the case moved only in something the action does not depend on (its status and owner unchanged)', async () => {
    const commit = store.commit.bind(store);
    let first = true;
    store.commit = async (change: Change) => {
      if (first) {
        first = false;
        // Meanwhile the system saved the case again without touching its status or owner (a merged ticket split off).
        const stored = (await store.get(caseId))!;
        await commit({ saves: [{ expectedVersion: stored.version, next: { ...stored, version: stored.version + 1 } }] } as Change);
        const s = change.saves![0]!;
        throw new VersionConflictError(s.next.caseId, s.expectedVersion);
      }
      await commit(change);
    };
    const r = await performAction({ store, now: clock.date, rules: deployedRules }, agent, caseId, 'accept', {});
    expect(r.case.status).toBe('accepted');
    const stored = (await store.get(caseId))!;
    expect(stored.status).toBe('accepted');
    expect(stored.history.filter((h) => h.to === 'accepted')).toHaveLength(1);
  });
});
