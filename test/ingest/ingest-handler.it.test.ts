/**
 * The ingest handler against DynamoDB Local: every answer of product.md §3, and that a rejected request changes
 * nothing. The process queue is an in-process queue without a consumer, so what was enqueued can be counted: new
 * tickets are enqueued by the outbox relay from the table's stream (test/integration/outbox.it.test.ts), not here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '../../functions/adapters/aws/dynamo-case-store.js';
import { EnvSecrets } from '../../functions/adapters/local/env-secrets.js';
import { InProcessQueue } from '../../functions/adapters/local/in-process-queue.js';
import { caseIdFor } from '../../functions/domain/case/case-id.js';
import { makeIngestHandler } from '../../functions/ingest/ingest.js';
import { deadlinePolicy } from '../../functions/config/deadline-policy.js';
import { observability } from '../../functions/shared/observability.js';
import { call, hotlineEvent, type Handler } from '../support/api.js';
import { freshTables } from '../support/dynamo.js';
import { testContacts, ticket12309, ticket12345 } from '../support/fixtures.js';

const env = { HOTLINE_SECRET_12345: 'secret-for-12345-tests', HOTLINE_SECRET_12309: 'secret-for-12309-tests' };
const s45 = env.HOTLINE_SECRET_12345;
const s09 = env.HOTLINE_SECRET_12309;
let handler: Handler;
let store: DynamoCaseStore;
let queue: InProcessQueue;

beforeAll(async () => {
  const { client, tables } = await freshTables();
  store = new DynamoCaseStore(client, tables.caseTable);
  queue = new InProcessQueue('test-process');
  handler = makeIngestHandler({
    ...observability('test-ingest'),
    store,
    queue,
    contacts: testContacts,
    secrets: new EnvSecrets(env),
    now: () => new Date(),
    receipt: deadlinePolicy.receipt,
  }) as Handler;
});

describe('POST /v1/hotlines/{source}/tickets', () => {
  it('accepts a signed 12345 ticket with a case id and stores it received (the relay enqueues it, not ingest)', async () => {
    const t = ticket12345();
    const before = queue.depth;
    const r = await call(handler, hotlineEvent('12345', t, { secret: s45 }));
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ results: [{ ticketId: t.ticketId, status: 'accepted', caseId: caseIdFor('12345', t.ticketId as string) }] });
    const stored = await store.get(r.body.results[0].caseId);
    expect(stored).toMatchObject({ status: 'received', source: '12345', sourceTicketId: t.ticketId, kind: 'ticket' });
    expect(stored?.ticket).not.toHaveProperty('caller');
    expect(queue.depth).toBe(before);
  });

  it('answers a re-sent ticket as duplicate with the original case id and changes nothing', async () => {
    const t = ticket12345();
    const first = await call(handler, hotlineEvent('12345', t, { secret: s45 }));
    const storedBefore = await store.get(first.body.results[0].caseId);
    const again = await call(handler, hotlineEvent('12345', { ...t, content: '内容被改了' }, { secret: s45 }));
    expect(again.status).toBe(202);
    expect(again.body.results[0]).toEqual({ ticketId: t.ticketId, status: 'duplicate', caseId: first.body.results[0].caseId });
    expect(await store.get(first.body.results[0].caseId)).toEqual(storedBefore);
  });

  it('gives one accepted and the rest duplicate when copies race', async () => {
    const t = ticket12345();
    const rs = await Promise.all(Array.from({ length: 6 }, () => call(handler, hotlineEvent('12345', t, { secret: s45 }))));
    expect(rs.map((r) => r.status)).toEqual(Array(6).fill(202));
    expect(rs.filter((r) => r.body.results[0].status === 'accepted')).toHaveLength(1);
    expect(new Set(rs.map((r) => r.body.results[0].caseId)).size).toBe(1);
  });

  it('accepts a signed 12309 ticket', async () => {
    const t = ticket12309({ petitioner: { name: '李四', phone: '13900002222', idNumber: '150302199001011234' } });
    const r = await call(handler, hotlineEvent('12309', t, { secret: s09 }));
    expect(r.status).toBe(202);
    expect(r.body.results[0]).toMatchObject({ ticketId: t.caseNo, status: 'accepted' });
    const stored = await store.get(r.body.results[0].caseId);
    expect(stored?.regionCode).toBe('150300'); // defaults to procuratorateCode
    // Stored sealed and masked, never in plain text; the seal opens only for this case.
    expect(stored?.contact).toBeUndefined();
    expect(stored?.contactMasked).toEqual({ name: '李*', phone: '139****2222', idNumber: '150302********1234' });
    expect(JSON.stringify(stored)).not.toContain('13900002222');
    expect(await testContacts.open(stored!.contactSealed!, stored!.caseId)).toEqual({ name: '李四', phone: '13900002222', idNumber: '150302199001011234' });
    await expect(testContacts.open(stored!.contactSealed!, 'another-case')).rejects.toThrow(/does not belong/);
  });

  it('answers a batch in request order, a repeated ticket inside it as duplicate', async () => {
    const a = ticket12345();
    const b = ticket12345();
    const r = await call(handler, hotlineEvent('12345', { tickets: [a, b, a] }, { secret: s45 }));
    expect(r.status).toBe(202);
    expect(r.body.results.map((x: { ticketId: string; status: string }) => [x.ticketId, x.status])).toEqual([
      [a.ticketId, 'accepted'],
      [b.ticketId, 'accepted'],
      [a.ticketId, 'duplicate'],
    ]);
  });

  it('rejects a batch with one invalid ticket with 400 and stores none of it', async () => {
    const good = ticket12345();
    const bad = ticket12345({ content: '', regionCode: '1503' });
    const depth = queue.depth;
    const r = await call(handler, hotlineEvent('12345', { tickets: [good, bad] }, { secret: s45 }));
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('validation_failed');
    expect(r.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ index: 1, path: 'content' }), expect.objectContaining({ index: 1, path: 'regionCode' })]),
    );
    expect(await store.get(caseIdFor('12345', good.ticketId as string))).toBeUndefined();
    expect(queue.depth).toBe(depth);
  });

  it('rejects a ticket without content with 400 validation_failed naming the field', async () => {
    const { content: _omit, ...t } = ticket12345();
    const r = await call(handler, hotlineEvent('12345', t, { secret: s45 }));
    expect(r).toMatchObject({ status: 400, body: { error: 'validation_failed', details: [{ index: 0, path: 'content', message: 'required (string)' }] } });
  });

  it.each([
    ['empty batch', { tickets: [] }],
    ['101 tickets', { tickets: Array.from({ length: 101 }, () => ticket12345()) }],
    ['a JSON array', [ticket12345()]],
    ['unknown field', { ...ticket12345(), colour: 'red' }],
    ['bad channel', ticket12345({ channel: 'fax' })],
    ['time without offset', ticket12345({ receivedAt: '2026-09-30T09:15:00' })],
    ['a coordinate that underflows the store', ticket12345({ location: { lat: 1e-200, lng: 116.4 } })],
    ['a subnormal coordinate', ticket12345({ location: { lat: 40, lng: 5e-324 } })],
    ['12309 fields on 12345', ticket12309()],
  ])('rejects %s with 400', async (_name, body) => {
    const r = await call(handler, hotlineEvent('12345', body, { secret: s45 }));
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('validation_failed');
    expect(r.body.details.length).toBeGreaterThan(0);
  });

  it('rejects malformed JSON with 400', async () => {
    const r = await call(handler, hotlineEvent('12345', '{"ticketId": ', { secret: s45 }));
    expect(r).toMatchObject({ status: 400, body: { error: 'validation_failed' } });
  });

  it("answers 401 for a wrong secret, the other hotline's secret, no signature, and a replayed timestamp", async () => {
    const t = ticket12345();
    const now = Math.floor(Date.now() / 1000);
    for (const ev of [
      hotlineEvent('12345', t, { secret: 'wrong-secret' }),
      hotlineEvent('12345', t, { secret: s09 }),
      hotlineEvent('12345', t, { signature: null }),
      hotlineEvent('12345', t, { secret: s45, t: now - 301 }),
    ]) {
      const r = await call(handler, ev);
      expect(r.status).toBe(401);
      expect(r.body.error).toBe('unauthorized');
    }
    expect(await store.get(caseIdFor('12345', t.ticketId as string))).toBeUndefined();
  });

  it('answers 415 for a body that is not JSON, and 413 above 256 KiB', async () => {
    expect((await call(handler, hotlineEvent('12345', ticket12345(), { secret: s45, contentType: 'text/plain' }))).status).toBe(415);
    expect((await call(handler, hotlineEvent('12345', ticket12345(), { secret: s45, contentType: 'application/json; charset=gbk' }))).status).toBe(415);
    const big = { tickets: Array.from({ length: 60 }, () => ticket12345({ content: '河'.repeat(1600) })) };
    const r = await call(handler, hotlineEvent('12345', big, { secret: s45 }));
    expect(r).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
  });

  it('answers 404 for an unknown hotline', async () => {
    expect((await call(handler, hotlineEvent('12315', ticket12345(), { secret: s45 }))).status).toBe(404);
  });
});

describe('receivedAt: a sane window at ingest, every ISO 8601 precision, one stored form (issue 10, item 2)', () => {
  const iso = (ms: number, suffix = 'Z') => new Date(ms).toISOString().replace('Z', suffix);
  const minutes = deadlinePolicy.receipt.maxAheadMinutes;
  const days = deadlinePolicy.receipt.maxAgeDays;

  it.each([
    ['a far-future year', '9999-12-31T23:59:59+08:00', /ahead/],
    ['a year ahead', '2099-01-01T00:00:00Z', /ahead/],
    [`more than ${minutes} minutes ahead`, iso(Date.now() + (minutes + 2) * 60_000), new RegExp(`${minutes} minutes ahead`)],
    ['a far-past year', '0001-01-01T00:00:00Z', /days before/],
    [`more than ${days} days old`, iso(Date.now() - (days + 1) * 86_400_000), new RegExp(`${days} days before`)],
  ])('answers 400 for %s, with details, and stores and enqueues nothing', async (_name, receivedAt, message) => {
    const good = ticket12345();
    const bad = ticket12345({ receivedAt });
    const depth = queue.depth;
    const r = await call(handler, hotlineEvent('12345', { tickets: [good, bad] }, { secret: s45 }));
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: 'validation_failed', details: [{ index: 1, path: 'receivedAt', message: expect.stringMatching(message) }] });
    expect(await store.get(caseIdFor('12345', good.ticketId as string))).toBeUndefined();
    expect(await store.get(caseIdFor('12345', bad.ticketId as string))).toBeUndefined();
    expect(queue.depth).toBe(depth);
  });

  it('answers 400 for a far-future 12309 ticket too', async () => {
    const r = await call(handler, hotlineEvent('12309', ticket12309({ receivedAt: '9000-06-01T00:00:00.000001+08:00' }), { secret: s09 }));
    expect(r).toMatchObject({ status: 400, body: { details: [{ index: 0, path: 'receivedAt' }] } });
  });

  it('accepts any fraction length and offset inside the window, and stores one normalised form', async () => {
    const base = Date.now() - 3_600_000;
    const shanghai = new Date(base + 8 * 3_600_000).toISOString().slice(0, 19);
    const cases: [string, string][] = [
      [`${iso(base).slice(0, 19)}.123456789Z`, `${shanghai}.123+08:00`],
      [`${shanghai}.5+08:00`, `${shanghai}.500+08:00`],
      [`${shanghai}.000000+08:00`, `${shanghai}+08:00`],
      [`${new Date(base - 5.5 * 3_600_000).toISOString().slice(0, 19)}-05:30`, `${shanghai}+08:00`],
      [iso(Date.now() + (minutes - 1) * 60_000), expect.any(String) as unknown as string],
    ];
    for (const [receivedAt, stored] of cases) {
      const t = ticket12345({ receivedAt });
      const r = await call(handler, hotlineEvent('12345', t, { secret: s45 }));
      expect(r.status, receivedAt).toBe(202);
      const c = await store.get(r.body.results[0].caseId);
      expect(c?.receivedAt).toEqual(stored);
      expect(c?.receivedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?\+08:00$/);
      expect(c?.ticket['receivedAt']).toBe(c?.receivedAt);
    }
  });
});
