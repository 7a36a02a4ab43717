/**
 * Processing the `receivedAt` values the ticket schema admitted before ingest bounded them (issue 10, item 2), against
 * DynamoDB Local: a far-future year, a far-past year, nine fraction digits. Such records may still be stored (accepted
 * earlier, or waiting in a queue); each must be dispatched, not fail its batch into the DLQ, and a far-future one must
 * not keep the real tickets of its similar-case group from forming a cluster.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '../../functions/adapters/aws/dynamo-case-store.js';
import { groupsOf } from '../../functions/app/clusters.js';
import { processCases, type ProcessDeps } from '../../functions/app/process-case.js';
import { clusterRules } from '../../functions/config/cluster-rules.js';
import { deadlinesFor } from '../../functions/config/deadlines.js';
import { deployedRules } from '../../functions/config/deployed.js';
import { groupKeysOf } from '../../functions/config/group-keys.js';
import { receiveTicket, type CaseRecord } from '../../functions/domain/case/case.js';
import type { GroupState } from '../../functions/domain/linkage/cluster.js';
import type { SourcedTicket } from '../../functions/domain/ticket/schemas.js';
import { freshTables } from '../support/dynamo.js';
import { decision, sourced12309, sourced12345, uniqueId } from '../support/fixtures.js';

const NOW = '2026-10-01T02:00:00.000Z';
const INGESTED = '2026-10-01T01:00:00.000Z';
let store: DynamoCaseStore;
let deps: ProcessDeps;

beforeAll(async () => {
  const { client, tables } = await freshTables();
  store = new DynamoCaseStore(client, tables.caseTable);
  deps = {
    store,
    classify: (t) => (t.source === '12345' ? decision({ domain: 'labor_wages', agencyId: '150302:hr-social-security' }) : decision()),
    deadlines: deadlinesFor,
    rules: deployedRules,
    clusterRules,
    groupKeysOf,
    now: () => new Date(NOW),
  };
});

/** A `received` case as an older ingest stored it: `receivedAt` exactly as the hotline wrote it. */
async function storedAsBefore(t: SourcedTicket, receivedAt: string): Promise<CaseRecord> {
  const c = receiveTicket(t, INGESTED, 'corr-dates');
  const legacy = { ...c, receivedAt, ticket: { ...c.ticket, receivedAt } };
  delete legacy.contact;
  await store.createAll([legacy]);
  return legacy;
}

const wage = (receivedAt: string, n: number) =>
  sourced12345({ ticketId: uniqueId('WAGE'), regionCode: '150302', receivedAt, content: `鑫达建筑公司拖欠我们农民工工资三个月了，一共${n}个人。` });

describe('processing boundary dates', () => {
  it('dispatches every case of a batch whatever time it carries, counting with a sane time stored in one form', async () => {
    const far = await storedAsBefore(sourced12309({ caseNo: uniqueId('JC') }), '9999-12-31T23:59:59+08:00');
    const past = await storedAsBefore(sourced12309({ caseNo: uniqueId('JC') }), '0001-01-01T00:00:00Z');
    const fine = await storedAsBefore(sourced12309({ caseNo: uniqueId('JC') }), '2026-09-30T09:15:00.123456789+08:00');
    const result = await processCases(deps, [far.caseId, past.caseId, fine.caseId]);
    for (const c of [far, past, fine]) expect(result.get(c.caseId)).not.toBeInstanceOf(Error);

    // Outside the window around its ingest time: counted from the ingest time (the latest it can have been received).
    for (const c of [far, past]) {
      const s = await store.get(c.caseId);
      expect(s).toMatchObject({ status: 'dispatched', receivedAt: '2026-10-01T09:00:00+08:00' });
      expect(s?.deadlines).toMatchObject({ proceduralReplyBy: '2026-10-08T23:59:59+08:00', resultReplyBy: '2027-01-01T23:59:59+08:00' });
    }
    // Inside it: its own time, to the millisecond, in the stored form.
    const s = await store.get(fine.caseId);
    expect(s).toMatchObject({ status: 'dispatched', receivedAt: '2026-09-30T09:15:00.123+08:00' });
    expect(s?.ticket['receivedAt']).toBe('2026-09-30T09:15:00.123+08:00');
    expect(s?.deadlines).toMatchObject({ proceduralReplyBy: '2026-10-07T23:59:59+08:00', resultReplyBy: '2026-12-30T23:59:59+08:00' });
  });

  it('a far-future ticket in a similar-case group neither fails the later ones nor pushes them out of the window', async () => {
    // The group as an older process function left it: its member counted at the year 9999 the ticket carried.
    const poison = await storedAsBefore(wage('2026-09-28T10:00:00+08:00', 0), '9999-12-31T23:59:59+08:00');
    expect((await processCases(deps, [poison.caseId])).get(poison.caseId)).not.toBeInstanceOf(Error);
    const groupId = groupsOf((await store.get(poison.caseId))!, clusterRules, groupKeysOf)[0]!.groupId;
    const g = (await store.getGroups<GroupState>([groupId])).get(groupId)!;
    expect(g.members.map((m) => m.caseId)).toEqual([poison.caseId]);
    const poisoned = { ...g, members: [{ caseId: poison.caseId, at: '9999-12-31T23:59:59+08:00' }], version: g.version + 1 };
    await store.commit({ groups: [{ group: poisoned, expectedVersion: g.version }] });

    const real: CaseRecord[] = [];
    for (const [i, at] of ['2026-09-29T10:00:00+08:00', '2026-09-30T10:00:00.5+08:00', '2026-10-01T08:00:00.000001+08:00'].entries()) {
      const c = await storedAsBefore(wage(at, i + 1), at);
      real.push(c);
      const r = await processCases(deps, [c.caseId]);
      expect(r.get(c.caseId)).not.toBeInstanceOf(Error);
    }
    const last = await store.get(real[2]!.caseId);
    expect(last?.clusterIds).toHaveLength(1);
    const cluster = await store.getCluster(last!.clusterIds![0]!);
    expect(cluster?.caseIds.slice().sort()).toEqual(real.map((c) => c.caseId).sort());
    expect(cluster?.windowEndsAt).toBe('2026-10-31T08:00:00+08:00');
    // The impossible member is gone from the group the last write left.
    const after = (await store.getGroups<GroupState>([groupId])).get(groupId)!;
    expect(after.members.map((m) => m.caseId)).toEqual(real.map((c) => c.caseId));
  });
});
