/**
 * What every CaseStore + LinkageStore must do, as the use cases rely on it: one suite, run against the DynamoDB store
 * (DynamoDB Local) and against the in-memory store other tests use, so the two cannot drift apart.
 */
import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../../functions/ports/errors.js';
import { receiveTicket, type CaseRecord } from '../../functions/domain/case/case.js';
import { dispatch } from '../../functions/domain/case/dispatch.js';
import type { ClusterRecord } from '../../functions/domain/linkage/cluster-record.js';
import type { CaseScan, CaseStore, GroupItem, LinkageStore } from '../../functions/ports/case-store.js';
import { VersionConflictError } from '../../functions/ports/errors.js';
import { decision, sourced12345, uniqueId } from '../support/fixtures.js';

type Store = CaseStore & LinkageStore & CaseScan;

/** A received case without plaintext contact (the DynamoDB store refuses one; acceptTickets seals it first). */
export const receivedCase = (over: Record<string, unknown> = {}): CaseRecord => {
  const { contact: _sealedElsewhere, ...c } = receiveTicket(sourced12345(over), new Date().toISOString(), 'corr');
  return { ...c, contactSealed: 'sealed-elsewhere' } as CaseRecord;
};

const dispatched = (c: CaseRecord, agencyId: `${string}:${string}`, due: string) =>
  dispatch(c, decision({ agencyId: agencyId as never }), () => ({ acceptBy: due, beyondKnownCalendar: false }), new Date().toISOString());

const cluster = (regionCode: string, detectedAt: string, over: Partial<ClusterRecord> = {}): ClusterRecord => ({
  clusterId: uniqueId('cl'),
  ruleId: 'wage-arrears',
  groupId: uniqueId('g'),
  regionCode,
  domain: 'labor_wages',
  keyKind: 'enterprise',
  groupKey: '鑫达',
  caseIds: ['a', 'b', 'c'],
  detectedCount: 3,
  detectedAt,
  windowEndsAt: '2026-12-31T00:00:00+08:00',
  clue: 'support_prosecution',
  clueCaseId: uniqueId('clue'),
  agencyId: `${regionCode}:procuratorate.civil` as never,
  version: 1,
  ...over,
});

const row = (month: string, regionCode: string, n: number) => ({
  key: { month, regionCode, agencyId: `${regionCode}:police`, domain: 'public_security' },
  counts: { received: n },
});

