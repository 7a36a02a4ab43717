/**
 * The retention policy's pure part (domain/privacy/retention.ts): when a closed case's contact and text fall due, what
 * an erasure changes and what it keeps (the report's counts), the relay's answer to an erasure version (nothing), and
 * the person (`sub`) in an action's history entry.
 */
import { describe, expect, it } from 'vitest';
import { effectsOf } from '../../functions/app/relay.js';
import { deployedRules } from '../../functions/config/deployed.js';
import type { CaseRecord } from '../../functions/domain/case/case.js';
import { applyAction } from '../../functions/domain/lifecycle/index.js';
import { ANONYMISED, applyRetention, closedAt, dueStages, retentionStage, type RetentionPolicy } from '../../functions/domain/privacy/retention.js';
import { tally } from '../../functions/domain/report/tally.js';
import { dispatchedCase, sealed, sourced12309 } from '../support/fixtures.js';
import { caseIn, OWNER } from '../cases/support.js';

const DAY = 86_400_000;
const POLICY: RetentionPolicy = { contactErasedAfterDays: 180, textAnonymisedAfterDays: 1095, auditRecordDays: 1095, maxCasesPerRun: 100 };

async function closedCase(over: Record<string, unknown> = {}): Promise<CaseRecord> {
  const c = caseIn('closed', { ticket: over });
  const s = await sealed(c);
  delete s.contact;
  return s;
}
const closeTime = (c: CaseRecord) => Date.parse(closedAt(c)!);

describe('when an erasure is due', () => {
  it('the contact at contactErasedAfterDays after the close, the text at textAnonymisedAfterDays, nothing before', async () => {
    const c = await closedCase();
    const t = closeTime(c);
    expect(dueStages(c, POLICY, new Date(t + 180 * DAY - 1))).toEqual([]);
    expect(dueStages(c, POLICY, new Date(t + 180 * DAY))).toEqual(['contact']);
    expect(dueStages(c, POLICY, new Date(t + 1095 * DAY))).toEqual(['contact', 'text']);
    expect(retentionStage(c)).toBe('contact');
  });

  it('never for a case that is not closed', () => {
    for (const status of ['dispatched', 'accepted', 'replied', 'reopened'] as const) {
      const c = caseIn(status);
      expect(closedAt(c)).toBeUndefined();
      expect(retentionStage(c)).toBeUndefined();
      expect(applyRetention(c, POLICY, new Date(Date.now() + 10_000 * DAY))).toBeUndefined();
    }
  });

  it('counts from the latest close, not from a retention entry', async () => {
    const c = await closedCase();
    const first = applyRetention(c, POLICY, new Date(closeTime(c) + 200 * DAY))!;
    expect(closedAt(first.next)).toBe(closedAt(c));
    expect(retentionStage(first.next)).toBe('text');
    expect(applyRetention(first.next, POLICY, new Date(closeTime(c) + 1000 * DAY))).toBeUndefined();
  });
});

describe('what an erasure changes and keeps', () => {
  it('erasing the contact deletes the sealed and the masked form and nothing else', async () => {
    const c = await closedCase();
    const r = applyRetention(c, POLICY, new Date(closeTime(c) + 181 * DAY))!;
    expect(r.stages).toEqual(['contact']);
    expect(r.next.contactSealed).toBeUndefined();
    expect(r.next.contactMasked).toBeUndefined();
    const { contactSealed: _s, contactMasked: _m, version: _v, history: _h, retention: _r, ...rest } = r.next;
    const { contactSealed: _s2, contactMasked: _m2, version: _v2, history: _h2, ...before } = c;
    expect(rest).toEqual(before);
    expect(r.next.history.slice(0, -1)).toEqual(c.history);
  });

  it('anonymising replaces every free text of a 12345 case, drops its location, and keeps what the report counts', async () => {
    const c = await closedCase({ title: '夜间施工', address: '海勃湾区某街道8号', location: { lat: 39.6, lng: 106.8 } });
    const r = applyRetention(c, POLICY, new Date(closeTime(c) + 2000 * DAY))!;
    expect(r.stages).toEqual(['contact', 'text']);
    const t = r.next.ticket as Record<string, unknown>;
    expect([t['content'], t['title'], t['address']]).toEqual([ANONYMISED, ANONYMISED, ANONYMISED]);
    expect(t['location']).toBeUndefined();
    expect(t['channel']).toBe(c.ticket['channel']);
    expect(t['regionCode']).toBe(c.ticket['regionCode']);
    expect((r.next as { reply?: { result: string } }).reply?.result).toBe(ANONYMISED);
    expect(r.next.history.slice(0, -1).map((h) => h.note)).toEqual(c.history.map((h) => (h.note === undefined ? undefined : ANONYMISED)));
    expect(r.next.decision).toEqual(c.decision);
    expect(r.next.deadlines).toEqual(c.deadlines);
    expect(tally(r.next)).toEqual(tally(c));
  });

  it("anonymises a 12309 case's demand and the respondent's name, and the survey comments", async () => {
    const { dispatched } = dispatchedCase({}, sourced12309({ demand: '要求重新审理', respondent: { kind: 'person', name: '王五' } }));
    const closed = { ...dispatched, status: 'closed' as const, version: dispatched.version + 1 };
    closed.history = [
      ...dispatched.history,
      { version: closed.version, at: '2026-10-02T02:00:00.000Z', by: `supervisor@${OWNER}`, from: 'accepted', to: 'closed' },
    ];
    const withFeedback = { ...closed, feedback: [{ result: 'satisfied', at: '2026-10-02T01:00:00.000Z', version: 2, comment: '处理及时，谢谢王五' }] };
    const r = applyRetention(withFeedback, POLICY, new Date('2030-01-01T00:00:00Z'))!;
    const t = r.next.ticket as Record<string, unknown>;
    expect(t['demand']).toBe(ANONYMISED);
    expect(t['respondent']).toEqual({ kind: 'person', name: ANONYMISED });
    expect(r.next.feedback).toEqual([{ result: 'satisfied', at: '2026-10-02T01:00:00.000Z', version: 2, comment: ANONYMISED }]);
    expect(JSON.stringify(r.next)).not.toContain('王五');
  });
});

describe('an erasure version and the relay', () => {
  it('publishes nothing and moves no timer', async () => {
    const c = await closedCase();
    const r = applyRetention(c, POLICY, new Date(closeTime(c) + 2000 * DAY))!;
    const effects = await effectsOf({ store: { getCluster: async () => undefined }, rules: deployedRules }, { id: '1', kind: 'modify', old: c, new: r.next });
    expect(effects).toEqual({ events: [] });
  });
});

describe('the person behind an action', () => {
  it("an action's history entry carries the actor's sub beside role@agency", () => {
    const c = caseIn('dispatched');
    const r = applyAction(c, 'accept', {}, { role: 'agent', agencyId: c.agencyId!, sub: 'user-7' }, '2026-10-01T03:00:00.000Z', deployedRules);
    expect(r.ok && r.entry).toMatchObject({ by: `agent@${c.agencyId}`, actorSub: 'user-7' });
    const anonymous = applyAction(c, 'accept', {}, { role: 'agent', agencyId: c.agencyId! }, '2026-10-01T03:00:00.000Z', deployedRules);
    expect(anonymous.ok && 'actorSub' in anonymous.entry).toBe(false);
  });
});
