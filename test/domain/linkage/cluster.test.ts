import { describe, it, expect } from 'vitest';
import { clusterIdOf, groupIdOf, memberCap, observe, type GroupState, type Observation } from '../../../functions/domain/linkage/cluster.js';
import { formatShanghai } from '../../../functions/domain/deadlines/time.js';
import type { ClusterRule } from '../../../functions/domain/linkage/cluster-rules.js';
import type { GroupKey } from '../../../functions/domain/linkage/group-key.js';

const rule: ClusterRule = {
  id: 'wage-arrears',
  label: '欠薪类案 / Wage arrears',
  domains: ['labor_wages'],
  keyKinds: ['enterprise'],
  windowDays: 30,
  threshold: 3,
  clue: 'support_prosecution',
  agencyKind: 'procuratorate.civil',
};
const REGION = '150302';
const KEY: GroupKey = { kind: 'enterprise', key: '鑫达' };
const day = (n: number, hour = 10) => {
  const d = new Date(Date.UTC(2026, 0, 1 + n, hour - 8));
  return d.toISOString().replace('.000Z', '+00:00');
};

/** Feeds members in order, returning every observation and the final state. */
function feed(members: [string, string][], state?: GroupState, r: ClusterRule = rule) {
  const seen: Observation[] = [];
  for (const [caseId, at] of members) {
    const o = observe(state, { caseId, at }, r, REGION, KEY);
    seen.push(o);
    if (o.outcome !== 'duplicate') state = o.next;
  }
  return { seen, state: state!, outcomes: seen.map((o) => o.outcome) };
}

describe('groupIdOf / clusterIdOf', () => {
  it('group ids are readable, stable and free of key separators', () => {
    expect(groupIdOf('wage-arrears', REGION, KEY)).toBe('wage-arrears:150302:enterprise:鑫达');
    expect(groupIdOf('wage-arrears', REGION, { kind: 'address', key: '人民路#12 号' })).toBe('wage-arrears:150302:address:人民路12号');
    expect(groupIdOf('wage-arrears', '150303', KEY)).not.toBe(groupIdOf('wage-arrears', REGION, KEY));
  });

  it('an over-long key is shortened with a hash that keeps distinct keys distinct', () => {
    const a = groupIdOf('r', REGION, { kind: 'address', key: `${'长'.repeat(300)}A` });
    const b = groupIdOf('r', REGION, { kind: 'address', key: `${'长'.repeat(300)}B` });
    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(512);
    expect(a).not.toBe(b);
  });

  it('cluster ids: cl- and 20 base32 characters, deterministic', () => {
    const id = clusterIdOf('wage-arrears:150302:enterprise:鑫达', '12345-AAAA');
    expect(id).toMatch(/^cl-[A-Z0-9]{20}$/);
    expect(clusterIdOf('wage-arrears:150302:enterprise:鑫达', '12345-AAAA')).toBe(id);
    expect(clusterIdOf('wage-arrears:150302:enterprise:鑫达', '12345-BBBB')).not.toBe(id);
  });
});

