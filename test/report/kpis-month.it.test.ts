/**
 * The rates of docs/kpis.md over a generated month against DynamoDB Local: 1,100 tickets through the real use cases
 * (ingest with the caller key, the process function's batches with merging, the agency API's actions with returns,
 * disputes upheld and rejected, splits, replies, and 回访 with and without `contacted`/`resolved`). The figures
 * `GET /v1/reports/kpis` computes from the incrementally kept counters must equal a recomputation from the case
 * records, written here independently of the tally (tally.ts), and the counter rows must equal Σ tally(case).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '../../functions/adapters/aws/dynamo-case-store.js';
import { EnvCallerKeySecret } from '../../functions/adapters/local/env-caller-key-secret.js';
import { InProcessQueue } from '../../functions/adapters/local/in-process-queue.js';
import { acceptTickets } from '../../functions/app/accept-tickets.js';
import { performAction } from '../../functions/app/case-actions.js';
import { recordFeedback, type FeedbackCase } from '../../functions/app/feedback.js';
import { readKpis } from '../../functions/app/linkage.js';
import { processCases } from '../../functions/app/process-case.js';
import type { Principal } from '../../functions/auth/principal.js';
import { clusterRules } from '../../functions/config/cluster-rules.js';
import { classifyAndRoute, deadlinesFor } from '../../functions/config/decide.js';
import { deployedRules } from '../../functions/config/deployed.js';
import { groupKeysOf } from '../../functions/config/group-keys.js';
import type { CaseRecord, HistoryEntry, ReturnReasonKind } from '../../functions/domain/case/case.js';
import { formatShanghai } from '../../functions/domain/deadlines/time.js';
import type { Metric } from '../../functions/domain/report/tally.js';
import { monthOf, rowId, sumRows, tally } from '../../functions/domain/report/tally.js';
import { KPI_NAMES, type KpiName } from '../../functions/domain/report/kpis.js';
import { seededRandom } from '../../functions/domain/seeded-random.js';
import type { SourcedTicket } from '../../functions/domain/ticket/schemas.js';
import type { AgencyId } from '../../functions/domain/taxonomy.js';
import { freshTables } from '../support/dynamo.js';
import { testContacts, uniqueId } from '../support/fixtures.js';

const TICKETS = 1_100;
const REGION = '150302';
const CENTER = '150300:dispatch-center' as AgencyId;
const TEMPLATES = [
  { content: '小区门口的餐馆油烟直排，家里窗户都不敢开，要求环保部门处理。', address: '海勃湾区滨河家园' },
  { content: '超市卖过期牛奶，买回家喝了拉肚子，要求查处。', hotlineCategory: '食品安全', address: '海勃湾区人民路' },
  { content: '滨河路的垃圾桶三天没人清了，臭得没法走路。', address: '海勃湾区滨河路' },
  { content: '小区的电梯坏了一个星期，物业不修，老人上不了楼。', address: '海勃湾区阳光新城' },
  { content: '公司拖欠我三个月工资不发，老板找不到人。', address: '海勃湾区新华街' },
  { content: '咨询一下办理居住证需要带什么材料。', address: '海勃湾区政务中心' },
];

let t = Date.parse('2026-11-03T09:00:00+08:00');
/** The month's clock: every call a minute later, so the whole month's work stays in November (Shanghai). */
const now = () => {
  t += 60_000;
  return new Date(t);
};
const rnd = seededRandom(20261103);
const pickWith =
  (r: () => number) =>
  <T>(xs: readonly T[]): T =>
    xs[Math.floor(r() * xs.length)]!;
const pick = pickWith(rnd);

let store: DynamoCaseStore;
const deps = () => ({ store, now, rules: deployedRules });
const dispatcher: Principal = { role: 'dispatcher', agencyId: CENTER };
const staff = (agencyId: string): Principal => ({ role: 'agent', agencyId: agencyId as AgencyId });
const generated = { merged: 0, splits: 0, upheld: 0, rejected: 0, surveys: 0, returns: 0 };

/**
 * What happens to one case after processing, step by step through the agency API's use cases. Each case draws from
 * its own stream (seeded by its place in the month), so cases worked concurrently get the same fate in every run.
 */
