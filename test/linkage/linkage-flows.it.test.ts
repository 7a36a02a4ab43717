/**
 * 府检联动 flows (product.md §9) end to end in local mode: signed tickets over HTTP, the real classifier and router,
 * DynamoDB Local, agency API calls with dev tokens. Clue referral → department queue → accept / decline;
 * recommendations with their reply and follow-up; the monthly report equal to a recomputation from the records.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signDevToken } from '../../functions/auth/dev-jwt.js';
import { shanghaiDateOf } from '../../functions/domain/deadlines/time.js';
import type { CaseRecord } from '../../functions/domain/case/case.js';
import { monthOf, sumRows, tally, rowId } from '../../functions/domain/report/tally.js';
import type { Role } from '../../functions/domain/lifecycle/transitions.js';
import { postTickets } from '../../local/hotline-client.js';
import { startLocal, type LocalRuntime } from '../../local/runtime.js';
import { ticket12309, ticket12345, uniqueId } from '../support/fixtures.js';

const SECRETS = { HOTLINE_SECRET_12345: 'linkage-secret-12345', HOTLINE_SECRET_12309: 'linkage-secret-12309' };
const env: Record<string, string> = { ...SECRETS };
let rt: LocalRuntime;
/** What the 12309 system's callback receiver got (status back to the hotline, product.md §10). */
const callbacks12309: { status: string; caseId: string; sourceTicketId: string }[] = [];
let receiver: Server;

/** The bus archive once every saved change has been relayed (the outbox relay publishes, after the save). */
const relayed = async () => {
  await rt.drained();
  return rt.bus.archive;
};

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      callbacks12309.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  env['HOTLINE_CALLBACK_URL_12309'] = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/status`;
  rt = await startLocal({ dynamoEndpoint: inject('dynamoEndpoint'), tablePrefix: uniqueId('link').toLowerCase(), env });
});
afterAll(async () => {
  await rt?.stop();
  receiver?.close();
});

const token = (role: Role, agencyId?: string) => signDevToken({ role, agencyId });
/** Operators belong to an agency too; the city's 12345 centre covers the whole city (docs/jurisdiction.md). */
const CITY_OPERATOR = '150300:dispatch-center';

// biome-ignore lint/suspicious/noExplicitAny: the JSON answer as these tests read it: each reaches into it by the path it asserts, and the assertions are its type check
async function api(method: string, path: string, tok: string, body?: unknown): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const r = await fetch(`${rt.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${tok}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: r.status, body: parsed, text, headers: r.headers };
}

async function ingest12345(over: Record<string, unknown>): Promise<string> {
  const r = await postTickets(rt.url, '12345', SECRETS.HOTLINE_SECRET_12345, ticket12345(over));
  expect(r.status).toBe(202);
  await rt.drained();
  return (r.body as { results: { caseId: string }[] }).results[0]!.caseId;
}

const CHEMICAL_PLANT = {
  regionCode: '150304',
  content: '乌达区工业园区一家化工厂晚上偷偷往河里排污水，河水发黑发臭，下游几个村都闻得到，已经反映过好几次了，环保部门一直没人管。',
  caller: { name: '王先生', phone: '13900001234' },
};

