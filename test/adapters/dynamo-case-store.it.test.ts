/**
 * What only the DynamoDB store does, against DynamoDB Local: refusing a plaintext contact, a batch of 100 in one
 * transaction, racing creates. What every store does is in case-store.contract.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '../../functions/adapters/aws/dynamo-case-store.js';
import { UnsealedContactError } from '../../functions/ports/errors.js';
import { receiveTicket, type CaseRecord } from '../../functions/domain/case/case.js';
import { sourced12345 } from '../support/fixtures.js';
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
  it('refuses to store a contact that was not sealed', async () => {
    const plain = receiveTicket(sourced12345(), new Date().toISOString(), 'corr');
    await expect(store.createAll([plain])).rejects.toBeInstanceOf(UnsealedContactError);
    expect(await store.get(plain.caseId)).toBeUndefined();
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

  it('answers a re-sent batch with duplicates at once, also while its first copy is in flight', async () => {
    const batch = Array.from({ length: 5 }, () => received());
    // Each request stamps its own ingest time and correlation id: the copies differ in content, not in case ids.
    const copy = () => batch.map((c) => ({ ...c, ingestedAt: new Date().toISOString(), correlationId: `corr-${Math.random()}` }));
    const [first, second] = await Promise.all([store.createAll(copy()), store.createAll(copy())]);
    const created = [first, second].map((o) => o.every((x) => x.created));
    expect(created.sort()).toEqual([false, true]);
    expect((await store.createAll(copy())).every((x) => !x.created && x.status === 'received')).toBe(true);
  });
});