async function work(c: CaseRecord, index: number): Promise<void> {
  const rnd = seededRandom(20261103_000 + index);
  const pick = pickWith(rnd);
  const act = (p: Principal, action: Parameters<typeof performAction>[3], input = {}) => performAction(deps(), p, c.caseId, action, input);
  let status = c.status;
  let owner = c.agencyId!;
  if (status === 'merged') {
    generated.merged++;
    if (rnd() >= 0.15) return;
    generated.splits++;
    const r = await act(dispatcher, 'split');
    status = r.case.status;
    owner = r.case.agencyId!;
  }
  if (status === 'needs_review') {
    const r = await act(dispatcher, 'route', { agencyId: '150302:urban-management' });
    owner = r.case.agencyId!;
  }
  if (rnd() < 0.2) {
    generated.returns++;
    if (rnd() < 0.5) await act(staff(owner), 'accept');
    const reasonKind: ReturnReasonKind = pick(['other_agency', 'outside_jurisdiction', 'insufficient_information', 'other']);
    const suggested = owner === '150302:market-regulation' ? '150302:health' : '150302:market-regulation';
    await act(staff(owner), 'return', { reason: '不属于本单位', reasonKind, ...(reasonKind === 'other_agency' ? { suggestedAgencyId: suggested } : {}) });
    if (rnd() < 0.5) {
      generated.upheld++;
      const r = await act(dispatcher, 'uphold', reasonKind === 'other_agency' ? {} : { agencyId: '150302:urban-management' });
      owner = r.case.agencyId!;
    } else {
      generated.rejected++;
      await act(dispatcher, 'reject', { reason: '属于本单位职责' });
    }
  }
  if (rnd() < 0.1) return; // never signed for
  await act(staff(owner), 'accept');
  if (rnd() < 0.15) return; // still being worked on
  await act(staff(owner), 'reply', { result: '已处理并回复来电人' });
  if (rnd() < 0.25) return; // not surveyed yet
  generated.surveys++;
  const contacted = rnd() < 0.7 ? rnd() < 0.85 : undefined;
  const resolved = rnd() < 0.6 ? rnd() < 0.75 : undefined;
  await recordFeedback(deps(), '12345', {
    sourceTicketId: c.sourceTicketId,
    result: pick(['satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied']),
    contacted,
    resolved,
  });
}

beforeAll(async () => {
  const { client, tables } = await freshTables();
  store = new DynamoCaseStore(client, tables.caseTable);
  // A pool of callers smaller than the month's tickets: some call twice or more (repeat requests).
  const phones = Array.from({ length: 850 }, (_, i) => `139${String(20_000_000 + i * 37).padStart(8, '0')}`);
  const caseIds: string[] = [];
  const ingest = { store, queue: new InProcessQueue('unused'), contacts: testContacts, callerKeys: new EnvCallerKeySecret({}), now };
  for (let i = 0; i < TICKETS; i += 25) {
    const batch: SourcedTicket[] = Array.from({ length: Math.min(25, TICKETS - i) }, () => {
      const tpl = pick(TEMPLATES);
      return {
        source: '12345',
        ticket: {
          ticketId: uniqueId('KPI'),
          receivedAt: formatShanghai(t),
          channel: 'phone',
          type: 'complaint',
          regionCode: REGION,
          urgency: 'normal',
          caller: { name: '来电人', phone: pick(phones) },
          ...tpl,
          address: `${tpl.address}${Math.floor(rnd() * 40)}号`,
        },
      } as unknown as SourcedTicket;
    });
    const results = await acceptTickets(ingest, batch, uniqueId('corr'));
    caseIds.push(...results.map((r) => r.caseId));
  }
  const processDeps = { store, clusterRules, groupKeysOf, rules: deployedRules, classify: classifyAndRoute, deadlines: deadlinesFor, now };
  for (let i = 0; i < caseIds.length; i += 10) {
    const r = await processCases(processDeps, caseIds.slice(i, i + 10));
    for (const v of r.values()) if (v instanceof Error) throw v;
  }
  const processed = await store.getMany(caseIds);
  // A few cases at a time (their counter rows are shared: the store retries transaction conflicts).
  for (let i = 0; i < processed.length; i += 4) await Promise.all(processed.slice(i, i + 4).map((c, j) => work(c, i + j)));
}, 600_000);