export function caseStoreContract(name: string, makeStore: () => Promise<Store> | Store): void {
  describe(`${name}: the case store contract`, () => {
    it('scans every case record page by page, and nothing that is not a case', async () => {
      const s = await makeStore();
      const made = Array.from({ length: 5 }, () => receivedCase());
      await s.createAll(made.slice(0, 4));
      // a counter row beside the cases: the scan must leave it out
      await s.commit({ creates: [made[4]!], counters: [row('2026-09', '150302', 1)] });
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await s.scanCases({ limit: 2, cursor });
        seen.push(...page.items.map((c) => c.caseId));
        for (const c of page.items) expect(c).toHaveProperty('history');
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 1000);
      for (const c of made) expect(seen).toContain(c.caseId);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('creates new cases, reports existing ones unchanged, and reads them back whole', async () => {
      const s = await makeStore();
      const c = receivedCase();
      expect(await s.createAll([c])).toEqual([{ caseId: c.caseId, created: true, status: 'received' }]);
      expect(await s.get(c.caseId)).toEqual(c);
      const again = { ...c, ticket: { ...c.ticket, content: '改过的内容' } };
      const fresh = receivedCase();
      expect(await s.createAll([again, fresh])).toEqual([
        { caseId: c.caseId, created: false, status: 'received' },
        { caseId: fresh.caseId, created: true, status: 'received' },
      ]);
      expect((await s.get(c.caseId))?.ticket.content).toBe(c.ticket.content);
      expect(await s.get('12345-NOSUCHCASE')).toBeUndefined();
    });

    it('reads many cases in the order asked, leaving out missing ones', async () => {
      const s = await makeStore();
      const [a, b] = [receivedCase(), receivedCase()];
      await s.createAll([a, b]);
      expect((await s.getMany([b.caseId, '12345-MISSING', a.caseId])).map((c) => c.caseId)).toEqual([b.caseId, a.caseId]);
    });

    it('saves only against the expected version', async () => {
      const s = await makeStore();
      const c = receivedCase();
      await s.createAll([c]);
      const next = dispatched(c, '150302:ecology-environment', '2026-10-08T23:59:59+08:00');
      await s.save(next, 1);
      await expect(s.save({ ...next, version: 3 }, 1)).rejects.toBeInstanceOf(VersionConflictError);
      expect((await s.get(c.caseId))?.version).toBe(2);
    });

    it('commits several saves, creates, groups, clusters and counters at once, or nothing when one condition fails', async () => {
      const s = await makeStore();
      const month = `20${String(Math.floor(Math.random() * 90) + 10)}-01`;
      const region = String(100000 + Math.floor(Math.random() * 800000));
      const [a, b, linked] = [receivedCase(), receivedCase(), receivedCase()];
      await s.createAll([a, b]);
      const group: GroupItem & { members: string[] } = { groupId: uniqueId('grp'), version: 1, members: [a.caseId] };
      const cl = cluster(region, '2026-10-01T10:00:00+08:00');
      const na = dispatched(a, '150302:police', '2026-10-08T23:59:59+08:00');
      const nb = dispatched(b, '150302:police', '2026-10-09T23:59:59+08:00');
      // One stale version among them: nothing is written.
      await expect(
        s.commit({
          saves: [
            { next: na, expectedVersion: 1 },
            { next: nb, expectedVersion: 7 },
          ],
          creates: [linked],
          groups: [{ group, expectedVersion: null }],
          clusters: [{ cluster: cl, expectedVersion: null }],
          counters: [row(month, region, 2)],
        }),
      ).rejects.toBeInstanceOf(VersionConflictError);
      expect((await s.get(a.caseId))?.version).toBe(1);
      expect(await s.get(linked.caseId)).toBeUndefined();
      expect((await s.getGroups([group.groupId])).size).toBe(0);
      expect(await s.getCluster(cl.clusterId)).toBeUndefined();
      expect(await s.reportRows(month, region)).toEqual([]);
      // All current: everything is written.
      await s.commit({
        saves: [
          { next: na, expectedVersion: 1 },
          { next: nb, expectedVersion: 1 },
        ],
        creates: [linked],
        groups: [{ group, expectedVersion: null }],
        clusters: [{ cluster: cl, expectedVersion: null }],
        counters: [row(month, region, 2)],
      });
      expect((await s.getMany([a.caseId, b.caseId])).map((c) => c.status)).toEqual(['dispatched', 'dispatched']);
      expect((await s.get(linked.caseId))?.caseId).toBe(linked.caseId);
      expect((await s.getGroups([group.groupId, 'nope'])).get(group.groupId)).toEqual(group);
      expect(await s.getCluster(cl.clusterId)).toEqual(cl);
      // A create of an existing case and a group at a stale version fail too; counters add up.
      await expect(s.commit({ creates: [linked], counters: [row(month, region, 1)] })).rejects.toBeInstanceOf(VersionConflictError);
      await expect(s.commit({ groups: [{ group: { ...group, version: 2 }, expectedVersion: 5 }] })).rejects.toBeInstanceOf(VersionConflictError);
      await s.commit({ groups: [{ group: { ...group, version: 2 }, expectedVersion: 1 }], counters: [row(month, region, 3)] });
      expect(await s.reportRows(month, region)).toEqual([row(month, region, 5)]);
    });

    it("lists an agency's queue by status, earliest due first, page by page, with only a listing's fields", async () => {
      const s = await makeStore();
      const agencyId = `150303:test-${uniqueId('a').toLowerCase()}` as const;
      const dues = [
        '2026-10-09T23:59:59+08:00',
        '2026-10-08T23:59:59+08:00',
        '2026-10-12T23:59:59+08:00',
        '2026-10-07T23:59:59+08:00',
        '2026-10-10T23:59:59+08:00',
      ];
      for (const due of dues) {
        const c = receivedCase();
        await s.createAll([c]);
        await s.save(dispatched(c, agencyId, due), 1);
      }
      const p1 = await s.listByAgency(agencyId, 'dispatched', { limit: 2 });
      expect(p1.items.map((i) => i.dueAt)).toEqual([dues[3], dues[1]]);
      expect(Object.keys(p1.items[0]!).sort()).toEqual(['agencyId', 'caseId', 'decision', 'dueAt', 'kind', 'receivedAt', 'regionCode', 'status', 'urgency']);
      const p2 = await s.listByAgency(agencyId, 'dispatched', { limit: 2, cursor: p1.nextCursor });
      const p3 = await s.listByAgency(agencyId, 'dispatched', { limit: 2, cursor: p2.nextCursor });
      expect([...p1.items, ...p2.items, ...p3.items].map((i) => i.dueAt)).toEqual([...dues].sort());
      expect(p3.nextCursor).toBeUndefined();
      expect((await s.listByAgency(agencyId, 'accepted', { limit: 10 })).items).toEqual([]);
      // A cursor from one agency's queue is refused for another's, and so is garbage.
      await expect(s.listByAgency('150302:other', 'dispatched', { limit: 2, cursor: p1.nextCursor })).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(s.listByAgency(agencyId, 'dispatched', { limit: 2, cursor: 'bm9wZQ' })).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it("lists a region's clusters newest first, page by page", async () => {
      const s = await makeStore();
      const region = String(100000 + Math.floor(Math.random() * 800000));
      const made = ['2026-10-01T10:00:00+08:00', '2026-10-03T10:00:00+08:00', '2026-10-02T10:00:00+08:00'].map((t) => cluster(region, t));
      for (const c of made) await s.commit({ clusters: [{ cluster: c, expectedVersion: null }] });
      const p1 = await s.listClusters(region, { limit: 2 });
      const p2 = await s.listClusters(region, { limit: 2, cursor: p1.nextCursor });
      expect([...p1.items, ...p2.items].map((c) => c.detectedAt)).toEqual([
        '2026-10-03T10:00:00+08:00',
        '2026-10-02T10:00:00+08:00',
        '2026-10-01T10:00:00+08:00',
      ]);
      expect(p1.items[0]).toEqual(made[1]);
      expect(p2.nextCursor).toBeUndefined();
      expect((await s.listClusters('999999', { limit: 5 })).items).toEqual([]);
    });
  });
}