describe('clue referral (线索移送)', () => {
  let parentId: string;
  let clueId: string;
  let dept: string;

  it('turns a repeatedly reported chemical-plant discharge into a procuratorate.pil clue in that department’s queue', async () => {
    parentId = await ingest12345(CHEMICAL_PLANT);
    const parent = (await rt.store.get(parentId))!;
    expect(parent).toMatchObject({ kind: 'ticket', status: 'dispatched', decision: { domain: 'ecology_environment', clue: 'public_interest' } });
    dept = parent.referralAgencyId!;
    expect(dept).toMatch(/^\d{6}:procuratorate\.pil$/);
    expect(parent.referrals).toHaveLength(1);
    clueId = parent.referrals![0]!.caseId;

    const queue = await api('GET', `/v1/agencies/${encodeURIComponent(dept)}/cases?status=dispatched`, await token('agent', dept));
    expect(queue.status).toBe(200);
    const item = queue.body.items.find((i: { caseId: string }) => i.caseId === clueId);
    expect(item).toMatchObject({ kind: 'clue', status: 'dispatched', domain: 'ecology_environment' });

    const clue = await api('GET', `/v1/cases/${clueId}`, await token('agent', dept));
    expect(clue.status).toBe(200);
    expect(clue.body).toMatchObject({ kind: 'clue', parentCaseId: parentId, agencyId: dept, clue: 'public_interest', allowedActions: ['accept', 'decline'] });
    expect(clue.body.deadlines.evaluateBy).toBeDefined();
    // The department sees the caller masked only: the sealed contact stays with the government case.
    expect(clue.body.contact).toEqual({ name: '王**', phone: '139****1234' });

    const events = (await relayed()).filter((e) => e.detail.caseId === clueId).map((e) => e['detail-type']);
    expect(events).toEqual(['Case.Dispatched', 'Clue.Referred']);
    const referred = (await relayed()).find((e) => e.detail.caseId === clueId && e['detail-type'] === 'Clue.Referred')!;
    expect(referred.detail).toMatchObject({ parentCaseId: parentId, agencyId: dept, clue: 'public_interest' });
    // The department's own queue (SQS in AWS) received the clue like any dispatched case.
    expect(
      rt.agencyQueues
        .get(dept)!
        .queue.peek()
        .some((m) => JSON.parse(m.body).detail.caseId === clueId),
    ).toBe(true);
  });

  it('lists the referral with its status on the parent, for the government agency that owns it', async () => {
    const parent = await api('GET', `/v1/cases/${parentId}`, await token('agent', '150304:ecology-environment'));
    expect(parent.status).toBe(200);
    expect(parent.body.referrals).toEqual([{ caseId: clueId, agencyId: dept, status: 'dispatched' }]);
  });

  it('the department accepts (opens an investigation): Clue.Accepted, and the government case goes on independently', async () => {
    const r = await api('POST', `/v1/cases/${clueId}/accept`, await token('agent', dept), {});
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('accepted');
    const accepted = (await relayed()).find((e) => e.detail.caseId === clueId && e['detail-type'] === 'Clue.Accepted');
    expect(accepted?.detail).toMatchObject({ parentCaseId: parentId, agencyId: dept, clue: 'public_interest' });
    const parent = await api('GET', `/v1/cases/${parentId}`, await token('agent', '150304:ecology-environment'));
    expect(parent.body.status).toBe('dispatched');
    expect(parent.body.referrals[0].status).toBe('accepted');
    // The clue is the department's: the government agency cannot act on it, nor read it.
    expect((await api('POST', `/v1/cases/${clueId}/decline`, await token('agent', '150304:ecology-environment'), { reason: 'x' })).status).toBe(404);
  });

  it('declines another clue only with a reason: Clue.Declined carries the masked reason, the clue is closed', async () => {
    // Another villager (another phone): the same caller again would be a repeat request, merged into the first case.
    const id = await ingest12345({ ...CHEMICAL_PLANT, content: `${CHEMICAL_PLANT.content}（再次反映）`, caller: { name: '李先生', phone: '13900005678' } });
    const c = (await rt.store.get(id))!;
    const other = c.referrals![0]!.caseId;
    const tok = await token('supervisor', dept);
    const bad = await api('POST', `/v1/cases/${other}/decline`, tok, {});
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].path).toBe('reason');
    const ok = await api('POST', `/v1/cases/${other}/decline`, tok, { reason: '已由行政机关立案查处，联系人13900001234' });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('closed');
    const declined = (await relayed()).find((e) => e.detail.caseId === other && e['detail-type'] === 'Clue.Declined')!;
    expect(declined.detail.reason).toContain('139****1234');
    expect(JSON.stringify(declined.detail)).not.toContain('13900001234');
    // Declining is a clue's action only; and a declined clue cannot be accepted any more.
    expect((await api('POST', `/v1/cases/${other}/accept`, tok, {})).status).toBe(409);
    const ticketDecline = await api('POST', `/v1/cases/${id}/decline`, await token('agent', '150304:ecology-environment'), { reason: 'x' });
    expect(ticketDecline.status).toBe(409);
  });

  it('makes no clue for a private dispute, and none for a 12309 ticket (the procuratorate owns those itself)', async () => {
    const id = await ingest12345({
      regionCode: '150302',
      content: '我在超市买的一箱牛奶过期了，要求商家退款。',
      caller: { name: '李女士', phone: '13800002222' },
    });
    const c = (await rt.store.get(id))!;
    expect(c.decision?.clue).toBe('none');
    expect(c.referrals).toBeUndefined();
  });
});