/** Every case record of the table. */
async function allCases(): Promise<CaseRecord[]> {
  const out: CaseRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.scanCases({ limit: 500, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

const isReturn = (h: HistoryEntry) => h.to === 'returned' || (h.to === 'needs_review' && (h.from === 'dispatched' || h.from === 'accepted'));

/** The rates' numerators and denominators straight from the records (not through tally.ts). */
function recompute(cases: CaseRecord[]): Record<KpiName, { num: number; den: number }> & { merged: number } {
  const z = () => ({ num: 0, den: 0 });
  const r = {
    firstDispatchAccuracy: z(),
    returnRate: z(),
    disputeUpholdRate: z(),
    signedOnTimeRate: z(),
    repliedOnTimeRate: z(),
    responseRate: z(),
    resolutionRate: z(),
    satisfactionRate: z(),
    merged: 0,
  };
  const w = deployedRules.kpis.rates;
  for (const c of cases) {
    if (c.kind !== 'ticket') continue;
    const firstIdx = c.history.findIndex((h) => h.to === 'dispatched');
    if (firstIdx >= 0) {
      r.firstDispatchAccuracy.den++;
      if (!c.history.slice(firstIdx + 1).some(isReturn)) r.firstDispatchAccuracy.num++;
    }
    for (const h of c.history) {
      if (h.to === 'dispatched') r.returnRate.den++;
      if (isReturn(h)) r.returnRate.num++;
      if (h.to === 'accepted' && (h.from === 'dispatched' || h.from === 'reopened')) {
        r.signedOnTimeRate.den++;
        if (h.onTime) r.signedOnTimeRate.num++;
      }
      if (h.to === 'replied') {
        r.repliedOnTimeRate.den++;
        if (h.onTime) r.repliedOnTimeRate.num++;
      }
    }
    for (const d of c.disputes ?? []) {
      if (!d.outcome) continue;
      r.disputeUpholdRate.den++;
      if (d.outcome === 'upheld') r.disputeUpholdRate.num++;
    }
    if (c.status === 'merged') r.merged++;
    for (const f of (c as FeedbackCase).feedback ?? []) {
      const result = { satisfied: 'satisfied', basically_satisfied: 'basicallySatisfied', dissatisfied: 'dissatisfied' }[f.result] as Metric;
      r.satisfactionRate.num += w.satisfaction.weights[result] ?? 0;
      r.satisfactionRate.den += result in w.satisfaction.weights ? 1 : 0;
      if (f.contacted !== undefined) {
        r.responseRate.num += w.response.weights[f.contacted ? 'contacted' : 'notContacted'] ?? 0;
        r.responseRate.den++;
      }
      if (f.resolved !== undefined) {
        r.resolutionRate.num += w.resolution.weights[f.resolved ? 'resolved' : 'unresolved'] ?? 0;
        r.resolutionRate.den++;
      }
    }
  }
  return r;
}

describe('the rates of a generated month', () => {
  it('holds a month of at least 1,000 cases with merges, splits, returns, disputes both ways and feedback', async () => {
    const cases = (await allCases()).filter((c) => c.kind === 'ticket');
    expect(cases.length).toBeGreaterThanOrEqual(1_000);
    expect(new Set(cases.flatMap((c) => c.history.map((h) => monthOf(h.at))))).toEqual(new Set(['2026-11']));
    expect(generated.merged).toBeGreaterThan(20);
    expect(generated.splits).toBeGreaterThan(0);
    expect(generated.upheld).toBeGreaterThan(20);
    expect(generated.rejected).toBeGreaterThan(20);
    expect(generated.surveys).toBeGreaterThan(100);
  });

  it('answers GET /v1/reports/kpis with the figures of a recomputation from the case records', async () => {
    const operator: Principal = { role: 'operator', agencyId: CENTER };
    const report = await readKpis(deps(), operator, { from: '2026-11', to: '2026-11', region: REGION });
    const expected = recompute(await allCases());
    expect(report.counts.mergedRequests).toBe(expected.merged);
    for (const k of KPI_NAMES) {
      const { num, den } = expected[k];
      expect(report.kpis[k].sample, k).toBe(den);
      const hidden = den < deployedRules.kpis.minimumSample;
      expect(report.kpis[k].hidden, k).toBe(hidden);
      expect(report.kpis[k].value, k).toBe(hidden || den === 0 ? null : Math.round((num / den) * 1000) / 1000);
    }
    // A month this size clears the minimum sample everywhere: no rate is hidden.
    expect(KPI_NAMES.filter((k) => report.kpis[k].hidden)).toEqual([]);
  });

  it('keeps the counter rows equal to Σ tally(case) over every record', async () => {
    const stored = await store.reportRows('2026-11', REGION);
    const recomputed = sumRows((await allCases()).map((c) => tally(c))).filter((r) => r.key.regionCode === REGION && r.key.month === '2026-11');
    const byId = (rows: typeof stored) => Object.fromEntries(rows.map((r) => [rowId(r.key), r.counts]));
    expect(byId(stored)).toEqual(byId(recomputed));
  });
});
