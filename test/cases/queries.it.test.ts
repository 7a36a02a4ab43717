/**
 * Reads and request validation of the agency API: the case view (personal data unmasked only for the owner),
 * queue pagination, and the 400/404/415 answers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '../../functions/adapters/aws/dynamo-case-store.js';
import { dispatch } from '../../functions/domain/case/dispatch.js';
import { receiveTicket } from '../../functions/domain/case/case.js';
import { freshTables } from '../support/dynamo.js';
import { decision, sourced12345 } from '../support/fixtures.js';
import { apiEvent, caseIn, casesApi, CENTER, OWNER, seed, token } from './support.js';

let store: DynamoCaseStore;

beforeAll(async () => {
  const { client, tables } = await freshTables();
  store = new DynamoCaseStore(client, tables.caseTable);
});

describe('GET /v1/cases/{caseId}', () => {
  const pii = {
    content: '我是张三，电话13800001111，身份证150302199001011234，楼下餐馆油烟直排',
    caller: { name: '张三', phone: '13800001111', idNumber: '150302199001011234' },
  };

  it('shows the owning agency the contact and content as stored', async () => {
    const api = casesApi(store);
    const c = caseIn('accepted', { ticket: pii });
    await seed(store, c);
    const r = await api.get(c.caseId, await token('agent', OWNER));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      caseId: c.caseId,
      kind: 'ticket',
      status: 'accepted',
      version: 3,
      source: '12345',
      sourceTicketId: c.sourceTicketId,
      agencyId: OWNER,
      referralAgencyId: null,
      domain: 'ecology_environment',
      ticketType: 'complaint',
      clue: 'none',
      urgency: 'normal',
      deadlines: c.deadlines,
      history: c.history,
      content: pii.content,
      contact: pii.caller,
      allowedActions: ['return', 'extend', 'reply'],
    });
  });

  it("shows the dispatcher a flagged ticket's routing: confidence, the best guess from the evidence, and the evidence", async () => {
    const api = casesApi(store);
    const evidence = ['domain:ecology_environment<=油烟(+3)', 'best-guess:150302:ecology-environment(0.41)'];
    const c = caseIn('needs_review', { decision: { confidence: 0.41, evidence } });
    await seed(store, c);
    const r = await api.get(c.caseId, await token('dispatcher', CENTER));
    expect(r.status).toBe(200);
    expect(r.body.routing).toEqual({ confidence: 0.41, needsReview: true, bestGuess: '150302:ecology-environment', evidence });
    expect(r.body.allowedActions).toEqual(['route']);
  });

  it('shows an operator masked contact and content, and no actions', async () => {
    const api = casesApi(store);
    const c = caseIn('accepted', { ticket: pii });
    await seed(store, c);
    const r = await api.get(c.caseId, await token('operator'));
    expect(r.status).toBe(200);
    expect(r.body.contact).toEqual({ name: '张*', phone: '138****1111', idNumber: '150302********1234' });
    expect(r.body.content).toBe('我是张三，电话138****1111，身份证150302********1234，楼下餐馆油烟直排');
    expect(r.body.allowedActions).toEqual([]);
    const raw = JSON.stringify(r.body);
    for (const s of ['13800001111', '150302199001011234']) expect(raw).not.toContain(s);
  });

  it('masks the reply for an operator, not for the owner', async () => {
    const api = casesApi(store);
    const c = caseIn('accepted');
    await seed(store, c);
    const r = await api.act(c.caseId, 'reply', await token('agent', OWNER), { result: '已电话13912345678回复' });
    expect(r.body.reply.result).toBe('已电话13912345678回复');
    expect((await api.get(c.caseId, await token('operator'))).body.reply.result).toBe('已电话139****5678回复');
  });
});

describe('GET /v1/agencies/{agencyId}/cases', () => {
  const AGENCY = '150302:education';
  const ids: string[] = [];

  beforeAll(async () => {
    // 45 dispatched cases of one agency with distinct due dates (in reverse order of creation), plus two accepted.
    const cases = Array.from({ length: 45 }, (_, i) => {
      const received = receiveTicket(sourced12345(), '2026-09-30T01:16:00.000Z', 'corr-page');
      const day = String(1 + (44 - i) / 2).padStart(2, '0');
      const due = `2026-10-${day.replace('.5', '')}T${i % 2 ? '12' : '23'}:59:59+08:00`;
      return dispatch(
        received,
        decision({ agencyId: AGENCY, domain: 'education' }),
        () => ({ acceptBy: due, replyBy: due, beyondKnownCalendar: false }),
        '2026-09-30T01:16:05.000Z',
      );
    });
    for (let i = 0; i < cases.length; i += 25) await seed(store, ...cases.slice(i, i + 25));
    ids.push(...cases.map((c) => c.caseId));
    await seed(store, caseIn('accepted', { decision: { agencyId: AGENCY } }), caseIn('accepted', { decision: { agencyId: AGENCY } }));
  });

  it('pages through the dispatched queue (default 20), earliest due first, with the list fields only', async () => {
    const api = casesApi(store);
    const tok = await token('agent', AGENCY);
    const first = await api.list(AGENCY, tok);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(20);
    expect(Object.keys(first.body.items[0]).sort()).toEqual([
      'caseId',
      'domain',
      'dueAt',
      'kind',
      'receivedAt',
      'regionCode',
      'status',
      'ticketType',
      'urgency',
    ]);
    const seen = [...first.body.items];
    let cursor: string | null = first.body.nextCursor;
    while (cursor) {
      const r = await api.list(AGENCY, tok, { cursor, limit: '20' });
      expect(r.status).toBe(200);
      seen.push(...r.body.items);
      cursor = r.body.nextCursor;
    }
    expect(seen.map((i) => i.caseId).sort()).toEqual([...ids].sort());
    const dues = seen.map((i) => i.dueAt as string);
    expect(dues).toEqual([...dues].sort());
    expect(seen.every((i) => i.status === 'dispatched' && i.domain === 'education')).toBe(true);
  });

  it('filters by status and honours limit 1..100', async () => {
    const api = casesApi(store);
    const tok = await token('supervisor', AGENCY);
    const accepted = await api.list(AGENCY, tok, { status: 'accepted', limit: '100' });
    expect(accepted.body.items).toHaveLength(2);
    expect(accepted.body.nextCursor).toBeNull();
    expect((await api.list(AGENCY, tok, { limit: '1' })).body.items).toHaveLength(1);
    expect((await api.list(AGENCY, tok, { limit: '100' })).body.items).toHaveLength(45);
  });

  it('refuses a bad limit, status or cursor with 400, and a cursor from another queue', async () => {
    const api = casesApi(store);
    const tok = await token('agent', AGENCY);
    for (const [query, path] of [
      [{ limit: '0' }, 'limit'],
      [{ limit: '101' }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ status: 'lost' }, 'status'],
      [{ cursor: 'bm90LWEtY3Vyc29y' }, 'cursor'],
      [{ cursor: '!!!' }, 'cursor'],
    ] as const) {
      const r = await api.list(AGENCY, tok, query);
      expect(r.status, JSON.stringify(query)).toBe(400);
      expect(r.body).toMatchObject({ error: 'validation_failed', details: [{ index: null, path }] });
    }
    const page = await api.list(AGENCY, tok, { limit: '1' });
    const foreign = await api.list(AGENCY, tok, { status: 'accepted', cursor: page.body.nextCursor });
    expect(foreign.status).toBe(400);
  });
});

describe('request validation', () => {
  it('answers validation_failed with details for missing, wrong and unknown fields', async () => {
    const api = casesApi(store);
    const c = caseIn('accepted');
    await seed(store, c);
    const agent = await token('agent', OWNER);
    const cases: [string, unknown, string][] = [
      ['return', {}, 'reason'],
      ['return', { reason: '   ' }, 'reason'],
      ['extend', { reason: '复核' }, 'workingDays'],
      ['extend', { reason: '复核', workingDays: 11 }, 'workingDays'],
      ['extend', { reason: '复核', workingDays: 2.5 }, 'workingDays'],
      ['reply', { result: '' }, 'result'],
      ['reply', { result: 'ok', person: '张三' }, ''],
      ['route', { agencyId: 'nowhere' }, 'agencyId'],
    ];
    for (const [action, body, path] of cases) {
      const r = await api.act(c.caseId, action, agent, body);
      expect(r.status, `${action} ${JSON.stringify(body)}`).toBe(400);
      expect(r.body.error).toBe('validation_failed');
      expect(r.body.details[0]).toMatchObject({ index: null, path });
    }
    expect((await store.get(c.caseId))!.version).toBe(c.version);
  });

  it('refuses a route to an unknown agency or a dispatch-center with 400', async () => {
    const api = casesApi(store);
    const c = caseIn('returned');
    await seed(store, c);
    const dispatcher = await token('dispatcher', CENTER);
    for (const agencyId of ['150302:no-such-kind', CENTER]) {
      const r = await api.act(c.caseId, 'route', dispatcher, { agencyId });
      expect(r).toMatchObject({ status: 400, body: { error: 'validation_failed', details: [{ path: 'agencyId' }] } });
    }
  });

  it('refuses a body that is not a JSON object (400) or not JSON (415)', async () => {
    const api = casesApi(store);
    const c = caseIn('accepted');
    await seed(store, c);
    const agent = await token('agent', OWNER);
    expect((await api.act(c.caseId, 'reply', agent, '{"result":')).body.error).toBe('validation_failed');
    expect((await api.act(c.caseId, 'reply', agent, '["x"]')).body.error).toBe('validation_failed');
    const r = await api.req(apiEvent('POST', `/v1/cases/${c.caseId}/reply`, { token: agent, body: 'result=x', headers: { 'content-type': 'text/plain' } }));
    expect(r.status).toBe(415);
  });

  it('answers 404 for unknown routes and actions', async () => {
    const api = casesApi(store);
    const agent = await token('agent', OWNER);
    expect((await api.act('x', 'approve', agent)).status).toBe(404);
    expect((await api.req(apiEvent('GET', '/v1/nothing', { token: agent }))).status).toBe(404);
    expect((await api.req(apiEvent('POST', '/v1/cases/x', { token: agent }))).status).toBe(404);
  });

  it('accepts a URL-encoded agency id and a base64 body (as API Gateway sends them)', async () => {
    const api = casesApi(store);
    const c = caseIn('accepted');
    await seed(store, c);
    const agent = await token('agent', OWNER);
    expect((await api.req(apiEvent('GET', `/v1/agencies/${encodeURIComponent(OWNER)}/cases`, { token: agent }))).status).toBe(200);
    const e = apiEvent('POST', `/v1/cases/${c.caseId}/reply`, { token: agent, body: { result: '已处理' } });
    e.body = Buffer.from(e.body!).toString('base64');
    e.isBase64Encoded = true;
    expect((await api.req(e)).body).toMatchObject({ status: 'replied' });
  });
});
