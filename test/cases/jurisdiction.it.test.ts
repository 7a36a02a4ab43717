/**
 * Jurisdiction (管辖范围) of the agency API against DynamoDB Local: departments and operators act only within the
 * regions their agency covers (config/agencies.json; docs/jurisdiction.md). The story of issue 10: a procuratorate
 * department of another city (金昌) reads 乌海's clusters and monthly report, and issues a recommendation to one of
 * 乌海's agencies through a cluster id. Every route is tried by that department and by 金昌's operator; 乌海's own
 * department and operator are the controls that show the data is there.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { localContext } from '../../functions/adapters/local/in-process-queue.js';
import { DynamoCaseStore } from '../../functions/adapters/aws/dynamo-case-store.js';
import { countersOf } from '../../functions/app/save-change.js';
import { clusterRules } from '../../functions/config/cluster-rules.js';
import { deployedRules } from '../../functions/config/deployed.js';
import { directory } from '../../functions/config/directory.js';
import type { CaseRecord } from '../../functions/domain/case/case.js';
import type { ClusterRecord } from '../../functions/domain/linkage/cluster-record.js';
import { clusterClue, clusterClueCaseIdFor } from '../../functions/domain/linkage/referral.js';
import { monthOf } from '../../functions/domain/report/tally.js';
import { freshTables } from '../support/dynamo.js';
import { uniqueId } from '../support/fixtures.js';
import { apiEvent, BODIES, caseIn, casesApi, CENTER, NOW, seed, startRelay, token } from './support.js';

const WAGE = clusterRules.find((r) => r.id === 'wage-arrears')!;
/** 乌海市's civil department, which the wage-arrears rule sends 海南区's clusters to. */
const WUHAI_DEPT = directory.resolve('150303', WAGE.agencyKind)!.agency.id;
/** The same department of another city (金昌市). */
const JINCHANG_DEPT = directory.resolve('620300', WAGE.agencyKind)!.agency.id;
/** Another department of 乌海 (公益诉讼): in jurisdiction, but the wage cluster's clue is not its case. */
const WUHAI_PIL = '150300:procuratorate.pil';
const JINCHANG_OPERATOR = '620300:dispatch-center';
/** The 海勃湾区 market regulator: covers its own district, not its sibling 海南区. */
const DISTRICT_AGENCY = '150302:market-regulation';
/** 乌海's agency the recommendations are addressed to. */
const WUHAI_TARGET = '150303:hr-social-security';
const MONTH = monthOf(NOW.toISOString());

let store: DynamoCaseStore;
/** A 乌海 wage-arrears ticket in 海南区 (150303), its cluster and the cluster's clue (owned by WUHAI_DEPT). */
let gov: CaseRecord;
let cluster: ClusterRecord;
let clue: CaseRecord;
/** The same in 金昌 (620300), clue owned by JINCHANG_DEPT. */
let theirCluster: ClusterRecord;

/** Stores a dispatched wage ticket of `regionCode`, a cluster of it and the cluster's clue, as the process function would. */
async function wageCluster(regionCode: string, agencyId: string): Promise<{ gov: CaseRecord; cluster: ClusterRecord; clue: CaseRecord }> {
  const g = caseIn('dispatched', { ticket: { regionCode }, decision: { domain: 'labor_wages', agencyId: agencyId as never, clue: 'none' } });
  await seed(store, g);
  const clusterId = uniqueId('cl');
  const c: ClusterRecord = {
    clusterId,
    ruleId: WAGE.id,
    groupId: `${WAGE.id}:${regionCode}:enterprise:${clusterId}`,
    regionCode,
    domain: 'labor_wages',
    keyKind: 'enterprise',
    groupKey: '恒昌',
    caseIds: [g.caseId],
    detectedCount: 1,
    detectedAt: NOW.toISOString(),
    windowEndsAt: new Date(NOW.getTime() + 30 * 86_400_000).toISOString(),
    clue: WAGE.clue,
    clueCaseId: clusterClueCaseIdFor(clusterId),
    agencyId: directory.resolve(regionCode, WAGE.agencyKind)!.agency.id,
    version: 1,
  };
  const k = clusterClue(c, g, NOW.toISOString(), deployedRules.deadlinesFor);
  await store.commit({ clusters: [{ cluster: c, expectedVersion: null }], creates: [k], counters: countersOf(undefined, undefined, [k]) });
  return { gov: g, cluster: c, clue: k };
}