describe('12309 transfer (移送)', () => {
  it('a broken lift in a housing estate becomes a transfer to housing-construction that keeps 12309’s own deadlines', async () => {
    const t = ticket12309({
      matterType: 'report',
      regionCode: '150302',
      content: '我们小区3号楼的电梯坏了两个多月，物业一直拖着不修，楼里好几位八十多岁的老人下不了楼。',
      demand: '希望督促物业尽快修好电梯。',
      respondent: { kind: 'enterprise', name: '某物业公司' },
    });
    const r = await postTickets(rt.url, '12309', SECRETS.HOTLINE_SECRET_12309, t);
    const caseId = (r.body as { results: { caseId: string }[] }).results[0]!.caseId;
    await rt.drained();
    const c = (await rt.store.get(caseId))!;
    expect(c).toMatchObject({ kind: 'transfer', agencyId: '150302:housing-construction', referralAgencyId: null });
    expect(c.deadlines).toMatchObject({
      acceptBy: expect.any(String),
      replyBy: expect.any(String),
      proceduralReplyBy: expect.any(String),
      resultReplyBy: expect.any(String),
    });
    const types = (await relayed()).filter((e) => e.detail.caseId === caseId).map((e) => e['detail-type']);
    expect(types).toContain('Case.Transferred');
    const queue = await api('GET', '/v1/agencies/150302:housing-construction/cases?status=dispatched', await token('agent', '150302:housing-construction'));
    expect(queue.body.items.some((i: { caseId: string; kind: string }) => i.caseId === caseId && i.kind === 'transfer')).toBe(true);

    // The agency signs for it; its status flows back to 12309's callback (the petitioner is owed a reply there).
    expect((await api('POST', `/v1/cases/${caseId}/accept`, await token('agent', '150302:housing-construction'), {})).status).toBe(200);
    await expect
      .poll(
        () =>
          callbacks12309
            .filter((c) => c.caseId === caseId)
            .map((c) => c.status)
            .sort(),
        { timeout: 5000 },
      )
      .toEqual(['accepted', 'dispatched', 'transferred']);
    expect(callbacks12309.find((c) => c.caseId === caseId)?.sourceTicketId).toBe(t['caseNo']);
  });
});