describe('observe', () => {
  it('below the threshold: counted, members kept in time order, version +1 each time', () => {
    const first = observe(undefined, { caseId: 'c1', at: day(0) }, rule, REGION, KEY);
    expect(first).toMatchObject({
      outcome: 'counted',
      next: { groupId: 'wage-arrears:150302:enterprise:鑫达', ruleId: 'wage-arrears', regionCode: REGION, kind: 'enterprise', key: '鑫达', version: 1 },
    });
    const { state, outcomes } = feed([['c2', day(3)]], first.outcome === 'counted' ? first.next : undefined);
    expect(outcomes).toEqual(['counted']);
    expect(state.members.map((m) => m.caseId)).toEqual(['c1', 'c2']);
    expect(state.version).toBe(2);
    expect(state.openCluster).toBeUndefined();
  });

  it('the third ticket within 30 days raises a cluster with all three cases', () => {
    const { seen, state } = feed([
      ['c1', day(0)],
      ['c2', day(10)],
      ['c3', day(29)],
    ]);
    const o = seen[2]!;
    expect(o.outcome).toBe('detected');
    if (o.outcome !== 'detected') return;
    expect(o.caseIds).toEqual(['c1', 'c2', 'c3']);
    expect(o.clusterId).toBe(clusterIdOf(state.groupId, 'c1'));
    expect(state.openCluster).toEqual({ clusterId: o.clusterId, detectedAt: '2026-01-30T10:00:00+08:00', windowEndsAt: '2026-03-01T10:00:00+08:00' });
    expect(state.version).toBe(3);
  });

  it('three tickets spread over more than the window raise nothing', () => {
    const { outcomes, state } = feed([
      ['c1', day(0)],
      ['c2', day(20)],
      ['c3', day(30)], // c1 is exactly 30 days older: out of the window
    ]);
    expect(outcomes).toEqual(['counted', 'counted', 'counted']);
    expect(state.members.map((m) => m.caseId)).toEqual(['c2', 'c3']);
  });

  it('a redelivered case is a duplicate and changes nothing, before and after detection', () => {
    const { outcomes, state } = feed([
      ['c1', day(0)],
      ['c1', day(0)],
      ['c2', day(1)],
      ['c3', day(2)],
      ['c3', day(2)],
      ['c2', day(1)],
    ]);
    expect(outcomes).toEqual(['counted', 'duplicate', 'counted', 'detected', 'duplicate', 'duplicate']);
    expect(state.version).toBe(3);
  });

  it('later tickets within the cluster window join it; no second cluster while it runs', () => {
    const { seen, outcomes, state } = feed([
      ['c1', day(0)],
      ['c2', day(1)],
      ['c3', day(2)],
      ['c4', day(5)],
      ['c5', day(31)],
      ['c6', day(31, 11)],
    ]);
    expect(outcomes).toEqual(['counted', 'counted', 'detected', 'joined', 'joined', 'joined']);
    const clusterId = (seen[2] as Extract<Observation, { outcome: 'detected' }>).clusterId;
    expect(seen.slice(3).map((o) => (o.outcome === 'joined' ? o.clusterId : undefined))).toEqual([clusterId, clusterId, clusterId]);
    expect(state.openCluster?.clusterId).toBe(clusterId);
    expect(state.members.map((m) => m.caseId)).toEqual(['c3', 'c4', 'c5', 'c6']); // c1, c2 left the sliding window
  });

  it('after the cluster window ends, counting starts again from the members still in the window', () => {
    // Detected on day 2 (window ends day 32). c4 (day 20) joins; c5 on day 33 is past the end.
    const { seen, outcomes, state } = feed([
      ['c1', day(0)],
      ['c2', day(1)],
      ['c3', day(2)],
      ['c4', day(20)],
      ['c5', day(33)],
      ['c6', day(34)],
    ]);
    expect(outcomes).toEqual(['counted', 'counted', 'detected', 'joined', 'counted', 'detected']);
    const first = seen[2] as Extract<Observation, { outcome: 'detected' }>;
    const second = seen[5] as Extract<Observation, { outcome: 'detected' }>;
    expect(second.caseIds).toEqual(['c4', 'c5', 'c6']);
    expect(second.clusterId).not.toBe(first.clusterId);
    expect(second.clusterId).toBe(clusterIdOf(state.groupId, 'c4'));
    expect(state.openCluster?.detectedAt).toBe('2026-02-04T10:00:00+08:00');
  });

  it('when the old cluster has ended and too few remain, the next ticket is only counted', () => {
    const { outcomes, state } = feed([
      ['c1', day(0)],
      ['c2', day(1)],
      ['c3', day(2)],
      ['c4', day(40)],
    ]);
    expect(outcomes).toEqual(['counted', 'counted', 'detected', 'counted']);
    expect(state.openCluster).toBeUndefined();
    expect(state.members.map((m) => m.caseId)).toEqual(['c4']);
  });

  it('out-of-order times: sorted in, the window measured from the newest; the same cluster either way', () => {
    const inOrder = feed([
      ['c1', day(0)],
      ['c2', day(5)],
      ['c3', day(9)],
    ]);
    const shuffled = feed([
      ['c3', day(9)],
      ['c1', day(0)],
      ['c2', day(5)],
    ]);
    expect(shuffled.outcomes).toEqual(['counted', 'counted', 'detected']);
    expect(shuffled.state.members.map((m) => m.caseId)).toEqual(['c1', 'c2', 'c3']);
    expect(shuffled.state.openCluster).toEqual(inOrder.state.openCluster);
    const d = shuffled.seen[2] as Extract<Observation, { outcome: 'detected' }>;
    expect(d.caseIds).toEqual(['c1', 'c2', 'c3']);
  });

  it('a ticket already older than the window when it arrives is too late to count', () => {
    const { outcomes, state } = feed([
      ['c1', day(40)],
      ['c2', day(41)],
      ['old', day(0)],
    ]);
    expect(outcomes).toEqual(['counted', 'counted', 'counted']);
    expect(state.members.map((m) => m.caseId)).toEqual(['c1', 'c2']);
    expect(state.version).toBe(3);
  });

  it('a late ticket whose time falls inside a running cluster joins it', () => {
    const { seen } = feed([
      ['c1', day(10)],
      ['c2', day(11)],
      ['c3', day(12)],
      ['late', day(4)],
    ]);
    expect(seen[3]).toMatchObject({ outcome: 'joined', clusterId: (seen[2] as { clusterId: string }).clusterId });
  });

  it('offsets do not matter: the same instant in UTC and +08:00 is the same time', () => {
    const { outcomes } = feed([
      ['c1', '2026-01-01T10:00:00+08:00'],
      ['c2', '2026-01-31T01:59:59Z'], // 29 days 23:59:59 later
      ['c3', '2026-01-31T09:59:59+08:00'],
    ]);
    expect(outcomes).toEqual(['counted', 'counted', 'detected']);
  });

  it('the member list is capped at max(threshold × 4, 50), oldest dropped first', () => {
    expect(memberCap(rule)).toBe(50);
    expect(memberCap({ threshold: 20 })).toBe(80);
    const many = Array.from({ length: 70 }, (_, i) => [`c${i}`, new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString()] as [string, string]);
    const { state, outcomes } = feed(many);
    expect(state.members).toHaveLength(50);
    expect(state.members[0]!.caseId).toBe('c20');
    expect(state.members.at(-1)!.caseId).toBe('c69');
    expect(outcomes.filter((o) => o === 'detected')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'joined')).toHaveLength(67);
    expect(state.version).toBe(70);
  });

  it('a bad time is refused', () => {
    expect(() => observe(undefined, { caseId: 'c1', at: '2026-01-01 10:00' }, rule, REGION, KEY)).toThrow(RangeError);
  });

  it('does not mutate the state it is given', () => {
    const { state } = feed([
      ['c1', day(0)],
      ['c2', day(1)],
    ]);
    const before = structuredClone(state);
    observe(state, { caseId: 'c3', at: day(2) }, rule, REGION, KEY);
    expect(state).toEqual(before);
  });
});