/** The outbox relay over the test table: a refused request saves nothing, so the relay publishes nothing for it. */
let relay: ReturnType<typeof startRelay>;
/** Waits until everything saved so far is relayed, then counts the events published. */
const published = async () => {
  await relay.feed.caughtUp();
  return relay.bus.archive.length;
};

beforeAll(async () => {
  const { client, tables } = await freshTables();
  store = new DynamoCaseStore(client, tables.caseTable);
  relay = startRelay(client, tables.caseTable, store);
  ({ gov, cluster, clue } = await wageCluster('150303', WUHAI_TARGET));
  ({ cluster: theirCluster } = await wageCluster('620300', '620300:hr-social-security'));
  expect(WUHAI_DEPT).toBe('150300:procuratorate.civil');
  expect(JINCHANG_DEPT).toBe('620300:procuratorate.civil');
});

const ids = (items: { clusterId: string }[]) => items.map((i) => i.clusterId);

describe('a department of another city', () => {
  it('cannot list this city’s clusters: a region outside its jurisdiction is 403, and the unfiltered list leaves them out', async () => {
    const api = casesApi(store);
    const them = await token('supervisor', JINCHANG_DEPT);
    const named = await api.req(apiGet('/v1/clusters', them, { region: '150303' }));
    expect(named).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    const all = await api.req(apiGet('/v1/clusters', them, { limit: '100' }));
    expect(all.status).toBe(200);
    expect(ids(all.body.items)).toContain(theirCluster.clusterId);
    expect(ids(all.body.items)).not.toContain(cluster.clusterId);
    expect(all.body.items.every((c: ClusterRecord) => c.regionCode === '620300')).toBe(true);
    // The control: 乌海's own department sees it, in the region and unfiltered.
    const ours = await token('supervisor', WUHAI_DEPT);
    expect(ids((await api.req(apiGet('/v1/clusters', ours, { region: '150303' }))).body.items)).toEqual([cluster.clusterId]);
    const ourAll = ids((await api.req(apiGet('/v1/clusters', ours, { limit: '100' }))).body.items);
    expect(ourAll).toContain(cluster.clusterId);
    expect(ourAll).not.toContain(theirCluster.clusterId);
  });

  it('cannot read this city’s monthly report: a region outside is 403, JSON and CSV, and the whole report is its own city’s', async () => {
    const api = casesApi(store);
    const them = await token('agent', JINCHANG_DEPT);
    for (const format of ['json', 'csv']) {
      const named = await api.req(apiGet('/v1/reports/monthly', them, { month: MONTH, region: '150303', format }));
      expect(named).toMatchObject({ status: 403, body: { error: 'forbidden' } });
      const district = await api.req(apiGet('/v1/reports/monthly', them, { month: MONTH, region: '150399', format })); // unlisted: counts as 乌海市
      expect(district).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    }
    const all = await api.req(apiGet('/v1/reports/monthly', them, { month: MONTH }));
    expect(all.status).toBe(200);
    expect(JSON.stringify(all.body)).not.toContain('1503');
    expect(all.body.totals.cluesReferred).toBe(1); // its own city's cluster clue
    const csv = (await api.handler(
      apiGet('/v1/reports/monthly', them, { month: MONTH, format: 'csv' }),
      localContext('test'),
    )) as APIGatewayProxyStructuredResultV2;
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('620300');
    expect(csv.body).not.toContain('1503');
    // The control: 乌海's department reads the row of its clue.
    const ours = await api.req(apiGet('/v1/reports/monthly', await token('agent', WUHAI_DEPT), { month: MONTH, region: '150303' }));
    expect(ours.status).toBe(200);
    expect(ours.body.totals.cluesReferred).toBe(1);
  });

  it('cannot issue a recommendation through this city’s cluster: answered exactly as a missing cluster, nothing made', async () => {
    const api = casesApi(store);
    const before = await published();
    const them = await token('supervisor', JINCHANG_DEPT);
    const body = { agencyId: '620300:hr-social-security', clusterId: cluster.clusterId, content: '督促依法支付拖欠的农民工工资', requestId: uniqueId('req') };
    const r = await api.req(apiPost('/v1/recommendations', them, body));
    const missing = await api.req(apiPost('/v1/recommendations', them, { ...body, clusterId: 'cl-NOSUCHCLUSTER0000000' }));
    expect(r.status).toBe(400);
    expect(r.body).toEqual(missing.body);
    expect(r.body.details).toEqual([{ index: null, path: 'clusterId', message: 'no such cluster' }]);
    expect(await published()).toBe(before);
  });

  it('cannot address a recommendation to an agency of this city, even about its own cluster', async () => {
    const api = casesApi(store);
    const before = await published();
    const them = await token('supervisor', JINCHANG_DEPT);
    const body = { agencyId: WUHAI_TARGET, clusterId: theirCluster.clusterId, content: '督促依法支付拖欠的农民工工资', requestId: uniqueId('req') };
    const r = await api.req(apiPost('/v1/recommendations', them, body));
    expect(r.status).toBe(400);
    expect(r.body.details[0]).toMatchObject({ path: 'agencyId', message: expect.stringContaining('outside the jurisdiction') });
    expect(await published()).toBe(before);
    // Its own city's agency, about its own cluster: issued.
    const ok = await api.req(apiPost('/v1/recommendations', them, { ...body, agencyId: '620300:hr-social-security' }));
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ kind: 'recommendation', agencyId: '620300:hr-social-security', issuedBy: JINCHANG_DEPT, regionCode: '620300' });
  });

  it('cannot read or act on this city’s cases, the cluster’s clue included', async () => {
    const api = casesApi(store);
    for (const role of ['agent', 'supervisor'] as const) {
      const them = await token(role, JINCHANG_DEPT);
      for (const id of [clue.caseId, gov.caseId]) {
        expect(await api.get(id, them)).toEqual(await api.get('clue-NOSUCHCASE000000000000', them));
        expect((await api.act(id, 'accept', them, BODIES.accept)).status).toBe(404);
      }
      expect((await api.list(WUHAI_DEPT, them)).status).toBe(403);
    }
    expect(await store.get(clue.caseId)).toEqual(clue);
  });
});

