/**
 * The retention job against DynamoDB Local (PIPL, docs/privacy.md): it finds closed cases through the sparse
 * `retentionDue` index, erases a closed case's contact after `contactErasedAfterDays` and keeps an open one's,
 * anonymises the text after `textAnonymisedAfterDays` without moving the report, records each erasure in the history
 * and the audit trail, and the relay publishes nothing for it. Also the local command, `npm run retention`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '../../functions/adapters/aws/dynamo-case-store.js';
import { runRetention } from '../../functions/app/retention.js';
import { retentionPolicy } from '../../functions/config/retention-policy.js';
import type { CaseRecord } from '../../functions/domain/case/case.js';
import { ANONYMISED, RETENTION_ACTOR, type RetentionPolicy } from '../../functions/domain/privacy/retention.js';
import { tally } from '../../functions/domain/report/tally.js';
import { shanghaiDateOf } from '../../functions/domain/deadlines/time.js';
import { freshTables } from '../support/dynamo.js';
import { caseIn, seed, startRelay } from '../cases/support.js';

const DAY = 86_400_000;
const POLICY: RetentionPolicy = { contactErasedAfterDays: 30, textAnonymisedAfterDays: 365, auditRecordDays: 400, maxCasesPerRun: 1000 };

let store: DynamoCaseStore;
let relay: ReturnType<typeof startRelay>;
let endpoint: string;
let table: string;

beforeAll(async () => {
  const t = await freshTables();
  store = new DynamoCaseStore(t.client, t.tables.caseTable);
  relay = startRelay(t.client, t.tables.caseTable, store);
  endpoint = t.endpoint;
  table = t.tables.caseTable;
});

afterAll(() => relay.feed.stop());

const closedAtOf = (c: CaseRecord) => Date.parse(c.history.findLast((h) => h.to === 'closed')!.at);
const run = (policy: RetentionPolicy, now: Date, opts: { dryRun?: boolean } = {}) => runRetention({ store, policy, now: () => now }, opts);

describe('the retention job on DynamoDB Local', () => {
  it("erases a closed case's contact after the set time, keeps an open one's, then anonymises the text", async () => {
    const closed = caseIn('closed', { ticket: { address: '某小区3栋', title: '油烟扰民' } });
    const open = caseIn('accepted');
    await seed(store, closed, open);
    expect(closed.contactSealed).toBeDefined();
    const closedAt = closedAtOf(closed);
    const versionBefore = closed.version;
    const eventsBefore = await relay.events(closed.caseId);

    // Not yet due: a day short of the contact period.
    const early = await run(POLICY, new Date(closedAt + 29 * DAY));
    expect(early.cases.map((x) => x.caseId)).not.toContain(closed.caseId);
    expect((await store.get(closed.caseId))!.contactSealed).toBe(closed.contactSealed);

    // Due: the contact goes, the text stays.
    const at1 = new Date(closedAt + 31 * DAY);
    const first = await run(POLICY, at1);
    expect(first.cases).toContainEqual({ caseId: closed.caseId, stages: ['contact'] });
    expect(first.cases.map((x) => x.caseId)).not.toContain(open.caseId);
    const afterContact = (await store.get(closed.caseId))!;
    expect(afterContact.contactSealed).toBeUndefined();
    expect(afterContact.contactMasked).toBeUndefined();
    expect(afterContact.ticket.content).toBe(closed.ticket.content);
    expect(afterContact.status).toBe('closed');
    expect(afterContact.version).toBe(versionBefore + 1);
    expect(afterContact.retention).toEqual({ contactErasedAt: at1.toISOString() });
    expect(afterContact.history.at(-1)).toMatchObject({
      by: RETENTION_ACTOR,
      from: 'closed',
      to: 'closed',
      retention: ['contact'],
      version: versionBefore + 1,
    });
    // The open case keeps its contact, whatever the time.
    const openNow = (await store.get(open.caseId))!;
    expect(openNow.contactSealed).toBe(open.contactSealed);
    expect(openNow.version).toBe(open.version);

    // Run again at the same time: nothing left to do for this case (it left the contact partition).
    const again = await run(POLICY, at1);
    expect(again.cases.map((x) => x.caseId)).not.toContain(closed.caseId);
    expect((await store.get(closed.caseId))!.version).toBe(versionBefore + 1);

    // After the longer period: the text is anonymised; classification, routing and the report's counts stay.
    const at2 = new Date(closedAt + 366 * DAY);
    const second = await run(POLICY, at2);
    expect(second.cases).toContainEqual({ caseId: closed.caseId, stages: ['text'] });
    const anonymised = (await store.get(closed.caseId))! as CaseRecord & { reply?: { result: string } };
    expect(anonymised.ticket.content).toBe(ANONYMISED);
    expect(anonymised.ticket['title']).toBe(ANONYMISED);
    expect(anonymised.ticket['address']).toBe(ANONYMISED);
    expect(anonymised.reply?.result).toBe(ANONYMISED);
    expect(anonymised.history.filter((h) => h.note !== undefined && !h.retention).every((h) => h.note === ANONYMISED)).toBe(true);
    expect(JSON.stringify(anonymised)).not.toContain(closed.ticket.content);
    expect(anonymised.decision).toEqual(closed.decision);
    expect(anonymised.agencyId).toBe(closed.agencyId);
    expect(anonymised.history.map((h) => [h.version, h.from, h.to, h.at, h.agencyId, h.onTime])).toEqual([
      ...closed.history.map((h) => [h.version, h.from, h.to, h.at, h.agencyId, h.onTime]),
      [versionBefore + 1, 'closed', 'closed', at1.toISOString(), closed.agencyId, undefined],
      [versionBefore + 2, 'closed', 'closed', at2.toISOString(), closed.agencyId, undefined],
    ]);
    expect(tally(anonymised)).toEqual(tally(closed));

    // Done with this case: it left the index.
    expect((await store.dueForRetention('text', new Date(closedAt + 10_000 * DAY).toISOString(), { limit: 100 })).items).not.toContain(closed.caseId);
    expect((await store.dueForRetention('contact', new Date(closedAt + 10_000 * DAY).toISOString(), { limit: 100 })).items).not.toContain(closed.caseId);

    // Each erasure is in the audit trail, with what was done and the version it produced.
    const day = (t: Date) => shanghaiDateOf(t.toISOString());
    const audit = [
      ...(await store.auditOfDay(closed.regionCode, day(at1), { limit: 100 })).items,
      ...(await store.auditOfDay(closed.regionCode, day(at2), { limit: 100 })).items,
    ];
    expect(audit.filter((r) => r.caseId === closed.caseId)).toEqual([
      expect.objectContaining({ action: 'retention:contact', version: versionBefore + 1, role: 'system', sub: RETENTION_ACTOR, agencyId: null }),
      expect.objectContaining({ action: 'retention:text', version: versionBefore + 2, role: 'system', sub: RETENTION_ACTOR, agencyId: null }),
    ]);

    // The relay saw both erasure versions and published nothing for them.
    expect(await relay.events(closed.caseId)).toEqual(eventsBefore);
  });

  it('does both at once when both are due, and a dry run changes nothing', async () => {
    const c = caseIn('closed');
    await seed(store, c);
    const at = new Date(closedAtOf(c) + 400 * DAY);
    const dry = await run(POLICY, at, { dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.cases).toContainEqual({ caseId: c.caseId, stages: ['contact', 'text'] });
    expect(await store.get(c.caseId)).toEqual(c);

    const real = await run(POLICY, at);
    expect(real.cases).toContainEqual({ caseId: c.caseId, stages: ['contact', 'text'] });
    const stored = (await store.get(c.caseId))!;
    expect(stored.version).toBe(c.version + 1);
    expect(stored.contactSealed).toBeUndefined();
    expect(stored.ticket.content).toBe(ANONYMISED);
    expect(stored.history.at(-1)!.retention).toEqual(['contact', 'text']);
  });

  it('never erases a case that is not closed, however old', async () => {
    const replied = caseIn('replied');
    await seed(store, replied);
    await run(POLICY, new Date(Date.now() + 10_000 * DAY));
    expect(await store.get(replied.caseId)).toEqual(replied);
  });

  it('stops at maxCasesPerRun and says more are due', async () => {
    const cs = [caseIn('closed'), caseIn('closed'), caseIn('closed')];
    await seed(store, ...cs);
    const r = await run({ ...POLICY, maxCasesPerRun: 1 }, new Date(closedAtOf(cs[0]!) + 40 * DAY));
    expect(r.cases).toHaveLength(1);
    expect(r.more).toBe(true);
  });

  it('npm run retention: a dry run lists, a run erases, on local mode’s table', async () => {
    const c = caseIn('closed');
    await seed(store, c);
    const now = new Date(closedAtOf(c) + (retentionPolicy.contactErasedAfterDays + 1) * DAY).toISOString();
    const exec = promisify(execFile);
    const cli = (...args: string[]) =>
      exec('npx', ['tsx', 'scripts/retention.ts', '--endpoint', endpoint, '--table', table, '--now', now, ...args], { cwd: process.cwd() });
    const dry = JSON.parse((await cli('--dry-run')).stdout) as { dryRun: boolean; cases: { caseId: string; stages: string[] }[] };
    expect(dry.dryRun).toBe(true);
    expect(dry.cases).toContainEqual({ caseId: c.caseId, stages: ['contact'] });
    expect((await store.get(c.caseId))!.contactSealed).toBe(c.contactSealed);
    const done = JSON.parse((await cli()).stdout) as { dryRun: boolean; cases: { caseId: string; stages: string[] }[] };
    expect(done.cases).toContainEqual({ caseId: c.caseId, stages: ['contact'] });
    expect((await store.get(c.caseId))!.contactSealed).toBeUndefined();
  }, 60_000);
});
