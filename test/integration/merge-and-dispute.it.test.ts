/**
 * Issue #11 in local mode, as a hotline and the agencies would drive it: signed tickets over HTTP, the real
 * classifier, DynamoDB Local, the relay on its stream, status callbacks to a hotline receiver, the agency API.
 *
 * - 重复诉求合并: a repeat caller's second ticket is merged into the first case (one agency case, two tickets, two
 *   callbacks: `merged` and later the reply), and a third is split back out by the dispatcher.
 * - 派单异议审核: a return with a reason becomes a dispute that is upheld (rerouted to the suggested agency, and an
 *   export:training correction), and another that is rejected (back to the same agency, its reply clock running).
 * - The rates of the month over these cases, through `GET /v1/reports/kpis`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exportTraining } from '../../functions/app/export-training.js';
import { signDevToken } from '../../functions/auth/dev-jwt.js';
import { routing } from '../../functions/config/routing.js';
import { deployedRules } from '../../functions/config/deployed.js';
import { caseIdFor } from '../../functions/domain/case/case-id.js';
import type { Role } from '../../functions/domain/lifecycle/transitions.js';
import { monthOf } from '../../functions/domain/report/tally.js';
import { postTickets } from '../../local/hotline-client.js';
import { startLocal, type LocalRuntime } from '../../local/runtime.js';
import { ticket12345, uniqueId } from '../support/fixtures.js';

const SECRET = 'merge-dispute-secret-12345';
const CENTER = '150300:dispatch-center';
let rt: LocalRuntime;
let receiver: Server;
const callbacks: { caseId: string; sourceTicketId: string; status: string; mergedInto?: string; eventId: string }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      callbacks.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const env = { HOTLINE_SECRET_12345: SECRET, HOTLINE_CALLBACK_URL_12345: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/status` };
  rt = await startLocal({ dynamoEndpoint: inject('dynamoEndpoint'), tablePrefix: uniqueId('merge').toLowerCase(), env });
});
afterAll(async () => {
  await rt?.stop();
  receiver?.close();
});

async function send(over: Record<string, unknown>): Promise<string> {
  const t = ticket12345(over);
  const r = await postTickets(rt.url, '12345', SECRET, t);
  expect(r.status).toBe(202);
  await rt.drained();
  return caseIdFor('12345', t['ticketId'] as string);
}

// biome-ignore lint/suspicious/noExplicitAny: the JSON answer as these tests read it; the assertions are its type check
async function api(method: 'GET' | 'POST', path: string, role: Role, agencyId: string, body?: unknown): Promise<{ status: number; body: any }> {
  const tok = await signDevToken({ role, agencyId });
  const r = await fetch(`${rt.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${tok}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}
const act = async (caseId: string, action: string, role: Role, agencyId: string, body: unknown = {}) => {
  const r = await api('POST', `/v1/cases/${caseId}/${action}`, role, agencyId, body);
  expect(r.status, `${action} by ${role}@${agencyId}: ${JSON.stringify(r.body)}`).toBe(200);
  await rt.drained();
  return r.body;
};
const callbacksOf = (caseId: string) => callbacks.filter((c) => c.caseId === caseId).map((c) => c.status);

describe('repeat-request merging (重复诉求合并)', () => {
  const PHONE = '13912340001';
  const caller = { name: '周女士', phone: PHONE };
  const OWNER = '150302:ecology-environment';
  let first: string;
  let second: string;
  let third: string;

  it('merges a repeat caller’s second ticket into the open case: one agency case, two tickets, Case.Merged, a `merged` callback', async () => {
    first = await send({ caller });
    expect((await rt.store.get(first))?.status).toBe('dispatched');
    second = await send({ caller: { name: '周女士', phone: `+86 139-1234-0001` }, content: '又打一次：小区门口餐馆油烟还是直排，窗户都不敢开，没人来管。' });
    const merged = (await rt.store.get(second))!;
    expect(merged).toMatchObject({ status: 'merged', mergedInto: first, merge: { match: 'caller', agencyId: OWNER }, agencyId: CENTER });
    // Neither the phone nor anything but a keyed hash of it is on the record.
    expect(JSON.stringify(merged)).not.toContain('13912340001');
    expect(merged.callerKey).toMatch(/^[0-9a-f]{32}$/);

    // The owning agency sees one case in its queue, with both requests on it.
    const queue = await api('GET', `/v1/agencies/${OWNER}/cases?status=dispatched`, 'agent', OWNER);
    const ids = queue.body.items.map((i: { caseId: string }) => i.caseId);
    expect(ids).toContain(first);
    expect(ids).not.toContain(second);
    const view = await api('GET', `/v1/cases/${first}`, 'agent', OWNER);
    expect(view.body.requests).toMatchObject({ count: 2, merged: [{ caseId: second, match: 'caller', sourceTicketId: merged.sourceTicketId }] });
    // The dispatcher who may split it sees the case it joined and how it was matched (the console's 重复诉求合并 list).
    const ticketView = await api('GET', `/v1/cases/${second}`, 'dispatcher', CENTER);
    expect(ticketView.body).toMatchObject({ status: 'merged', mergedInto: first, merge: { match: 'caller', agencyId: OWNER }, allowedActions: ['split'] });

    const events = rt.bus.archive.filter((e) => e.detail['caseId'] === second).map((e) => e['detail-type']);
    expect(events).toEqual(['Ticket.Received', 'Ticket.Classified', 'Case.Merged']);
    const event = rt.bus.archive.find((e) => e.detail['caseId'] === second && e['detail-type'] === 'Case.Merged')!;
    expect(event.detail).toMatchObject({ mergedInto: first, agencyId: OWNER, match: 'caller', domain: 'ecology_environment' });
    expect(JSON.stringify(event.detail)).not.toContain(merged.callerKey!);
    // No agency queue received the merged ticket.
    expect(
      rt.agencyQueues
        .get(OWNER)!
        .queue.peek()
        .some((m) => JSON.parse(m.body).detail.caseId === second),
    ).toBe(false);
    await rt.drained();
    expect(callbacksOf(first)).toEqual(['dispatched']);
    expect(callbacks.filter((c) => c.caseId === second)).toEqual([
      expect.objectContaining({ status: 'merged', mergedInto: first, sourceTicketId: merged.sourceTicketId }),
    ]);
  });

  it('lets the dispatcher split a wrongly merged ticket out: it is dispatched on its own and leaves the case’s list', async () => {
    // The same caller about another matter of the same domain: merged by the rule, a wrong merge a person undoes.
    third = await send({ caller, content: '隔壁小区的锅炉房烟囱天天冒黑烟，呛得人喘不过气，要求环保部门查处。' });
    expect((await rt.store.get(third))?.decision?.domain).toBe('ecology_environment');
    expect((await rt.store.get(third))?.mergedInto).toBe(first);
    expect((await api('GET', `/v1/cases/${first}`, 'agent', OWNER)).body.requests.count).toBe(3);
    // An agency cannot split; the dispatcher of the region can.
    expect((await api('POST', `/v1/cases/${third}/split`, 'agent', OWNER, {})).status).toBe(404);
    const split = await act(third, 'split', 'dispatcher', CENTER, { note: '不同诉求' });
    expect(split).toMatchObject({ status: 'dispatched', agencyId: OWNER, mergedInto: null, merge: null });
    expect(split.deadlines.acceptBy).toBeDefined();
    const view = await api('GET', `/v1/cases/${first}`, 'agent', OWNER);
    expect(view.body.requests.count).toBe(2);
    expect(view.body.requests.merged.map((m: { caseId: string }) => m.caseId)).toEqual([second]);
    expect(rt.bus.archive.some((e) => e.detail['caseId'] === third && e['detail-type'] === 'Case.Dispatched')).toBe(true);
    expect(callbacksOf(third)).toEqual(['merged', 'dispatched']);
  });

  it('sends the reply to every ticket merged into the case, under each ticket’s own ids', async () => {
    await act(first, 'accept', 'agent', OWNER);
    await act(first, 'reply', 'agent', OWNER, { result: '已责令餐馆安装油烟净化设施' });
    await rt.drained();
    expect(callbacksOf(first)).toEqual(['dispatched', 'accepted', 'replied']);
    const replies = callbacks.filter((c) => c.caseId === second && c.status === 'replied');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ mergedInto: first });
    // Its own event id, not the case's: a hotline deduplicating on eventId keeps both.
    expect(replies[0]!.eventId).not.toBe(callbacks.find((c) => c.caseId === first && c.status === 'replied')!.eventId);
    // The split ticket is not answered by this reply.
    expect(callbacksOf(third)).toEqual(['merged', 'dispatched']);
  });
});

describe('dispute review of returns (派单异议审核)', () => {
  const MILK = { content: '小区门口的超市卖过期牛奶，买回家喝了拉肚子，要求查处。', hotlineCategory: '食品安全', regionCode: '150302' };
  let upheld: string;
  let rejected: string;

  it('turns a return with a reason into a dispute with its own deadline, upheld and rerouted to the suggested agency', async () => {
    upheld = await send(MILK);
    const c = (await rt.store.get(upheld))!;
    const owner = c.agencyId!;
    const back = await act(upheld, 'return', 'agent', owner, { reason: '属于卫健部门职责', reasonKind: 'other_agency', suggestedAgencyId: '150302:health' });
    expect(back).toMatchObject({ status: 'returned', agencyId: CENTER });
    expect(back.disputes).toEqual([expect.objectContaining({ reasonKind: 'other_agency', suggestedAgencyId: '150302:health', fromAgencyId: owner })]);
    // Its own deadline (config/dispute-policy.json: one working day) orders the dispatch center's queue.
    expect(back.dueAt).toBe(back.disputes[0].decideBy);
    const queue = await api('GET', `/v1/agencies/${CENTER}/cases?status=returned`, 'dispatcher', CENTER);
    expect(queue.body.items.map((i: { caseId: string }) => i.caseId)).toContain(upheld);
    expect((await api('GET', `/v1/cases/${upheld}`, 'dispatcher', CENTER)).body.allowedActions.sort()).toEqual(['reject', 'route', 'uphold']);

    const routed = await act(upheld, 'uphold', 'dispatcher', CENTER); // no agency named: the suggested one
    expect(routed).toMatchObject({ status: 'dispatched', agencyId: '150302:health' });
    expect(routed.disputes[0]).toMatchObject({ outcome: 'upheld', toAgencyId: '150302:health' });
    expect(rt.bus.archive.filter((e) => e.detail['caseId'] === upheld && e['detail-type'] === 'Case.Dispatched').at(-1)?.detail['agencyId']).toBe(
      '150302:health',
    );
  });

  it('sends a rejected dispute back to the agency that returned it, with a fresh sign-for deadline and its reply clock running', async () => {
    rejected = await send(MILK);
    const c = (await rt.store.get(rejected))!;
    const owner = c.agencyId!;
    await act(rejected, 'accept', 'agent', owner);
    await act(rejected, 'return', 'agent', owner, { reason: '信息不全，无法联系', reasonKind: 'insufficient_information' });
    // Without a suggested agency, uphold must name one.
    const noTarget = await api('POST', `/v1/cases/${rejected}/uphold`, 'dispatcher', CENTER, {});
    expect(noTarget.status).toBe(400);
    expect(noTarget.body.details[0].path).toBe('agencyId');
    const reject = await api('POST', `/v1/cases/${rejected}/reject`, 'dispatcher', CENTER, {});
    expect(reject.status).toBe(400);
    const back = await act(rejected, 'reject', 'dispatcher', CENTER, { reason: '来电人信息完整，请继续办理' });
    expect(back).toMatchObject({ status: 'dispatched', agencyId: owner });
    expect(back.disputes[0]).toMatchObject({ outcome: 'rejected', toAgencyId: owner });
    expect(back.deadlines.replyBy).toBe(c.deadlines!.replyBy); // clockDuringDispute: runs
    const fresh = deployedRules.deadlinesFor({
      source: '12345',
      kind: 'ticket',
      ticketType: c.decision!.ticketType,
      urgency: c.urgency,
      receivedAt: c.receivedAt,
      dispatchedAt: back.dispatchedAt,
    });
    expect(back.deadlines.acceptBy).toBe(fresh.acceptBy);
    expect(back.dueAt).toBe(fresh.acceptBy);
    // Decided: no second decision on the same dispute.
    expect((await api('POST', `/v1/cases/${rejected}/uphold`, 'dispatcher', CENTER, { agencyId: '150302:health' })).status).toBe(404);
  });

  it('makes the upheld dispute a routing correction for export:training, and not the rejected one', async () => {
    const { lines } = await exportTraining(rt.store, routing, { since: '2020-01-01T00:00:00Z', closed: false });
    const line = (caseId: string) => lines.find((l) => caseIdFor('12345', l.ticket['ticketId'] as string) === caseId);
    expect(line(upheld)?.label.agency).toBe('health');
    expect(line(upheld)?.note).toMatch(/dispute upheld/);
    expect(line(rejected)).toBeUndefined();
  });

  it('reports the month’s rates with their samples, hidden below the minimum sample', async () => {
    const month = monthOf(new Date().toISOString());
    const r = await api('GET', `/v1/reports/kpis?from=${month}&to=${month}&region=150302`, 'operator', CENTER);
    expect(r.status).toBe(200);
    expect(r.body.counts).toMatchObject({ disputesDecided: 2, disputesUpheld: 1, mergedRequests: 1, returned: 2 });
    expect(r.body.kpis.disputeUpholdRate).toEqual({ label: '异议成立率', value: null, sample: 2, hidden: true });
    // An agency reads its own rates only.
    const own = await api('GET', `/v1/reports/kpis?from=${month}&to=${month}&agencyId=150302:health`, 'agent', '150302:health');
    expect(own.status).toBe(200);
    expect(own.body.counts.firstDispatched).toBe(0);
    expect(own.body.counts.dispatches).toBe(1);
    expect((await api('GET', `/v1/reports/kpis?from=${month}&to=${month}`, 'agent', '150302:health')).status).toBe(403);
  });
});