describe('operators', () => {
  it('of another city: no cluster, report, queue or case of this city', async () => {
    const api = casesApi(store);
    const op = await token('operator', JINCHANG_OPERATOR);
    expect((await api.req(apiGet('/v1/clusters', op, { region: '150303' }))).status).toBe(403);
    expect(ids((await api.req(apiGet('/v1/clusters', op, { limit: '100' }))).body.items)).toEqual([theirCluster.clusterId]);
    expect((await api.req(apiGet('/v1/reports/monthly', op, { month: MONTH, region: '150303' }))).status).toBe(403);
    expect(JSON.stringify((await api.req(apiGet('/v1/reports/monthly', op, { month: MONTH }))).body)).not.toContain('1503');
    expect(await api.list(WUHAI_TARGET, op)).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    expect(await api.list(WUHAI_DEPT, op)).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    expect(await api.get(gov.caseId, op)).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await api.get(clue.caseId, op)).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect((await api.act(gov.caseId, 'accept', op)).status).toBe(404);
    // Its own city's queue it reads.
    expect((await api.list('620300:hr-social-security', op)).status).toBe(200);
  });

  it('of this city: everything in the city and its districts (the control)', async () => {
    const api = casesApi(store);
    const op = await token('operator', CENTER);
    expect(ids((await api.req(apiGet('/v1/clusters', op, { region: '150303' }))).body.items)).toEqual([cluster.clusterId]);
    expect((await api.req(apiGet('/v1/reports/monthly', op, { month: MONTH }))).body.totals.cluesReferred).toBe(1);
    expect((await api.list(WUHAI_TARGET, op)).body.items.map((i: { caseId: string }) => i.caseId)).toContain(gov.caseId);
    expect((await api.get(gov.caseId, op)).status).toBe(200);
    expect((await api.get(clue.caseId, op)).status).toBe(200);
    expect((await api.act(gov.caseId, 'accept', op)).status).toBe(403); // operators read, never act
  });

  it('of a district agency: its own district, not its sibling district', async () => {
    const api = casesApi(store);
    const op = await token('operator', DISTRICT_AGENCY);
    expect((await api.req(apiGet('/v1/reports/monthly', op, { month: MONTH, region: '150302' }))).status).toBe(200);
    expect((await api.req(apiGet('/v1/reports/monthly', op, { month: MONTH, region: '150303' }))).status).toBe(403);
    expect((await api.req(apiGet('/v1/reports/monthly', op, { month: MONTH, region: '150300' }))).status).toBe(403);
    expect((await api.get(gov.caseId, op)).status).toBe(404);
    expect((await api.list(WUHAI_TARGET, op)).status).toBe(403);
    expect((await api.list('150302:ecology-environment', op)).status).toBe(200);
  });
});