describe('procuratorial recommendation (检察建议)', () => {
  let clueId: string;
  let dept: string;
  let recId: string;
  const agency = '150304:ecology-environment';

  beforeAll(async () => {
    const id = await ingest12345({ ...CHEMICAL_PLANT, content: `${CHEMICAL_PLANT.content}（第三次）`, caller: { name: '赵女士', phone: '13900009012' } });
    const c = (await rt.store.get(id))!;
    clueId = c.referrals![0]!.caseId;
    dept = c.referralAgencyId!;
  });

  it('a department issues one about its clue: 201, in the agency’s queue, reply due in 2 months (15 days if urgent)', async () => {
    const tok = await token('supervisor', dept);
    const r = await api('POST', '/v1/recommendations', tok, {
      agencyId: agency,
      subjectCaseId: clueId,
      content: '建议依法查处化工厂偷排行为并开展流域排查',
      requestId: 'JCJY-2026-001',
    });
    expect(r.status).toBe(201);
    recId = r.body.caseId;
    expect(r.body).toMatchObject({ kind: 'recommendation', agencyId: agency, issuedBy: dept, parentCaseId: clueId, status: 'dispatched' });
    const issued = new Date(r.body.dispatchedAt).getTime();
    const replyBy = new Date(r.body.deadlines.replyBy).getTime();
    expect((replyBy - issued) / 86_400_000).toBeGreaterThan(58);
    expect((replyBy - issued) / 86_400_000).toBeLessThan(63);
    expect((await relayed()).filter((e) => e.detail.caseId === recId).map((e) => e['detail-type'])).toEqual(['Case.Dispatched', 'Recommendation.Issued']);

    const again = await api('POST', '/v1/recommendations', tok, {
      agencyId: agency,
      subjectCaseId: clueId,
      content: '建议依法查处化工厂偷排行为并开展流域排查',
      requestId: 'JCJY-2026-001',
    });
    expect(again.status).toBe(200);
    expect(again.body.caseId).toBe(recId);
    // The person who issued it is on the record and in the audit trail, once (the retry wrote nothing).
    const stored = (await rt.store.get(recId))!;
    expect(stored.history[0]).toMatchObject({ by: `system:linkage@${dept}`, actorSub: 'dev:supervisor' });
    const day = shanghaiDateOf(stored.history[0]!.at);
    const audit = (await rt.store.auditOfDay(stored.regionCode, day, { limit: 1000 })).items.filter((x) => x.caseId === recId);
    expect(audit).toEqual([expect.objectContaining({ action: 'recommend', version: 1, role: 'supervisor', agencyId: dept, sub: 'dev:supervisor' })]);

    const urgent = await api('POST', '/v1/recommendations', tok, { agencyId: agency, subjectCaseId: clueId, content: '紧急：立即封堵排污口', urgent: true });
    expect(urgent.status).toBe(201);
    const days = (new Date(urgent.body.deadlines.replyBy).getTime() - new Date(urgent.body.dispatchedAt).getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(14);
    expect(days).toBeLessThan(16);
  });

  it('refuses issuers that are not procuratorate departments, unknown targets and subjects, and bad bodies', async () => {
    const gov = await api('POST', '/v1/recommendations', await token('supervisor', agency), {
      agencyId: '150304:water-resources',
      subjectCaseId: clueId,
      content: 'x',
    });
    expect(gov.status).toBe(403);
    const tok = await token('agent', dept);
    expect((await api('POST', '/v1/recommendations', tok, { agencyId: '150304:no-such-agency', subjectCaseId: clueId, content: 'x' })).status).toBe(400);
    expect((await api('POST', '/v1/recommendations', tok, { agencyId: agency, subjectCaseId: 'clue-NOPE', content: 'x' })).body.details[0].path).toBe(
      'subjectCaseId',
    );
    const missing = await api('POST', '/v1/recommendations', tok, { agencyId: agency, content: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.details[0].path).toBe('subjectCaseId');
    expect((await api('POST', '/v1/recommendations', tok, { agencyId: agency, subjectCaseId: clueId, content: 'x', extra: 1 })).status).toBe(400);
  });

  it('the agency replies: Recommendation.Replied with the follow-up (回头看) date; the department follows it read-only', async () => {
    const r = await api('POST', `/v1/cases/${recId}/reply`, await token('agent', agency), { result: '已责令停产整改并立案处罚' });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('replied');
    expect(r.body.followUpAt).toBeTruthy();
    const replied = (await relayed()).find((e) => e.detail.caseId === recId && e['detail-type'] === 'Recommendation.Replied')!;
    expect(replied.detail).toMatchObject({ agencyId: agency, issuedBy: dept, followUpAt: r.body.followUpAt });
    const seen = await api('GET', `/v1/cases/${recId}`, await token('agent', dept));
    expect(seen.status).toBe(200);
    expect(seen.body.allowedActions).toEqual([]);
    expect((await api('POST', `/v1/cases/${recId}/accept`, await token('agent', dept), {})).status).toBe(403);
  });
});

describe('similar cases (类案)', () => {
  const WAGES = [
    '我们是在海勃湾区干活的农民工，乌海市鑫达建筑工程有限公司拖欠我们十几个人三个月工资，老板一直躲着不见。',
    '来电人反映：鑫达建筑公司承包的小区工地，去年的工钱到现在还没结，工友们过年回不了家，要求帮忙讨薪。',
    '鑫达公司欠我们装修班组的工资两万多，包工头说公司没给钱，我们找谁？',
  ];
  const day = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString().replace('Z', '+00:00');
  let caseIds: string[];

  it('three wage-arrears tickets naming one employer, sent together, raise one cluster and a support_prosecution clue', async () => {
    // One batch: the process queue handles them concurrently, so the group item is raced (its version decides).
    const tickets = WAGES.map((content, i) =>
      ticket12345({ regionCode: '150302', receivedAt: day(10 - i * 3), content, caller: { name: '张师傅', phone: `1390000100${i}` } }),
    );
    const r = await postTickets(rt.url, '12345', SECRETS.HOTLINE_SECRET_12345, { tickets });
    expect(r.status).toBe(202);
    caseIds = (r.body as { results: { caseId: string }[] }).results.map((x) => x.caseId);
    await rt.drained();

    const list = await api('GET', '/v1/clusters?region=150302', await token('operator', CITY_OPERATOR));
    expect(list.status).toBe(200);
    const wage = list.body.items.filter((c: { ruleId: string }) => c.ruleId === 'wage-arrears');
    expect(wage).toHaveLength(1);
    expect(wage[0]).toMatchObject({ status: 'open', domain: 'labor_wages', keyKind: 'enterprise', groupKey: '鑫达', clue: 'support_prosecution' });
    expect([...wage[0].caseIds].sort()).toEqual([...caseIds].sort());
    expect(wage[0].agencyId).toMatch(/:procuratorate\.civil$/);

    const detected = (await relayed()).filter((e) => e['detail-type'] === 'Cluster.Detected' && e.detail.clusterId === wage[0].clusterId);
    expect(detected).toHaveLength(1);
    expect([...(detected[0]!.detail.caseIds as string[])].sort()).toEqual([...caseIds].sort());
    expect(JSON.stringify(detected[0]!.detail)).not.toMatch(/张师傅|1390000100/);

    // The cluster's clue is in the civil department's queue, linked to the case that completed the cluster.
    const dept = wage[0].agencyId as string;
    const clue = await api('GET', `/v1/cases/${wage[0].clueCaseId}`, await token('agent', dept));
    expect(clue.status).toBe(200);
    expect(clue.body).toMatchObject({ kind: 'clue', clusterId: wage[0].clusterId, clue: 'support_prosecution', status: 'dispatched', domain: 'labor_wages' });
    expect(caseIds).toContain(clue.body.parentCaseId);
    const referred = (await relayed()).find((e) => e['detail-type'] === 'Clue.Referred' && e.detail.caseId === wage[0].clueCaseId);
    expect(referred?.detail).toMatchObject({ clusterId: wage[0].clusterId, clue: 'support_prosecution' });
  });

  it('a fourth ticket within the window joins the cluster instead of raising another', async () => {
    const r = await postTickets(
      rt.url,
      '12345',
      SECRETS.HOTLINE_SECRET_12345,
      ticket12345({ regionCode: '150302', receivedAt: day(0), content: '鑫达建筑拖欠农民工工资，我也是其中一个，工钱一分没拿到。' }),
    );
    const fourth = (r.body as { results: { caseId: string }[] }).results[0]!.caseId;
    await rt.drained();
    const list = await api('GET', '/v1/clusters?region=150302&status=open', await token('agent', '150300:procuratorate.civil'));
    expect(list.status).toBe(200);
    const wage = list.body.items.filter((c: { ruleId: string }) => c.ruleId === 'wage-arrears');
    expect(wage).toHaveLength(1);
    expect(wage[0].caseIds).toHaveLength(4);
    expect(wage[0].caseIds).toContain(fourth);
    expect((await relayed()).filter((e) => e['detail-type'] === 'Cluster.Detected' && e.detail.clusterId === wage[0].clusterId)).toHaveLength(1);
  });

  it('does not cluster tickets about different employers; refuses government agencies and bad filters', async () => {
    const r = await postTickets(rt.url, '12345', SECRETS.HOTLINE_SECRET_12345, {
      tickets: [
        ticket12345({ regionCode: '150303', content: '宏远劳务派遣公司拖欠我工资两个月了。' }),
        ticket12345({ regionCode: '150303', content: '金辉物流公司三个月没发工资了，要求帮忙讨薪。' }),
        ticket12345({ regionCode: '150303', content: '顺达快递站拖欠快递员工资。' }),
      ],
    });
    expect(r.status).toBe(202);
    await rt.drained();
    expect((await api('GET', '/v1/clusters?region=150303', await token('operator', CITY_OPERATOR))).body.items).toEqual([]);
    expect((await api('GET', '/v1/clusters?region=150302', await token('agent', '150302:hr-social-security'))).status).toBe(403);
    const bad = await api('GET', '/v1/clusters?region=15&status=pending', await token('operator', CITY_OPERATOR));
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['region', 'status']);
  });
});

describe('joint monthly report (联合月报)', () => {
  const month = monthOf(new Date().toISOString());

  it('returns JSON for operators and procuratorate departments, and counts the clues referred and accepted', async () => {
    const r = await api('GET', `/v1/reports/monthly?month=${month}&region=150304`, await token('operator', CITY_OPERATOR));
    expect(r.status).toBe(200);
    expect(r.body.month).toBe(month);
    const eco = r.body.rows.find(
      (x: { agencyId: string; domain: string }) => x.agencyId === '150304:ecology-environment' && x.domain === 'ecology_environment',
    );
    expect(eco.counts.received).toBe(3);
    expect(eco.counts.recommendationsIssued).toBe(2);
    expect(eco.counts.recommendationsAnswered).toBe(1);
    expect(eco.counts.recommendationsAnsweredOnTime).toBe(1);
    const pil = r.body.rows.find((x: { agencyId: string }) => /procuratorate\.pil$/.test(x.agencyId));
    expect(pil.counts).toMatchObject({ cluesReferred: 3, cluesAccepted: 1, cluesDeclined: 1 });
    expect(r.body.totals.cluesReferred).toBeGreaterThanOrEqual(3);
  });

  it('returns CSV with a UTF-8 BOM and Chinese headings when asked', async () => {
    const r = await fetch(`${rt.url}/v1/reports/monthly?month=${month}&region=150304&format=csv`, {
      headers: { authorization: `Bearer ${await token('operator', CITY_OPERATOR)}` },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const [header, ...lines] = text.trim().split('\r\n');
    expect(header).toContain('受理 received');
    expect(header).toContain('移送线索 cluesReferred');
    expect(lines.some((l) => l.startsWith(`${month},150304:ecology-environment,`))).toBe(true);
  });

  it('refuses government agencies (403) and bad queries (400)', async () => {
    expect((await api('GET', `/v1/reports/monthly?month=${month}`, await token('supervisor', '150304:ecology-environment'))).status).toBe(403);
    const bad = await api('GET', '/v1/reports/monthly?month=2026-13', await token('operator', CITY_OPERATOR));
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].path).toBe('month');
  });

  it('keeps counters equal to a recomputation from every case record in the table', async () => {
    const doc = DynamoDBDocumentClient.from(rt.dynamo);
    const cases: CaseRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await doc.send(new ScanCommand({ TableName: rt.tables.caseTable, ExclusiveStartKey: start }));
      for (const i of r.Items ?? []) if (String(i['pk']).startsWith('CASE#')) cases.push(i as unknown as CaseRecord);
      start = r.LastEvaluatedKey;
    } while (start);
    expect(cases.length).toBeGreaterThan(8);
    const recomputed = sumRows(cases.map(tally));
    const regions = [...new Set(recomputed.map((r) => r.key.regionCode))];
    const months = [...new Set(recomputed.map((r) => r.key.month))];
    const stored = (await Promise.all(months.flatMap((m) => regions.map((g) => rt.store.reportRows(m, g))))).flat();
    const byId = (rows: typeof stored) => Object.fromEntries(sumRows([rows]).map((r) => [rowId(r.key), r.counts]));
    expect(byId(stored)).toEqual(byId(recomputed));
  });
});
