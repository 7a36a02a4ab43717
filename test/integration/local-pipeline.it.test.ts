/**
 * The whole local pipeline as a hotline sees it: signed HTTP requests to the local server, the real classifier
 * and router, DynamoDB Local, the in-process queue and bus with one rule and queue per agency.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocal, type LocalRuntime } from '../../local/runtime.js';
import { postTickets } from '../../local/hotline-client.js';
import { uniqueId, ticket12309, ticket12345 } from '../support/fixtures.js';

const env = { HOTLINE_SECRET_12345: 'integration-secret-12345', HOTLINE_SECRET_12309: 'integration-secret-12309' };
let rt: LocalRuntime;

beforeAll(async () => {
  rt = await startLocal({ dynamoEndpoint: inject('dynamoEndpoint'), tablePrefix: uniqueId('pipe').toLowerCase(), env });
});
afterAll(async () => rt?.stop());

describe('local mode, end to end', () => {
  it('answers /health', async () => {
    const r = await fetch(`${rt.url}/health`);
    expect(r.status).toBe(200);
  });

  it('takes a signed 12345 ticket to a dispatched case in the right agency queue, with three events', async () => {
    const t = ticket12345({
      regionCode: '150304',
      content: '乌达区工业园区一家化工厂晚上偷偷往河里排污水，河水发黑发臭，下游几个村都闻得到，反映过好几次没人管。',
      caller: { name: '王先生', phone: '13900001234' },
    });
    const r = await postTickets(rt.url, '12345', env.HOTLINE_SECRET_12345, t);
    expect(r.status).toBe(202);
    const { caseId, status } = (r.body as { results: { caseId: string; status: string }[] }).results[0]!;
    expect(status).toBe('accepted');
    await rt.drained();

    const c = await rt.store.get(caseId);
    expect(c?.status).toBe('dispatched');
    expect(c?.decision?.domain).toBe('ecology_environment');
    expect(c?.agencyId).toBe('150304:ecology-environment');
    const types = rt.bus.archive.filter((e) => e.detail.caseId === caseId).map((e) => e['detail-type']);
    expect(types).toEqual(['Ticket.Received', 'Ticket.Classified', 'Case.Dispatched']);
    const q = rt.agencyQueues.get('150304:ecology-environment')!.queue;
    expect(q.peek().some((m) => JSON.parse(m.body).detail.caseId === caseId)).toBe(true);

    const again = await postTickets(rt.url, '12345', env.HOTLINE_SECRET_12345, t);
    expect((again.body as { results: unknown[] }).results[0]).toEqual({ ticketId: t.ticketId, status: 'duplicate', caseId });
  });

  it('takes a signed 12309 ticket about a broken lift to housing-construction as a transfer', async () => {
    const t = ticket12309({
      matterType: 'report',
      regionCode: '150302',
      content: '我们小区3号楼的电梯坏了两个多月，物业一直拖着不修，楼里好几位八十多岁的老人下不了楼。',
      demand: '希望督促物业尽快修好电梯。',
      respondent: { kind: 'enterprise', name: '某物业公司' },
    });
    const r = await postTickets(rt.url, '12309', env.HOTLINE_SECRET_12309, t);
    expect(r.status).toBe(202);
    const { caseId } = (r.body as { results: { caseId: string }[] }).results[0]!;
    await rt.drained();
    const c = await rt.store.get(caseId);
    expect(c).toMatchObject({ kind: 'transfer', status: 'dispatched', agencyId: '150302:housing-construction' });
    expect(c?.deadlines?.proceduralReplyBy).toBeDefined();
  });

  it("rejects the other hotline's secret with 401 and a ticket without content with 400", async () => {
    const wrong = await postTickets(rt.url, '12345', env.HOTLINE_SECRET_12309, ticket12345());
    expect(wrong).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    const { content: _c, ...noContent } = ticket12345();
    const bad = await postTickets(rt.url, '12345', env.HOTLINE_SECRET_12345, noContent);
    expect(bad).toMatchObject({ status: 400, body: { error: 'validation_failed', details: [{ index: 0, path: 'content' }] } });
  });

  it('answers 413 for an oversized body from the HTTP server without buffering it all', async () => {
    const huge = JSON.stringify({ tickets: [ticket12345({ content: 'x'.repeat(400_000) })] });
    const r = await postTickets(rt.url, '12345', env.HOTLINE_SECRET_12345, huge);
    expect(r.status).toBe(413);
  });

  it('processes a batch of 100 with every case dispatched and nothing dead-lettered', async () => {
    const tickets = Array.from({ length: 100 }, (_, i) =>
      ticket12345({ content: i % 2 ? '公交车不按站停车，司机态度恶劣。' : '小区楼下烧烤摊每天半夜还在营业，油烟噪音扰民。' }),
    );
    const r = await postTickets(rt.url, '12345', env.HOTLINE_SECRET_12345, { tickets });
    expect(r.status).toBe(202);
    await rt.drained();
    const ids = (r.body as { results: { caseId: string }[] }).results.map((x) => x.caseId);
    const cases = await Promise.all(ids.map((id) => rt.store.get(id)));
    expect(cases.every((c) => c && (c.status === 'dispatched' || c.status === 'needs_review'))).toBe(true);
    expect(rt.processDlq.depth).toBe(0);
  });
});
