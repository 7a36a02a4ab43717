/**
 * The demo day (local/demo.ts) against local mode: the tickets of examples/demo-day.jsonl go in signed over HTTP,
 * through the real classifier, router and cluster rules, into DynamoDB Local; the demo's summary is checked against
 * what the store, the agency API and the in-process queues say.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signDevToken } from '../../functions/auth/dev-jwt.js';
import type { ClusterRecord } from '../../functions/domain/linkage/cluster-record.js';
import { monthOf, type Metric } from '../../functions/domain/report/tally.js';
import { DEFAULT_DEMO_FILE, prepareTickets, runDemo, type DemoSummary } from '../../local/demo.js';
import { startLocal, type LocalRuntime } from '../../local/runtime.js';
import { uniqueId } from '../support/fixtures.js';
import { classifyAndRoute } from '../../functions/config/classify.js';
import { ticketSchemaFor, type SourcedTicket } from '../../functions/domain/ticket/schemas.js';

// Secrets and JWT key other than the development defaults: runDemo must take them from the env startLocal got.
const env = { HOTLINE_SECRET_12345: 'demo-secret-12345', HOTLINE_SECRET_12309: 'demo-secret-12309', DEV_JWT_SECRET: 'demo-jwt-key-for-this-test-only' };
const jwt = (role: 'operator' | 'agent', agencyId: string) => signDevToken({ role, agencyId, secret: env.DEV_JWT_SECRET });
/** 乌海's 12345 centre: its operators read 乌海市 and its districts (docs/jurisdiction.md). */
const WUHAI_OPERATOR = '150300:dispatch-center';
const inWuhai = (regionCode: string) => regionCode.startsWith('1503');

type FileLine = { source: '12345' | '12309'; ticket: Record<string, unknown> & { content: string; receivedAt: string; regionCode: string } };
const lines: FileLine[] = readFileSync(DEFAULT_DEMO_FILE, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as FileLine);
const idOf = (l: FileLine) => (l.source === '12345' ? l.ticket['ticketId'] : l.ticket['caseNo']) as string;
const only = (pred: (l: FileLine) => boolean) => {
  const found = lines.filter(pred);
  expect(found).toHaveLength(1);
  return found[0]!;
};

let rt: LocalRuntime;
let summary: DemoSummary;
const printed: string[] = [];

