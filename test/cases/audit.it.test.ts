/**
 * The audit trail against DynamoDB Local (PIPL, docs/privacy.md): every agency action names the person (`sub`) in the
 * case history and in an audit record written with it; every contact decryption is recorded before the contact is
 * shown; an operator exports a region's days as CSV (or JSON), within its jurisdiction only.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoCaseStore } from '../../functions/adapters/aws/dynamo-case-store.js';
import { OPEN_CONTACT } from '../../functions/app/audit.js';
import { deployedRules } from '../../functions/config/deployed.js';
import { makeCasesHandler } from '../../functions/cases/cases.js';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { localContext } from '../../functions/adapters/local/in-process-queue.js';
import { DevJwtVerifier, signDevToken } from '../../functions/auth/dev-jwt.js';
import { shanghaiDateOf } from '../../functions/domain/deadlines/time.js';
import { ServiceUnavailableError } from '../../functions/ports/errors.js';
import { observability } from '../../functions/shared/observability.js';
import { call } from '../support/api.js';
import { testContacts } from '../support/fixtures.js';
import { freshTables } from '../support/dynamo.js';
import { apiEvent, caseIn, casesApi, CITY_OPERATOR_AGENCY, NOW, OWNER, seed, TEST_SECRET } from './support.js';

let store: DynamoCaseStore;
const DAY = shanghaiDateOf(NOW.toISOString());

beforeAll(async () => {
  const { client, tables } = await freshTables();
  store = new DynamoCaseStore(client, tables.caseTable);
});

/** A development token naming the person (`sub`). */
const tokenOf = (role: 'agent' | 'supervisor' | 'operator', agencyId: string | undefined, subject: string) =>
  signDevToken({ role, agencyId: agencyId ?? CITY_OPERATOR_AGENCY, secret: TEST_SECRET, subject });

/** The export's answer as sent: status, headers, the raw body (CSV is not JSON), and the body parsed when it is JSON. */
async function exportAudit(api: ReturnType<typeof casesApi>, tok: string, query: Record<string, string>) {
  const r = (await api.handler(apiEvent('GET', '/v1/audit', { token: tok, query }), localContext('test'))) as APIGatewayProxyStructuredResultV2;
  const text = r.body ?? '';
  const headers = (r.headers ?? {}) as Record<string, string>;
  return { status: r.statusCode ?? 200, headers, text, body: headers['content-type']?.startsWith('application/json') ? JSON.parse(text) : undefined };
}

describe('the audit trail names the person', () => {
  it('an action records the sub in the history entry and in an audit record written with it; the view does not show it', async () => {
    const api = casesApi(store);
    const c = caseIn('dispatched');
    await seed(store, c);
    const r = await api.act(c.caseId, 'accept', await tokenOf('agent', OWNER, 'user-li-01'), {});
    expect(r.status).toBe(200);
    const stored = (await store.get(c.caseId))!;
    expect(stored.history.at(-1)).toMatchObject({ by: `agent@${OWNER}`, actorSub: 'user-li-01', to: 'accepted' });
    // The agency API's view names role and agency, never the person.
    expect(JSON.stringify(r.body)).not.toContain('user-li-01');
    const day = (await store.auditOfDay(c.regionCode, DAY, { limit: 1000 })).items.filter((x) => x.caseId === c.caseId);
    expect(day).toContainEqual(
      expect.objectContaining({ action: 'accept', version: c.version + 1, role: 'agent', agencyId: OWNER, sub: 'user-li-01', at: NOW.toISOString() }),
    );
    // Kept for the policy's auditRecordDays, then DynamoDB's TTL deletes it.
    const rec = day.find((x) => x.action === 'accept')!;
    expect(rec.expiresAt).toBe(Math.floor(NOW.getTime() / 1000) + deployedRules.retention!.auditRecordDays * 86_400);
  });

  it("a contact decryption is recorded (who, which case), with nothing of the contact; an operator's masked read is not a decryption", async () => {
    const api = casesApi(store);
    const c = caseIn('accepted');
    await seed(store, c);
    const own = await api.get(c.caseId, await tokenOf('agent', OWNER, 'user-wang-02'));
    expect(own.status).toBe(200);
    expect(own.body.contact).toEqual({ name: '张三', phone: '13800001111' });
    const op = await api.get(c.caseId, await tokenOf('operator', undefined, 'op-zhao-03'));
    expect(op.status).toBe(200);
    expect(op.body.contact).not.toEqual({ name: '张三', phone: '13800001111' });
    const records = (await store.auditOfDay(c.regionCode, DAY, { limit: 1000 })).items.filter((x) => x.caseId === c.caseId);
    expect(records).toEqual([expect.objectContaining({ action: OPEN_CONTACT, role: 'agent', agencyId: OWNER, sub: 'user-wang-02' })]);
    expect(records[0]!.version).toBeUndefined();
    expect(JSON.stringify(records)).not.toMatch(/张三|13800001111|1111/);
  });

  it('no decryption without its record: when the record cannot be written the read fails 503 and the contact is never opened', async () => {
    const c = caseIn('accepted');
    await seed(store, c);
    const failing = Object.assign(Object.create(store) as DynamoCaseStore, {
      record: async () => {
        throw new ServiceUnavailableError('audit down');
      },
    });
    const open = vi.spyOn(testContacts, 'open');
    const handler = makeCasesHandler({
      ...observability('test-cases'),
      store: failing,
      contacts: testContacts,
      auth: new DevJwtVerifier({ secret: TEST_SECRET }),
      rules: deployedRules,
      now: () => NOW,
    });
    const r = await call(handler, apiEvent('GET', `/v1/cases/${c.caseId}`, { token: await tokenOf('agent', OWNER, 'user-wang-02') }));
    open.mockRestore();
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ retryable: true });
    expect(open).not.toHaveBeenCalled();
  });
});

