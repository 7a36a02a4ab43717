/** The process function's similar-case step against the in-memory store: a working set per batch, the member cap. */
import { describe, expect, it } from 'vitest';
import { ClusterWorkingSet, observeClusters } from '../../functions/app/clusters.js';
import { clusterRules } from '../../functions/config/cluster-rules.js';
import { deadlinePolicy } from '../../functions/config/deadline-policy.js';
import { deadlinesFor } from '../../functions/config/deadlines.js';
import { directory } from '../../functions/config/directory.js';
import { groupKeysOf } from '../../functions/config/group-keys.js';
import { receiveTicket, type CaseRecord } from '../../functions/domain/case/case.js';
import { dispatch } from '../../functions/domain/case/dispatch.js';
import { MAX_LISTED_MEMBERS } from '../../functions/domain/linkage/cluster-record.js';
import { MemoryCaseStore } from '../support/memory-case-store.js';
import { decision, sourced12345 } from '../support/fixtures.js';

const config = { directory, clusterRules, groupKeysOf, receipt: deadlinePolicy.receipt };
const wageCase = (i: number): CaseRecord =>
  dispatch(
    receiveTicket(
      sourced12345({ content: `鑫达建筑公司拖欠我们农民工工资三个月了（${i}）`, regionCode: '150302', receivedAt: '2026-10-01T09:00:00+08:00' }),
      '2026-10-01T01:00:00.000Z',
      'corr',
    ),
    decision({ domain: 'labor_wages', agencyId: '150302:hr-social-security' }),
    deadlinesFor,
    '2026-10-01T01:00:00.000Z',
  );

describe('similar cases in the process function', () => {
  it('counts the cases of one batch together and writes each group once', async () => {
    const store = new MemoryCaseStore();
    const ws = new ClusterWorkingSet(store);
    const outs = [];
    for (let i = 0; i < 4; i++) outs.push(await observeClusters(ws, wageCase(i), '2026-10-01T01:00:00.000Z', deadlinesFor, config));
    expect(outs.map((o) => o.detected.length)).toEqual([0, 0, 1, 0]); // threshold 3: detected by the third
    expect(outs[3]!.clusterIds).toEqual(outs[2]!.clusterIds); // the fourth joins
    const writes = ws.writes();
    expect(writes.groups).toHaveLength(1);
    expect(writes.groups[0]!.expectedVersion).toBeNull();
    expect(writes.clusters[0]!.cluster.caseIds).toHaveLength(4);
  });

  it('lists at most MAX_LISTED_MEMBERS members and counts the rest', async () => {
    const store = new MemoryCaseStore();
    let ws = new ClusterWorkingSet(store);
    for (let i = 0; i < 3; i++) await observeClusters(ws, wageCase(i), '2026-10-01T01:00:00.000Z', deadlinesFor, config);
    await store.commit(ws.writes());
    const [clusterId] = [...store.clusters.keys()];
    const c = store.clusters.get(clusterId!)!;
    store.clusters.set(clusterId!, { ...c, caseIds: Array.from({ length: MAX_LISTED_MEMBERS }, (_, i) => `12345-M${i}`), memberCount: MAX_LISTED_MEMBERS });
    ws = new ClusterWorkingSet(store);
    await observeClusters(ws, wageCase(1000), '2026-10-01T01:00:00.000Z', deadlinesFor, config);
    const written = ws.writes().clusters[0]!.cluster;
    expect(written.caseIds).toHaveLength(MAX_LISTED_MEMBERS);
    expect(written.memberCount).toBe(MAX_LISTED_MEMBERS + 1);
  });
});