/** GETs JSON; `T` is the body shape the test expects (checked by its assertions, not here). */
async function api<T>(path: string, token: string): Promise<{ status: number; body: T }> {
  const r = await fetch(`${rt.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: r.status, body: (await r.json()) as T };
}
const caseOf = (l: FileLine, s: DemoSummary = summary) => s.tickets.find((t) => t.source === l.source && t.fileId === idOf(l))!;

beforeAll(async () => {
  rt = await startLocal({ dynamoEndpoint: inject('dynamoEndpoint'), tablePrefix: uniqueId('demo').toLowerCase(), env });
  summary = await runDemo(rt, { env, log: (line) => printed.push(line) });
});
afterAll(async () => rt?.stop());

describe('the demo file', () => {
  it('has about 30 tickets from both hotlines, with the stories the demo is about', () => {
    expect(lines.length).toBeGreaterThanOrEqual(25);
    expect(lines.filter((l) => l.source === '12309').length).toBeGreaterThanOrEqual(5);
    expect(new Set(lines.map(idOf)).size).toBe(lines.length);
    only((l) => l.source === '12345' && /化工厂/.test(l.ticket['content']));
    only((l) => l.source === '12309' && /电梯/.test(l.ticket['content']));
    expect(lines.filter((l) => l.source === '12345' && /恒昌/.test(l.ticket['content']))).toHaveLength(3);
  });

  it('is moved to end just before now, keeps its spacing, and gets ids unique to each run', () => {
    const now = new Date('2027-03-02T04:00:00Z');
    const a = prepareTickets(lines, now, 'runa');
    const b = prepareTickets(lines, now, 'runb');
    const at = (p: { ticket: Record<string, unknown> }) => Date.parse(p.ticket['receivedAt'] as string);
    expect(Math.max(...a.map(at))).toBe(now.getTime() - 5 * 60_000);
    const span = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
    expect(span(a.map(at))).toBe(span(lines.map((l) => Date.parse(l.ticket['receivedAt']))));
    for (const p of a) expect(p.ticket['receivedAt']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    const ids = (xs: typeof a) => xs.map((p) => (p.ticket['ticketId'] ?? p.ticket['caseNo']) as string);
    expect(new Set([...ids(a), ...ids(b)]).size).toBe(2 * lines.length);
    for (const id of ids(a)) expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });
});

describe('runDemo', () => {
  it('gets every ticket accepted and routed, none dead-lettered: dispatched, or with the dispatch center when the router flags it', async () => {
    // What the deployed router (lexicon + learned model) flags, decided apart from the run.
    const flagged = new Set(
      lines.filter((l) => classifyAndRoute({ source: l.source, ticket: ticketSchemaFor[l.source].parse(l.ticket) } as SourcedTicket).needsReview).map(idOf),
    );
    expect(summary.counts).toMatchObject({
      sent: lines.length,
      accepted: lines.length,
      duplicate: 0,
      rejected: 0,
      deadLettered: 0,
      needsReview: flagged.size,
      dispatched: lines.length - flagged.size,
    });
    const stored = await rt.store.getMany(summary.tickets.map((t) => t.caseId));
    expect(stored).toHaveLength(lines.length);
    for (const t of summary.tickets) {
      const c = stored.find((x) => x.caseId === t.caseId)!;
      expect(c.status).toBe(flagged.has(t.fileId) ? 'needs_review' : 'dispatched');
    }
    expect(rt.processDlq.depth).toBe(0);
  });

  it('turns the repeatedly reported chemical-plant discharge into a procuratorate.pil clue in that department’s queue', async () => {
    const t = caseOf(only((l) => l.source === '12345' && /化工厂/.test(l.ticket['content'])));
    const parent = (await rt.store.get(t.caseId))!;
    expect(parent).toMatchObject({
      kind: 'ticket',
      agencyId: '150304:ecology-environment',
      decision: { domain: 'ecology_environment', clue: 'public_interest' },
    });
    expect(parent.referrals).toHaveLength(1);
    const { caseId: clueId, agencyId: dept } = parent.referrals![0]!;
    expect(dept).toMatch(/^\d{6}:procuratorate\.pil$/);
    expect(summary.clueCaseIds).toContain(clueId);

    const queue = await api<{ items: { caseId: string }[] }>(`/v1/agencies/${encodeURIComponent(dept)}/cases?status=dispatched`, await jwt('agent', dept));
    expect(queue.status).toBe(200);
    expect(queue.body.items.find((i: { caseId: string }) => i.caseId === clueId)).toMatchObject({ kind: 'clue', domain: 'ecology_environment' });
    expect(
      rt.agencyQueues
        .get(dept)!
        .queue.peek()
        .some((m) => JSON.parse(m.body).detail.caseId === clueId),
    ).toBe(true);
    expect(rt.bus.archive.some((e) => e['detail-type'] === 'Clue.Referred' && e.detail.caseId === clueId)).toBe(true);
  });

  it('transfers the 12309 broken-lift ticket to the region’s housing-construction agency', async () => {
    const line = only((l) => l.source === '12309' && /电梯/.test(l.ticket['content']));
    const t = caseOf(line);
    const c = (await rt.store.get(t.caseId))!;
    expect(c).toMatchObject({ kind: 'transfer', status: 'dispatched', agencyId: `${line.ticket['regionCode']}:housing-construction` });
    expect(summary.transferCaseIds).toContain(t.caseId);
    expect(rt.bus.archive.some((e) => e['detail-type'] === 'Case.Transferred' && e.detail.caseId === t.caseId)).toBe(true);
  });

  it('groups the three wage-arrears tickets naming one employer into exactly one cluster with a support_prosecution clue', async () => {
    const wage = lines.filter((l) => l.source === '12345' && /恒昌/.test(l.ticket['content']));
    const wageIds = wage.map((l) => caseOf(l).caseId).sort();
    const region = wage[0]!.ticket['regionCode'] as string;
    expect(new Set(wage.map((l) => l.ticket['regionCode']))).toEqual(new Set([region]));

    const list = await api<{ items: ClusterRecord[] }>(`/v1/clusters?region=${region}`, await jwt('operator', WUHAI_OPERATOR));
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const cluster = list.body.items[0]!;
    expect(cluster).toMatchObject({ ruleId: 'wage-arrears', status: 'open', keyKind: 'enterprise', groupKey: '恒昌', clue: 'support_prosecution' });
    expect([...cluster.caseIds].sort()).toEqual(wageIds);
    expect(cluster.agencyId).toMatch(/:procuratorate\.civil$/);
    expect(summary.clusterIds).toEqual([cluster.clusterId]);
    expect(summary.clusters[0]).toMatchObject({ detected: true, clueCaseId: cluster.clueCaseId });

    const clue = (await rt.store.get(cluster.clueCaseId))!;
    expect(clue).toMatchObject({
      kind: 'clue',
      clusterId: cluster.clusterId,
      agencyId: cluster.agencyId,
      status: 'dispatched',
      decision: { clue: 'support_prosecution' },
    });
    expect(summary.clues.find((c) => c.caseId === cluster.clueCaseId)).toMatchObject({ inDepartmentList: true, inDepartmentQueue: true });
    expect(rt.bus.archive.filter((e) => e['detail-type'] === 'Cluster.Detected')).toHaveLength(1);
  });

  it('keeps the judicial 12309 tickets with procuratorate departments', () => {
    const judicial = summary.tickets.filter((t) => t.source === '12309' && t.domain === 'judicial_affairs');
    expect(judicial.length).toBeGreaterThanOrEqual(3);
    for (const t of judicial) expect(t).toMatchObject({ kind: 'ticket', agencyId: expect.stringMatching(/:procuratorate\.[a-z]+$/) });
  });

  it('counts the demo in this month’s joint report: each city’s operator sees its own, and they add up', async () => {
    const month = monthOf(new Date().toISOString());
    const r = await api<{ totals: Record<Metric, number> }>(`/v1/reports/monthly?month=${month}`, await jwt('operator', WUHAI_OPERATOR));
    expect(r.status).toBe(200);
    const wuhai = lines.filter((l) => inWuhai(l.ticket.regionCode));
    expect(wuhai.length).toBeGreaterThan(0);
    expect(wuhai.length).toBeLessThan(lines.length);
    expect(r.body.totals.received).toBe(wuhai.length);
    expect(r.body.totals.cluesReferred).toBe(summary.clues.filter((c) => inWuhai(c.agencyId)).length);
    expect(summary.report.received).toBe(lines.length);
    expect(summary.report.cluesReferred).toBe(summary.clues.length);
  });

  it('prints a compact table naming every case, the clues and commands that work with this runtime’s key', async () => {
    expect(printed.length).toBeLessThanOrEqual(65);
    const text = printed.join('\n');
    for (const t of summary.tickets) expect(text).toContain(t.caseId);
    for (const c of summary.clues) expect(text).toContain(c.caseId);
    const token = /^ {2}T=(\S+)$/m.exec(text)?.[1];
    expect(token).toBeDefined();
    const curl = /'(http:\/\/[^']+\/v1\/clusters\?region=\d+)'/.exec(text)![1]!;
    const r = await fetch(curl, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
  });

  it('runs again on the same tables: new cases (the same callers again are repeat requests, merged), and the wage tickets join the existing cluster', async () => {
    const again = await runDemo(rt, { env, log: () => {} });
    expect(again.counts).toMatchObject({ accepted: lines.length, duplicate: 0, deadLettered: 0 });
    expect(new Set([...again.tickets, ...summary.tickets].map((t) => t.caseId)).size).toBe(2 * lines.length);
    expect(again.clusters).toHaveLength(1);
    expect(again.clusters[0]).toMatchObject({ clusterId: summary.clusterIds[0], detected: false });
    expect(again.clusters[0]!.caseIds).toHaveLength(6);
    expect(rt.bus.archive.filter((e) => e['detail-type'] === 'Cluster.Detected')).toHaveLength(1);
    // The second day's tickets repeat the first day's callers about cases still open: merged (重复诉求合并), not dispatched.
    expect(again.report.mergedRequests).toBeGreaterThan(0);
    expect(again.report.received + again.report.mergedRequests).toBe(2 * lines.length);
  });
});