describe('GET /v1/audit: the operator exports the audit trail', () => {
  it('as CSV: every action and decryption of the region and days asked, with the sub', async () => {
    const api = casesApi(store);
    const c = caseIn('dispatched');
    await seed(store, c);
    await api.act(c.caseId, 'accept', await tokenOf('agent', OWNER, 'user-csv-04'), {});
    const r = await exportAudit(api, await tokenOf('operator', undefined, 'op-csv'), { from: DAY, to: DAY, region: c.regionCode });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toContain(`audit-${DAY}-${DAY}-${c.regionCode}.csv`);
    const lines = r.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('时间 at,日期 day,区划 regionCode,案件 caseId,操作 action,版本 version,角色 role,单位 agencyId,人员 sub');
    // The accept, and the owner's view after it (a decryption).
    const ofCase = lines.filter((l) => l.includes(c.caseId));
    expect(ofCase).toContain(`${NOW.toISOString()},${DAY},${c.regionCode},${c.caseId},accept,${c.version + 1},agent,${OWNER},user-csv-04`);
    expect(ofCase).toContain(`${NOW.toISOString()},${DAY},${c.regionCode},${c.caseId},${OPEN_CONTACT},,agent,${OWNER},user-csv-04`);
  });

  it('as JSON, and over every region the operator covers when none is named; other days are not in it', async () => {
    const api = casesApi(store);
    const c = caseIn('dispatched');
    await seed(store, c);
    await api.act(c.caseId, 'accept', await tokenOf('agent', OWNER, 'user-json-05'), {});
    const tok = await tokenOf('operator', undefined, 'op-json');
    const all = await exportAudit(api, tok, { from: DAY, to: DAY, format: 'json' });
    expect(all.status).toBe(200);
    expect(all.body.items).toContainEqual(expect.objectContaining({ caseId: c.caseId, action: 'accept', sub: 'user-json-05' }));
    const before = await exportAudit(api, tok, { from: '2026-09-01', to: '2026-09-30', format: 'json' });
    expect(before.body.items.filter((x: { caseId: string }) => x.caseId === c.caseId)).toEqual([]);
  });

  it('is for operators only, within their jurisdiction; a bad range is a 400 that reads nothing', async () => {
    const api = casesApi(store);
    const q = { from: DAY, to: DAY, region: '150302' };
    expect((await exportAudit(api, await tokenOf('supervisor', OWNER, 'sup'), q)).status).toBe(403);
    // A district's operator reads its own district, not another one.
    const district = await tokenOf('operator', '150302:market-regulation', 'op-district');
    expect((await exportAudit(api, district, q)).status).toBe(200);
    expect((await exportAudit(api, district, { ...q, region: '150303' })).status).toBe(403);
    const op = await tokenOf('operator', undefined, 'op');
    const bad = await exportAudit(api, op, { from: DAY, to: '2026-01-01' });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toContainEqual(expect.objectContaining({ path: 'to' }));
    expect((await exportAudit(api, op, { from: '2026-01-01', to: '2026-03-01' })).status).toBe(400);
    expect((await exportAudit(api, op, { from: '2026-02-30', to: '2026-03-01' })).status).toBe(400);
    expect((await exportAudit(api, op, { from: DAY })).status).toBe(400);
  });
});