describe('a cluster’s clue goes through the same ownership check as any case', () => {
  it('another department of this city may not recommend through a cluster whose clue is not its own', async () => {
    const api = casesApi(store);
    const before = await published();
    const pil = await token('supervisor', WUHAI_PIL);
    const body = { agencyId: WUHAI_TARGET, clusterId: cluster.clusterId, content: '督促依法支付拖欠的农民工工资', requestId: uniqueId('req') };
    const r = await api.req(apiPost('/v1/recommendations', pil, body));
    expect(r.status).toBe(400);
    expect(r.body.details[0].path).toBe('clusterId');
    // The same department naming the clue as its subject is refused the same way as for any other case.
    const bySubject = await api.req(apiPost('/v1/recommendations', pil, { agencyId: WUHAI_TARGET, subjectCaseId: clue.caseId, content: 'x' }));
    expect(bySubject.body.details).toEqual([{ index: null, path: 'subjectCaseId', message: 'no such case' }]);
    expect(await published()).toBe(before);
  });

  it('the clue’s own department issues it through the cluster id (the control)', async () => {
    const api = casesApi(store);
    const body = { agencyId: WUHAI_TARGET, clusterId: cluster.clusterId, content: '督促依法支付拖欠的农民工工资', requestId: uniqueId('req') };
    const r = await api.req(apiPost('/v1/recommendations', await token('supervisor', WUHAI_DEPT), body));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      kind: 'recommendation',
      agencyId: WUHAI_TARGET,
      issuedBy: WUHAI_DEPT,
      clusterId: cluster.clusterId,
      parentCaseId: clue.caseId,
    });
    // The issuer follows its recommendation; the other city's department does not see it.
    expect((await api.get(r.body.caseId, await token('agent', WUHAI_DEPT))).status).toBe(200);
    expect((await api.get(r.body.caseId, await token('agent', JINCHANG_DEPT))).status).toBe(404);
  });
});

describe('dispatchers', () => {
  it('route only to agencies within their jurisdiction', async () => {
    const api = casesApi(store);
    const c = caseIn('needs_review');
    await seed(store, c);
    const dispatcher = await token('dispatcher', CENTER);
    const away = await api.act(c.caseId, 'route', dispatcher, { agencyId: '620300:market-regulation', note: '人工分拨' });
    expect(away.status).toBe(400);
    expect(away.body.details[0]).toMatchObject({ path: 'agencyId', message: expect.stringContaining('outside the jurisdiction') });
    expect(await store.get(c.caseId)).toEqual(c);
    expect((await api.act(c.caseId, 'route', dispatcher, BODIES.route)).status).toBe(200);
  });
});

const apiGet = (path: string, tok: string, query: Record<string, string>) => apiEvent('GET', path, { token: tok, query });
const apiPost = (path: string, tok: string, body: unknown) => apiEvent('POST', path, { token: tok, body });