describe('stored times a real member cannot have (issue 10, item 2)', () => {
  const now = Date.parse('2026-01-10T10:00:00+08:00');
  const horizon = now + 5 * 60_000;
  const poisoned = (over: Partial<GroupState>): GroupState => ({
    groupId: groupIdOf(rule.id, REGION, KEY),
    ruleId: rule.id,
    regionCode: REGION,
    kind: KEY.kind,
    key: KEY.key,
    members: [],
    version: 7,
    ...over,
  });

  it('a far-future member neither fails the group nor pushes the real members out of the window', () => {
    let state: GroupState | undefined = poisoned({ members: [{ caseId: 'future', at: '9999-12-31T23:59:59+08:00' }] });
    const outcomes: string[] = [];
    for (const [caseId, at] of [
      ['c1', day(7)],
      ['c2', day(8)],
      ['c3', day(9)],
    ] as const) {
      const o = observe(state, { caseId, at }, rule, REGION, KEY, horizon);
      outcomes.push(o.outcome);
      if (o.outcome !== 'duplicate') state = o.next;
    }
    expect(outcomes).toEqual(['counted', 'counted', 'detected']);
    expect(state!.members.map((m) => m.caseId)).toEqual(['c1', 'c2', 'c3']);
    expect(state!.openCluster!.windowEndsAt).toBe('2026-02-09T10:00:00+08:00');
  });

  it('an unreadable member (a cut six-digit year, garbage) is dropped, not a RangeError for every later case', () => {
    const state = poisoned({
      members: [
        { caseId: 'cut', at: '+010000-01-30T07:59:59+08:00' },
        { caseId: 'garbage', at: 'yesterday' },
        { caseId: 'c1', at: day(8) },
        { caseId: 'c2', at: day(8, 11) },
      ],
    });
    const o = observe(state, { caseId: 'c3', at: day(9) }, rule, REGION, KEY, horizon);
    expect(o).toMatchObject({ outcome: 'detected', caseIds: ['c1', 'c2', 'c3'] });
  });

  it('an open cluster with an unreadable or impossible time is over, so the group can raise a real one', () => {
    const members = [
      { caseId: 'c1', at: day(8) },
      { caseId: 'c2', at: day(8, 11) },
    ];
    for (const openCluster of [
      { clusterId: 'cl-cut', detectedAt: '+010000-01-01T00:00:00+08:00', windowEndsAt: '+010000-01-31T00:00:00+08:00' },
      { clusterId: 'cl-future', detectedAt: '9999-11-01T00:00:00+08:00', windowEndsAt: '9999-12-01T00:00:00+08:00' },
    ]) {
      const o = observe(poisoned({ members, openCluster }), { caseId: 'c3', at: day(9) }, rule, REGION, KEY, horizon);
      expect(o).toMatchObject({ outcome: 'detected', caseIds: ['c1', 'c2', 'c3'] });
    }
  });

  it('times with any fraction length and offset are read, and a ticket at the horizon still counts', () => {
    const { outcomes } = feed([
      ['c1', '2026-01-08T02:00:00.123456789Z'],
      ['c2', '2026-01-08T10:00:00.5+08:00'],
      ['c3', '2026-01-07T21:00:00-05:00'],
    ]);
    expect(outcomes).toEqual(['counted', 'counted', 'detected']);
    const at = formatShanghai(horizon);
    expect(observe(undefined, { caseId: 'edge', at }, rule, REGION, KEY, horizon).outcome).toBe('counted');
  });
});
