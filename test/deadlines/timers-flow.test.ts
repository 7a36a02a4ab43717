/**
 * Deadline timers end to end in process: processCase and the lifecycle use cases sync the in-process scheduler, a
 * manual clock fires the timers, the deadlines handler publishes to the in-process bus (which validates every
 * event against its schema).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { InProcessBus } from '../../functions/adapters/local/in-process-bus.js';
import { InProcessScheduler } from '../../functions/adapters/local/in-process-scheduler.js';
import { localContext } from '../../functions/adapters/local/in-process-queue.js';
import { performAction, type CaseActionDeps } from '../../functions/app/case-actions.js';
import { fireTimer, syncTimers } from '../../functions/app/deadline-timers.js';
import { TimersNotSyncedError } from '../../functions/app/errors.js';
import { processCase, type ProcessDeps } from '../../functions/app/process-case.js';
import { issueRecommendationAction } from '../../functions/app/linkage.js';
import type { Principal } from '../../functions/auth/principal.js';
import { deadlinesFor } from '../../functions/config/decide.js';
import { clusterRules } from '../../functions/config/cluster-rules.js';
import { groupKeysOf } from '../../functions/config/group-keys.js';
import { deployedRules } from '../../functions/config/deployed.js';
import { eventIdFor } from '../../functions/domain/case/event-id.js';
import type { Action, ActionInput } from '../../functions/domain/lifecycle/index.js';
import { makeDeadlinesHandler } from '../../functions/deadlines/deadlines.js';
import type { DeadlineScheduler } from '../../functions/ports/deadline-scheduler.js';
import { observability } from '../../functions/shared/observability.js';
import { decision } from '../support/fixtures.js';
import { ManualClock, MemoryCaseStore, received12345 } from './support.js';

const OWNER = '150302:ecology-environment' as const;
const agent: Principal = { role: 'agent', agencyId: OWNER };
const supervisor: Principal = { role: 'supervisor', agencyId: OWNER };

let store: MemoryCaseStore;
let bus: InProcessBus;
let clock: ManualClock;
let scheduler: InProcessScheduler;
let caseId: string;

const deadlineEvents = () => bus.archive.filter((e) => /^Case\.(DueSoon|Overdue|Escalated)$/.test(e['detail-type']));
const timers = () => scheduler.list().map((t) => `${t.payload.deadline}.${t.payload.timer}@${t.at}`);
const advance = (to: string) => clock.advanceTo(to, () => scheduler.idle());
const act = (action: Action, p: Principal = agent, input: ActionInput = {}) => performAction(actionDeps(), p, caseId, action, input);
const actionDeps = (): CaseActionDeps => ({ store, bus, now: clock.date, scheduler, rules: deployedRules });

async function dispatchNow(): Promise<void> {
  const deps: ProcessDeps = { store, bus, classify: () => decision(), deadlines: deadlinesFor, rules: deployedRules, clusterRules, groupKeysOf, now: clock.date, scheduler };
  await processCase(deps, caseId);
}

beforeEach(async () => {
  store = new MemoryCaseStore();
  bus = new InProcessBus();
  clock = new ManualClock(Date.parse('2026-09-30T10:00:00+08:00'));
  const handler = makeDeadlinesHandler({ ...observability('test-deadlines'), store, bus, rules: deployedRules });
  scheduler = new InProcessScheduler({ clock, target: (payload, ctx) => handler(payload, ctx) });
  const c = received12345();
  caseId = c.caseId;
  await store.createAll([c]);
});

describe('timers follow the case', () => {
  it('are created on dispatch, moved on accept and on an extension grant, and deleted on reply', async () => {
    await dispatchNow();
    expect(timers()).toEqual(['acceptBy.dueSoon@2026-10-07T06:47:59+08:00', 'acceptBy.overdue@2026-10-08T23:59:59+08:00']);

    await advance('2026-10-01T09:00:00+08:00');
    await act('accept');
    expect(timers()).toEqual([
      'replyBy.dueSoon@2026-10-19T06:47:59+08:00',
      'replyBy.overdue@2026-10-23T23:59:59+08:00',
      'replyBy.escalation@2026-10-30T23:59:59+08:00',
    ]);

    await advance('2026-10-02T09:00:00+08:00');
    await act('extend', agent, { reason: '需要现场复核', workingDays: 5 });
    expect(timers()).toHaveLength(3); // a pending request moves nothing
    await act('grant-extension', supervisor);
    expect(timers()).toEqual([
      'replyBy.dueSoon@2026-10-24T21:11:59+08:00',
      'replyBy.overdue@2026-10-30T23:59:59+08:00',
      'replyBy.escalation@2026-11-06T23:59:59+08:00',
    ]);

    await advance('2026-10-12T09:00:00+08:00');
    await act('reply', agent, { result: '已责令整改' });
    expect(scheduler.size).toBe(0);
    expect(clock.pending).toBe(0);
    expect(deadlineEvents()).toEqual([]); // nothing was ever due
  });

  it('a redelivered dispatch re-syncs the same timers (upsert, no duplicates)', async () => {
    await dispatchNow();
    await dispatchNow();
    expect(scheduler.size).toBe(2);
    expect(clock.pending).toBe(2);
  });
});

describe('timers fire', () => {
  it('Case.DueSoon at 80 % of the sign-for time, Case.Overdue at the deadline', async () => {
    await dispatchNow();
    await advance('2026-10-07T06:47:58+08:00');
    expect(deadlineEvents()).toEqual([]);
    await advance('2026-10-07T06:47:59+08:00');
    expect(deadlineEvents().map((e) => [e['detail-type'], e.detail['deadline'], e.detail['occurredAt']])).toEqual([
      ['Case.DueSoon', 'acceptBy', '2026-10-07T06:47:59+08:00'],
    ]);
    await advance('2026-10-09T00:00:00+08:00');
    const [soon, overdue] = deadlineEvents();
    expect(overdue).toMatchObject({ 'detail-type': 'Case.Overdue', detail: { caseId, agencyId: OWNER, deadline: 'acceptBy', dueAt: '2026-10-08T23:59:59+08:00' } });
    expect(soon!.detail['eventId']).toBe(eventIdFor(caseId, 'Case.DueSoon#acceptBy', 2));
    expect(scheduler.size).toBe(0); // one-time: fired timers are gone
  });

  it('Case.Escalated to the agency supervisor 5 working days after the reply deadline', async () => {
    await dispatchNow();
    await act('accept');
    await advance('2026-10-30T23:59:58+08:00');
    expect(deadlineEvents().map((e) => `${e['detail-type']}:${e.detail['deadline']}`)).toEqual(['Case.DueSoon:replyBy', 'Case.Overdue:replyBy']);
    await advance('2026-10-31T00:00:00+08:00');
    const escalated = deadlineEvents().at(-1)!;
    expect(escalated).toMatchObject({
      'detail-type': 'Case.Escalated',
      detail: { deadline: 'replyBy', dueAt: '2026-10-23T23:59:59+08:00', occurredAt: '2026-10-30T23:59:59+08:00', escalateTo: `supervisor@${OWNER}` },
    });
  });

  it('a timer that fires after the case moved does nothing', async () => {
    await dispatchNow();
    const stale = scheduler.list().find((t) => t.payload.timer === 'overdue')!;
    // A timer the sync failed to delete (e.g. the scheduler was down when the case was accepted):
    const failing: DeadlineScheduler = { schedule: () => Promise.reject(new Error('ThrottlingException')), cancel: () => Promise.reject(new Error('ThrottlingException')) };
    const r = await performAction({ rules: deployedRules, store, bus, now: clock.date, scheduler: failing }, agent, caseId, 'accept', {});
    expect(r.case.status).toBe('accepted'); // the agency's action stands; the next transition re-syncs
    expect(scheduler.list().map((t) => t.name)).toContain(stale.name);
    await advance('2026-10-09T00:00:00+08:00');
    expect(scheduler.fired.map((f) => f.result)).toEqual([
      { fired: false, reason: 'no_longer_applies' },
      { fired: false, reason: 'no_longer_applies' },
    ]);
    expect(deadlineEvents()).toEqual([]);
    // An extension moved the deadline: the old reply timer's payload names the old deadline.
    expect(await fireTimer({ store, bus, rules: deployedRules }, { ...stale.payload, deadline: 'replyBy', dueAt: '2026-10-23T23:59:58+08:00', version: 3 })).toEqual({
      fired: false,
      reason: 'no_longer_applies',
    });
    expect(await fireTimer({ store, bus, rules: deployedRules }, { ...stale.payload, caseId: 'nope' })).toEqual({ fired: false, reason: 'case_not_found' });
  });

  it('the same timer delivered twice publishes the same event id', async () => {
    await dispatchNow();
    const t = scheduler.list()[1]!;
    const handler = makeDeadlinesHandler({ ...observability('test-deadlines'), store, bus, rules: deployedRules });
    const a = await handler(t.payload, localContext('d'));
    const b = await handler(t.payload, localContext('d'));
    expect(a).toEqual(b);
    expect(a).toMatchObject({ fired: true, type: 'Case.Overdue' });
    await expect(handler({ caseId, timer: 'sometime' }, localContext('d'))).rejects.toThrow(/invalid timer payload/);
  });

  it('the process use case fails (and is retried) when the scheduler is down', async () => {
    const failing: DeadlineScheduler = { schedule: () => Promise.reject(new Error('down')), cancel: async () => undefined };
    await expect(processCase({ store, bus, classify: () => decision(), deadlines: deadlinesFor, rules: deployedRules, clusterRules, groupKeysOf, now: clock.date, scheduler: failing }, caseId)).rejects.toBeInstanceOf(
      TimersNotSyncedError,
    );
    // Without a scheduler wired nothing is synced and nothing fails.
    expect(await syncTimers(undefined, (await store.get(caseId))!, clock.date(), { rules: deployedRules })).toEqual({ scheduled: [], cancelled: [] });
  });
});

describe('in-process scheduler', () => {
  it('re-arms delays beyond setTimeout’s limit, caps the number of timers, and dead-letters a failing target', async () => {
    await dispatchNow();
    const c = (await store.get(caseId))!;
    const far = { name: 'far', at: '2027-06-30T00:00:00+08:00', payload: { caseId, timer: 'overdue' as const, deadline: 'acceptBy' as const, dueAt: c.deadlines!.acceptBy!, version: 2 } };
    const calls: string[] = [];
    const s = new InProcessScheduler({ clock, maxTimers: 2, maxAttempts: 2, retryDelayMs: 10, target: async (p) => { calls.push(p.caseId); throw new Error('boom'); } });
    await s.schedule(caseId, [far]);
    await expect(s.schedule(caseId, [{ ...far, name: 'b' }, { ...far, name: 'c' }])).rejects.toThrow(RangeError);
    await clock.advanceTo('2027-06-29T23:59:59+08:00', () => s.idle().catch(() => undefined));
    expect(calls).toEqual([]);
    await clock.advanceTo('2027-06-30T00:00:01+08:00', async () => undefined);
    await clock.advanceTo('2027-06-30T00:00:02+08:00', async () => undefined);
    await s.idle();
    expect(calls).toHaveLength(2);
    expect(s.deadLetters).toEqual([{ name: 'far', payload: far.payload, error: 'boom' }]);
  });
});

describe('timers of linked cases (府检联动)', () => {
  const DEPT = '150300:procuratorate.pil' as const;

  async function dispatchWithClue(): Promise<string> {
    const deps: ProcessDeps = {
      store,
      bus,
      classify: () => decision({ clue: 'public_interest', referralAgencyId: DEPT }),
      deadlines: deadlinesFor, rules: deployedRules, clusterRules, groupKeysOf,
      now: clock.date,
      scheduler,
    };
    await processCase(deps, caseId);
    return (await store.get(caseId))!.referrals![0]!.caseId;
  }

  it('a referred clue warns before its 30-day evaluation deadline, is marked overdue once, and counts in the report', async () => {
    const clueId = await dispatchWithClue();
    const clueTimers = scheduler.list().filter((t) => t.payload.caseId === clueId).map((t) => `${t.payload.deadline}.${t.payload.timer}`);
    expect(clueTimers.sort()).toEqual(['evaluateBy.dueSoon', 'evaluateBy.overdue']);
    const evaluateBy = (await store.get(clueId))!.deadlines!.evaluateBy!;
    expect(evaluateBy).toBe('2026-10-30T23:59:59+08:00');

    await advance('2026-11-01T00:00:00+08:00');
    const events = bus.archive.filter((e) => e.detail['caseId'] === clueId && /DueSoon|Overdue/.test(e['detail-type']));
    expect(events.map((e) => `${e['detail-type']}:${e.detail['deadline']}`)).toEqual(['Case.DueSoon:evaluateBy', 'Case.Overdue:evaluateBy']);
    const clue = (await store.get(clueId))!;
    expect(clue.overdue).toEqual([{ deadline: 'evaluateBy', dueAt: evaluateBy, agencyId: DEPT, at: evaluateBy }]);
    // Each in the month it happened: referred on 30 September, overdue on 30 October.
    const row = (month: string) => [...store.counters.values()].find((r) => r.key.agencyId === DEPT && r.key.month === month)?.counts;
    expect(row('2026-09')).toEqual({ cluesReferred: 1 });
    expect(row('2026-10')).toEqual({ overdue: 1 });
    // The timer delivered again (Scheduler delivers at least once) neither marks nor counts twice.
    const again = await fireTimer({ store, bus, rules: deployedRules }, { caseId: clueId, timer: 'overdue', deadline: 'evaluateBy', dueAt: evaluateBy, version: 1 });
    expect(again.fired).toBe(true);
    expect((await store.get(clueId))!.overdue).toHaveLength(1);
    expect(row('2026-10')).toEqual({ overdue: 1 });
  });

  it('accepting the clue in time cancels its timers', async () => {
    const clueId = await dispatchWithClue();
    await performAction(actionDeps(), { role: 'agent', agencyId: DEPT }, clueId, 'accept', {});
    expect(scheduler.list().filter((t) => t.payload.caseId === clueId)).toEqual([]);
    expect(bus.archive.some((e) => e['detail-type'] === 'Clue.Accepted' && e.detail['caseId'] === clueId)).toBe(true);
  });

  it('a recommendation warns at 80 % of its two months and publishes Recommendation.Overdue, not Case.Overdue', async () => {
    const clueId = await dispatchWithClue();
    const issued = await issueRecommendationAction({ store, bus, now: clock.date, scheduler, rules: deployedRules }, { role: 'supervisor', agencyId: DEPT }, {
      agencyId: OWNER,
      subjectCaseId: clueId,
      content: '建议依法查处',
      urgent: false,
    });
    const recId = issued.case.caseId;
    expect(issued.case.deadlines?.replyBy).toBe('2026-11-30T23:59:59+08:00');
    await advance('2026-12-01T00:00:00+08:00');
    const types = bus.archive.filter((e) => e.detail['caseId'] === recId).map((e) => e['detail-type']);
    expect(types).toEqual(['Case.Dispatched', 'Recommendation.Issued', 'Case.DueSoon', 'Recommendation.Overdue']);
    const overdue = bus.archive.find((e) => e['detail-type'] === 'Recommendation.Overdue')!;
    expect(overdue.detail).toMatchObject({ agencyId: OWNER, issuedBy: DEPT, replyBy: '2026-11-30T23:59:59+08:00', subjectCaseId: clueId });
  });
});
