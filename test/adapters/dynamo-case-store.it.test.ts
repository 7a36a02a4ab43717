/** The case store against DynamoDB Local: conditional creates, transactions, races, versions, the agency index. */
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '../../functions/adapters/aws/dynamo-case-store.js';
import { InvalidCursorError, UnsealedContactError } from '../../functions/ports/errors.js';
import { receiveTicket, type CaseRecord } from '../../functions/domain/case/case.js';
import { dispatch } from '../../functions/domain/case/dispatch.js';
import { VersionConflictError } from '../../functions/ports/errors.js';
import { decision, sourced12345 } from '../support/fixtures.js';
import { freshTables } from '../support/dynamo.js';

let store: DynamoCaseStore;
/** A received case without plaintext contact (the store refuses one; acceptTickets seals it first). */
const received = (over: Record<string, unknown> = {}) => {
  const { contact: _sealedElsewhere, ...c } = receiveTicket(sourced12345(over), new Date().toISOString(), 'corr');
  return { ...c, contactSealed: 'sealed-elsewhere' } as CaseRecord;
};

beforeAll(async () => {
  const { client, tables } = await freshTables();
  store = new DynamoCaseStore(client, tables.caseTable);
});

describe('DynamoCaseStore (DynamoDB Local)', () => {
  it('creates new cases and reads them back whole', async () => {
    const c = received();
    expect(await store.createAll([c])).toEqual([{ caseId: c.caseId, created: true, status: 'received' }]);
    const back = await store.get(c.caseId);
    expect(back).toEqual(c);
    expect(back?.contactMasked).toEqual({ name: '张*', phone: '138****1111' });
  });

  it('refuses to store a contact that was not sealed', async () => {
    const plain = receiveTicket(sourced12345(), new Date().toISOString(), 'corr');
    await expect(store.createAll([plain])).rejects.toBeInstanceOf(UnsealedContactError);
    expect(await store.get(plain.caseId)).toBeUndefined();
  });

  it('reports an existing case as not created and leaves it unchanged', async () => {
    const c = received();
    await store.createAll([c]);
    const again = { ...c, ticket: { ...c.ticket, content: '改过的内容' } };
    expect(await store.createAll([again])).toEqual([{ caseId: c.caseId, created: false, status: 'received' }]);
    expect((await store.get(c.caseId))?.ticket.content).toBe(c.ticket.content);
  });

  it('stores a batch of 100 in one transaction, and a mixed batch creates only the new ones', async () => {
    const batch = Array.from({ length: 100 }, () => received());
    const out = await store.createAll(batch);
    expect(out.every((o) => o.created)).toBe(true);
    const mixed = [batch[3]!, received(), batch[50]!, received()];
    expect((await store.createAll(mixed)).map((o) => o.created)).toEqual([false, true, false, true]);
  });

  it('lets exactly one of many racing copies of a ticket create the case', async () => {
    const c = received();
    const copies = await Promise.all(Array.from({ length: 8 }, () => store.createAll([c, received()])));
    const winners = copies.filter((o) => o[0]!.created);
    expect(winners).toHaveLength(1);
    expect(copies.every((o) => o[0]!.caseId === c.caseId && o[1]!.created)).toBe(true);
  });

  it('saves only against the expected version', async () => {
    const c = received();
    await store.createAll([c]);
    const next = dispatch(c, decision(), () => ({ acceptBy: '2026-10-08T23:59:59+08:00', beyondKnownCalendar: false }), new Date().toISOString());
    await store.save(next, 1);
    await expect(store.save({ ...next, version: 3 }, 1)).rejects.toBeInstanceOf(VersionConflictError);
    expect((await store.get(c.caseId))?.version).toBe(2);
  });

  it("lists an agency's cases by status, earliest due first, page by page", async () => {
    const agencyId = `150303:test-${Date.now()}` as const;
    const dues = ['2026-10-09T23:59:59+08:00', '2026-10-08T23:59:59+08:00', '2026-10-12T23:59:59+08:00', '2026-10-07T23:59:59+08:00', '2026-10-10T23:59:59+08:00'];
    const made: CaseRecord[] = [];
    for (const due of dues) {
      const c = received();
      await store.createAll([c]);
      const next = dispatch(c, decision({ agencyId }), () => ({ acceptBy: due, beyondKnownCalendar: false }), new Date().toISOString());
      await store.save(next, 1);
      made.push(next);
    }
    const p1 = await store.listByAgency(agencyId, 'dispatched', { limit: 2 });
    expect(p1.items.map((i) => i.dueAt)).toEqual([dues[3], dues[1]]);
    const p2 = await store.listByAgency(agencyId, 'dispatched', { limit: 2, cursor: p1.nextCursor });
    const p3 = await store.listByAgency(agencyId, 'dispatched', { limit: 2, cursor: p2.nextCursor });
    expect([...p1.items, ...p2.items, ...p3.items].map((i) => i.dueAt)).toEqual([...dues].sort());
    expect(p3.nextCursor).toBeUndefined();
    expect((await store.listByAgency(agencyId, 'accepted', { limit: 10 })).items).toEqual([]);
    // A cursor from one agency's queue is refused for another's.
    await expect(store.listByAgency('150302:other', 'dispatched', { limit: 2, cursor: p1.nextCursor })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(store.listByAgency(agencyId, 'dispatched', { limit: 2, cursor: 'bm9wZQ' })).rejects.toBeInstanceOf(InvalidCursorError);
  });
});
