/**
 * The agency API's POST routes against DynamoDB Local: every (action, status, role) of the transition table over
 * HTTP, the race, append-only history, events with deterministic ids (published by the outbox relay from the table's
 * stream), a bus that is down when the transition is saved.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoCaseStore } from '../../functions/adapters/aws/dynamo-case-store.js';
import { CASE_STATUSES, type CaseStatus } from '../../functions/domain/case/case.js';
import { eventIdFor } from '../../functions/domain/case/event-id.js';
import { ACTIONS, ROLES, ruleFor, transitionEvent, type Action, type Role } from '../../functions/domain/lifecycle/index.js';
import { freshTables } from '../support/dynamo.js';
import { BODIES, caseIn, casesApi, CENTER, OWNER, seed, startRelay, token } from './support.js';

let store: DynamoCaseStore;
let relay: ReturnType<typeof startRelay>;

beforeAll(async () => {
  const { client, tables } = await freshTables();
  store = new DynamoCaseStore(client, tables.caseTable);
  relay = startRelay(client, tables.caseTable, store);
});

afterAll(() => relay.feed.stop());

function expectedStatus(action: Action, status: CaseStatus, role: Role): { http: number; error?: string; to?: CaseStatus } {
  const rule = ruleFor(action);
  if (role === 'operator' || !rule.roles.includes(role)) return { http: 403, error: 'forbidden' };
  if (!rule.from.includes(status)) return { http: 409, error: 'invalid_transition' };
  return { http: 200, to: rule.to };
}

const STATUSES = CASE_STATUSES.filter((s) => s !== 'received');
const matrix = ACTIONS.flatMap((action) =>
  STATUSES.flatMap((status) => ROLES.map((role) => ({ action, status, role, ...expectedStatus(action, status, role) }))),
);

describe('POST /v1/cases/{caseId}/{action}: the transition table over HTTP', () => {
  it.each(matrix)('$action on a $status case by its agency’s $role → $http', async ({ action, status, role, http, error, to }) => {
    const api = casesApi(store);
    const c = caseIn(status);
    await seed(store, c);
    const r = await api.act(c.caseId, action, await token(role, role === 'operator' ? undefined : c.agencyId), BODIES[action]);
    expect(r.status).toBe(http);
    const stored = (await store.get(c.caseId))!;
    if (http !== 200) {
      expect(r.body.error).toBe(error);
      if (http === 409) {
        expect(r.body).toMatchObject({ status });
        expect(r.body.allowed).toEqual(ruleFor(action).from.includes(status) ? expect.anything() : expect.not.arrayContaining([action]));
      }
      expect(stored).toEqual(c); // nothing written
      expect(await relay.events(c.caseId)).toHaveLength(0);
      return;
    }
    expect(r.body).toMatchObject({ caseId: c.caseId, status: to, version: c.version + 1 });
    expect(stored.status).toBe(to);
    expect(stored.history.slice(0, -1)).toEqual(c.history);
    expect(stored.history.at(-1)).toMatchObject({ version: c.version + 1, from: status, to, by: `${role}@${c.agencyId}` });
    expect((await relay.events(c.caseId)).map((e) => [e['detail-type'], e.detail.eventId])).toEqual([
      [ruleFor(action).event, eventIdFor(c.caseId, ruleFor(action).event, c.version + 1)],
    ]);
  });
});

describe('concurrency', () => {
  it('two concurrent accepts: exactly one 200 and one 409, one history entry, one event', async () => {
    for (let i = 0; i < 5; i++) {
      const api = casesApi(store);
      const c = caseIn('dispatched');
      await seed(store, c);
      const [a, b] = await Promise.all([
        api.act(c.caseId, 'accept', await token('agent', OWNER)),
        api.act(c.caseId, 'accept', await token('supervisor', OWNER)),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const loser = a.status === 409 ? a : b;
      expect(loser.body).toMatchObject({ error: 'invalid_transition', status: 'accepted' });
      const stored = (await store.get(c.caseId))!;
      expect(stored.history.map((h) => h.to)).toEqual(['received', 'dispatched', 'accepted']);
      expect(await relay.events(c.caseId)).toHaveLength(1);
    }
  });

  it('an accept and a return that both read the same version: one wins, the other gets 409 conflict', async () => {
    // Both requests read before either saves (a barrier on get), so the version condition decides.
    let gets = 0;
    let release: () => void = () => undefined;
    const bothRead = new Promise<void>((r) => (release = r));
    const racing: DynamoCaseStore = Object.assign(Object.create(store) as DynamoCaseStore, {
      get: async (id: string) => {
        const c = await store.get(id);
        gets += 1;
        if (gets === 2) release();
        if (gets <= 2) await bothRead; // the reload after the conflict passes straight through
        return c;
      },
    });
    const api = casesApi(racing);
    const c = caseIn('dispatched');
    await seed(store, c);
    const tok = await token('agent', OWNER);
    const rs = await Promise.all([api.act(c.caseId, 'accept', tok), api.act(c.caseId, 'return', tok, BODIES.return)]);
    expect(rs.map((r) => r.status).sort()).toEqual([200, 409]);
    const stored = (await store.get(c.caseId))!;
    expect(stored.version).toBe(c.version + 1);
    const loser = rs.find((r) => r.status === 409)!;
    // If accept won, a return would still be possible from `accepted`: a plain conflict; otherwise the accept is invalid now.
    expect(loser.body).toEqual(
      stored.status === 'accepted' ? { error: 'conflict', status: 'accepted' } : expect.objectContaining({ error: 'invalid_transition', status: 'returned' }),
    );
    expect(await relay.events(c.caseId)).toHaveLength(1);
  });
});

describe('flows', () => {
  it('accept → extend → grant → reply → close: append-only history, one event per step with deterministic ids', async () => {
    const api = casesApi(store);
    const c = caseIn('dispatched');
    await seed(store, c);
    const agent = await token('agent', OWNER);
    const supervisor = await token('supervisor', OWNER);
    const steps: [Action, string, unknown?][] = [
      ['accept', agent],
      ['extend', agent, { reason: '需要现场复核', workingDays: 3 }],
      ['grant-extension', supervisor],
      ['reply', agent, { result: '已处理完毕' }],
      ['close', supervisor],
    ];
    let before = (await store.get(c.caseId))!;
    for (const [action, tok, body] of steps) {
      const r = await api.act(c.caseId, action, tok, body);
      expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
      const after = (await store.get(c.caseId))!;
      expect(after.version).toBe(before.version + 1);
      expect(after.history.slice(0, -1)).toEqual(before.history);
      expect(after.history.at(-1)).toMatchObject({ version: after.version, from: before.status, to: after.status });
      before = after;
    }
    expect(before.history.map((h) => [h.version, h.from, h.to])).toEqual([
      [1, null, 'received'],
      [2, 'received', 'dispatched'],
      [3, 'dispatched', 'accepted'],
      [4, 'accepted', 'extension_requested'],
      [5, 'extension_requested', 'accepted'],
      [6, 'accepted', 'replied'],
      [7, 'replied', 'closed'],
    ]);
    expect(before.deadlines?.replyBy).toBe('2026-10-28T23:59:59+08:00'); // 10-23 + 3 working days
    const types = ['Case.Accepted', 'Case.ExtensionRequested', 'Case.ExtensionGranted', 'Case.Replied', 'Case.Closed'];
    const events = await relay.events(c.caseId);
    expect(events.map((e) => e['detail-type'])).toEqual(types);
    expect(events.map((e) => e.detail.eventId)).toEqual(types.map((t, i) => eventIdFor(c.caseId, t, 3 + i)));
    expect(events.every((e) => e.detail.correlationId === 'corr-1' && e.detail.actor !== undefined)).toBe(true);
    // Rebuilt from the stored record: the same events (a republish would carry the same ids).
    expect(before.history.slice(2).map((h) => transitionEvent(before, h).detail.eventId)).toEqual(events.map((e) => e.detail.eventId));
  });

  it('return → dispatch-center → route → return again lands in review; Case.Dispatched goes to the new agency', async () => {
    const api = casesApi(store);
    const c = caseIn('dispatched');
    await seed(store, c);
    expect((await api.act(c.caseId, 'return', await token('agent', OWNER), BODIES.return)).body).toMatchObject({ status: 'returned', agencyId: CENTER });
    // The agency no longer sees it; the dispatch-center does.
    expect((await api.get(c.caseId, await token('agent', OWNER))).status).toBe(404);
    const routed = await api.act(c.caseId, 'route', await token('dispatcher', CENTER), { agencyId: OWNER, note: '确属生态环境职责' });
    expect(routed.status).toBe(200);
    expect(routed.body).toMatchObject({ status: 'dispatched', agencyId: OWNER, dueAt: '2026-10-09T23:59:59+08:00' });
    const dispatched = (await relay.events(c.caseId)).find((e) => e['detail-type'] === 'Case.Dispatched')!;
    expect(dispatched.detail).toMatchObject({ agencyId: OWNER, status: 'dispatched', caseId: c.caseId, dueAt: '2026-10-09T23:59:59+08:00' });
    const again = await api.act(c.caseId, 'return', await token('supervisor', OWNER), BODIES.return);
    expect(again.body).toMatchObject({ status: 'needs_review', agencyId: CENTER });
    const ids: string[] = [];
    const dispatcher = await token('dispatcher', CENTER);
    for (let cursor: string | undefined, page = 0; page === 0 || cursor; page++) {
      const list = await api.list(CENTER, dispatcher, { status: 'needs_review', limit: '100', ...(cursor ? { cursor } : {}) });
      expect(list.status).toBe(200);
      ids.push(...list.body.items.map((i: { caseId: string }) => i.caseId));
      cursor = list.body.nextCursor ?? undefined;
    }
    expect(ids).toContain(c.caseId);
  });

  it('reopen once: the second reopen is 409 with the reason', async () => {
    const api = casesApi(store);
    const c = caseIn('replied');
    await seed(store, c);
    const sup = await token('supervisor', OWNER);
    expect((await api.act(c.caseId, 'reopen', sup, { reason: '回访不满意' })).status).toBe(200);
    expect((await api.act(c.caseId, 'accept', sup)).status).toBe(200);
    expect((await api.act(c.caseId, 'reply', sup, { result: '重新处理完毕' })).status).toBe(200);
    const r = await api.act(c.caseId, 'reopen', sup, { reason: '仍不满意' });
    expect(r.status).toBe(409);
    expect(r.body).toEqual({ error: 'invalid_transition', status: 'replied', allowed: ['close'], reason: 'a case is reopened at most once' });
  });

  it('puts no raw personal data into events: reasons and results are masked', async () => {
    const api = casesApi(store);
    const c = caseIn('dispatched', {
      ticket: { content: '我叫王小明，电话13912345678', caller: { name: '王小明', phone: '13912345678', idNumber: '150302199001011234' } },
    });
    await seed(store, c);
    const agent = await token('agent', OWNER);
    await api.act(c.caseId, 'accept', agent, { note: '王小明的电话 13912345678' });
    await api.act(c.caseId, 'reply', agent, { result: '已回复王小明（13912345678，身份证150302199001011234）' });
    const all = JSON.stringify(await relay.events(c.caseId));
    for (const pii of ['13912345678', '150302199001011234']) expect(all).not.toContain(pii);
    expect(all).toContain('139****5678');
    const history = JSON.stringify((await store.get(c.caseId))!.history);
    expect(history).not.toContain('13912345678');
  });
});

describe('publishing (the outbox)', () => {
  it('answers 200 with the event id while the bus is down; the relay delivers the event, with that id, once it is back', async () => {
    const api = casesApi(store);
    const c = caseIn('dispatched');
    await seed(store, c);
    await relay.events(c.caseId);
    relay.state.busDown = true;
    try {
      const r = await api.act(c.caseId, 'accept', await token('agent', OWNER));
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ caseId: c.caseId, status: 'accepted', version: c.version + 1 });
      expect((await store.get(c.caseId))!.status).toBe('accepted');
      // The relay keeps trying while the bus is down; nothing is out yet.
      await vi.waitFor(() => expect(relay.state.failedPublishes).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
      expect(relay.bus.archive.filter((e) => e.detail['caseId'] === c.caseId)).toEqual([]);
    } finally {
      relay.state.busDown = false;
    }
    const events = await relay.events(c.caseId);
    expect(events.map((e) => [e['detail-type'], e.detail.eventId])).toEqual([['Case.Accepted', eventIdFor(c.caseId, 'Case.Accepted', c.version + 1)]]);
    expect(transitionEvent((await store.get(c.caseId))!).detail.eventId).toBe(events[0]!.detail.eventId);
  });
});
