/**
 * Deadline timers end to end: processCase and the lifecycle use cases sync the local store-backed scheduler (one
 * schedule per case, in a DynamoDB Local table), a manual clock and `fireDue` fire them, the deadlines handler
 * publishes to the in-process bus (which validates every event against its schema) and plans the next moment.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { InProcessBus } from '../../functions/adapters/local/in-process-bus.js';
import type { StoredScheduler } from '../../functions/adapters/local/stored-scheduler.js';
import { localContext } from '../../functions/adapters/local/in-process-queue.js';
import { performAction, type CaseActionDeps } from '../../functions/app/case-actions.js';
import { fireTimer, syncTimers, type MomentOutcome } from '../../functions/app/deadline-timers.js';
import { TimersNotSyncedError } from '../../functions/app/errors.js';
import { relayChanges } from '../../functions/app/relay.js';
import { relayOn } from '../support/memory-relay.js';
import { processCase, type ProcessDeps } from '../../functions/app/process-case.js';
import { issueRecommendationAction } from '../../functions/app/linkage.js';
import type { Principal } from '../../functions/auth/principal.js';
import { deadlinesFor } from '../../functions/config/decide.js';
import { eventIdFor } from '../../functions/domain/case/event-id.js';
import type { Action, ActionInput } from '../../functions/domain/lifecycle/index.js';
import { makeDeadlinesHandler } from '../../functions/deadlines/deadlines.js';
import type { DeadlineScheduler } from '../../functions/ports/deadline-scheduler.js';
import { observability } from '../../functions/shared/observability.js';
import { decision } from '../support/fixtures.js';
import { advanceWith, ManualClock, MemoryCaseStore, received12345, testScheduler } from './support.js';
import { planTimers } from '../../functions/domain/deadlines/schedule-plan.js';
import { deployedRules } from '../../functions/config/deployed.js';
import { clusterRules } from '../../functions/config/cluster-rules.js';
import { groupKeysOf } from '../../functions/config/group-keys.js';

const OWNER = '150302:ecology-environment' as const;
const agent: Principal = { role: 'agent', agencyId: OWNER };
const supervisor: Principal = { role: 'supervisor', agencyId: OWNER };

let store: MemoryCaseStore;
let bus: InProcessBus;
let clock: ManualClock;
let scheduler: StoredScheduler;
let relayScheduler: DeadlineScheduler;
let caseId: string;

const deadlineEvents = () => bus.archive.filter((e) => /^Case\.(DueSoon|Overdue|Escalated)$/.test(e['detail-type']));
/** The pending schedules: one per case at most, at its next moment. */
const timers = async () => (await scheduler.list()).map((t) => `${t.caseId === caseId ? '' : `${t.caseId}:`}${t.at}`);
const advance = (to: string) => advanceWith(scheduler, clock, to);
const results = () => scheduler.fired.toArray().map((f) => f.result as MomentOutcome);
const act = (action: Action, p: Principal = agent, input: ActionInput = {}) => performAction(actionDeps(), p, caseId, action, input);
const actionDeps = (): CaseActionDeps => ({ store, now: clock.date, rules: deployedRules });

async function dispatchNow(): Promise<void> {
  const deps: ProcessDeps = {
    store,
    classify: () => decision(),
    deadlines: deadlinesFor,
    rules: deployedRules,
    clusterRules,
    groupKeysOf,
    now: clock.date,
  };
  await processCase(deps, caseId);
}

beforeEach(async () => {
  store = new MemoryCaseStore();
  bus = new InProcessBus();
  clock = new ManualClock(Date.parse('2026-09-30T10:00:00+08:00'));
  ({ scheduler } = await testScheduler(clock));
  // The outbox relay publishes each saved change's events and moves its timer (a test may make its scheduler fail).
  relayScheduler = scheduler;
  relayOn(store, {
    bus,
    scheduler: { set: (t, o) => relayScheduler.set(t, o), clear: (id) => relayScheduler.clear(id) },
    rules: deployedRules,
    now: clock.date,
  });
  const handler = makeDeadlinesHandler({ ...observability('test-deadlines'), store, bus, rules: deployedRules, scheduler, now: clock.date });
  scheduler.setTarget((payload, ctx) => handler(payload, ctx));
  const c = received12345();
  caseId = c.caseId;
  await store.createAll([c]);
});

const plannedNow = async () => planTimers((await store.get(caseId))!, deployedRules).map((t) => `${t.payload.deadline}.${t.payload.timer}@${t.at}`);

describe('timers follow the case', () => {
  it('one schedule per case, at its next moment: set on dispatch, moved on accept and on an extension grant, deleted on reply', async () => {
    await dispatchNow();
    expect(await plannedNow()).toEqual(['acceptBy.dueSoon@2026-10-07T06:47:59+08:00', 'acceptBy.overdue@2026-10-08T23:59:59+08:00']);
    expect(await timers()).toEqual(['2026-10-07T06:47:59+08:00']);

    await advance('2026-10-01T09:00:00+08:00');
    await act('accept');
    expect(await plannedNow()).toEqual([
      'replyBy.dueSoon@2026-10-19T06:47:59+08:00',
      'replyBy.overdue@2026-10-23T23:59:59+08:00',
      'replyBy.escalation@2026-10-30T23:59:59+08:00',
    ]);
    expect(await timers()).toEqual(['2026-10-19T06:47:59+08:00']);

    await advance('2026-10-02T09:00:00+08:00');
    await act('extend', agent, { reason: '需要现场复核', workingDays: 5 });
    expect(await timers()).toEqual(['2026-10-19T06:47:59+08:00']); // a pending request moves nothing
    await act('grant-extension', supervisor);
    expect(await plannedNow()).toEqual([
      'replyBy.dueSoon@2026-10-24T21:11:59+08:00',
      'replyBy.overdue@2026-10-30T23:59:59+08:00',
      'replyBy.escalation@2026-11-06T23:59:59+08:00',
    ]);
    expect(await timers()).toEqual(['2026-10-24T21:11:59+08:00']);

    await advance('2026-10-12T09:00:00+08:00');
    await act('reply', agent, { result: '已责令整改' });
    expect(await timers()).toEqual([]);
    expect(deadlineEvents()).toEqual([]); // nothing was ever due
    expect(results()).toEqual([]); // and nothing fired
  });

  it('a redelivered dispatch re-syncs the same schedule (upsert, no duplicates)', async () => {
    await dispatchNow();
    await dispatchNow();
    expect(await timers()).toEqual(['2026-10-07T06:47:59+08:00']);
  });
});

describe('timers fire', () => {
  it('Case.DueSoon at 80 % of the sign-for time, Case.Overdue at the deadline; each firing plans the next moment', async () => {
    await dispatchNow();
    await advance('2026-10-07T06:47:58+08:00');
    expect(deadlineEvents()).toEqual([]);
    await advance('2026-10-07T06:47:59+08:00');
    expect(deadlineEvents().map((e) => [e['detail-type'], e.detail['deadline'], e.detail['occurredAt']])).toEqual([
      ['Case.DueSoon', 'acceptBy', '2026-10-07T06:47:59+08:00'],
    ]);
    expect(await timers()).toEqual(['2026-10-08T23:59:59+08:00']); // re-planned to the next moment
    await advance('2026-10-09T00:00:00+08:00');
    const [soon, overdue] = deadlineEvents();
    expect(overdue).toMatchObject({
      'detail-type': 'Case.Overdue',
      detail: { caseId, agencyId: OWNER, deadline: 'acceptBy', dueAt: '2026-10-08T23:59:59+08:00' },
    });
    expect(soon!.detail['eventId']).toBe(eventIdFor(caseId, 'Case.DueSoon#acceptBy', 2));
    expect(await timers()).toEqual([]); // no moment left: the schedule is deleted
    expect(results().map((r) => r.next)).toEqual(['2026-10-08T23:59:59+08:00', null]);
  });

  it('a late firing publishes every timer it passed, in order, once', async () => {
    await dispatchNow();
    await clock.advanceTo(Date.parse('2026-10-09T00:00:00+08:00')); // the poller was down through both moments
    await scheduler.fireDue();
    expect(deadlineEvents().map((e) => `${e['detail-type']}@${e.detail['occurredAt']}`)).toEqual([
      'Case.DueSoon@2026-10-07T06:47:59+08:00',
      'Case.Overdue@2026-10-08T23:59:59+08:00',
    ]);
    expect(await timers()).toEqual([]);
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

  it('a stale schedule (the case moved, its sync failed) publishes nothing and re-plans the case’s real next moment', async () => {
    await dispatchNow();
    const [stale] = await scheduler.list();
    // A schedule the sync failed to move (e.g. the scheduler was down when the case was accepted):
    const failing: DeadlineScheduler = {
      set: () => Promise.reject(new Error('ThrottlingException')),
      clear: () => Promise.reject(new Error('ThrottlingException')),
    };
    relayScheduler = failing;
    const r = await performAction(actionDeps(), agent, caseId, 'accept', {});
    relayScheduler = scheduler;
    expect(r.case.status).toBe('accepted'); // the agency's action stands
    expect(await timers()).toEqual([stale!.at]);
    await advance('2026-10-09T00:00:00+08:00');
    expect(results()).toEqual([{ caseId, at: stale!.at, published: [], skipped: 'no_longer_applies', next: '2026-10-19T06:47:59+08:00' }]);
    expect(deadlineEvents()).toEqual([]);
    expect(await timers()).toEqual(['2026-10-19T06:47:59+08:00']); // healed: the reply timers' first moment
    // One timer of a moment is re-checked on its own too: an extension moved the deadline, or the case is gone.
    const replySoon = planTimers((await store.get(caseId))!, deployedRules)[0]!.payload;
    expect(await fireTimer({ store, bus, rules: deployedRules }, { ...replySoon, dueAt: '2026-10-23T23:59:58+08:00' })).toEqual({
      fired: false,
      reason: 'no_longer_applies',
    });
    expect(await fireTimer({ store, bus, rules: deployedRules }, { ...replySoon, caseId: 'nope' })).toEqual({ fired: false, reason: 'case_not_found' });
  });

  it('a schedule left behind by an extension grant publishes nothing at the old moment', async () => {
    await dispatchNow();
    await act('accept');
    await act('extend', agent, { reason: '需要现场复核', workingDays: 5 });
    const failing: DeadlineScheduler = { set: () => Promise.reject(new Error('down')), clear: () => Promise.reject(new Error('down')) };
    relayScheduler = failing;
    await performAction(actionDeps(), supervisor, caseId, 'grant-extension', {});
    relayScheduler = scheduler;
    expect(await timers()).toEqual(['2026-10-19T06:47:59+08:00']); // the old reply due-soon
    await advance('2026-10-20T00:00:00+08:00');
    expect(deadlineEvents()).toEqual([]);
    expect(await timers()).toEqual(['2026-10-24T21:11:59+08:00']);
    await advance('2026-10-24T21:11:59+08:00');
    expect(deadlineEvents().map((e) => `${e['detail-type']}:${e.detail['dueAt']}`)).toEqual(['Case.DueSoon:2026-10-30T23:59:59+08:00']);
  });

  it('the same moment delivered twice publishes the same event ids', async () => {
    await dispatchNow();
    const handler = makeDeadlinesHandler({ ...observability('test-deadlines'), store, bus, rules: deployedRules, scheduler, now: clock.date });
    const moment = { caseId, at: '2026-10-08T23:59:59+08:00' };
    const a = await handler(moment, localContext('d'));
    const b = await handler(moment, localContext('d'));
    expect(a).toEqual(b);
    expect(a.published).toEqual([{ type: 'Case.Overdue', eventId: eventIdFor(caseId, 'Case.Overdue#acceptBy', 2), timer: 'overdue', deadline: 'acceptBy' }]);
    expect(deadlineEvents().map((e) => e.detail['eventId'])).toEqual([a.published[0]!.eventId, a.published[0]!.eventId]);
    expect((await store.get(caseId))!.overdue).toHaveLength(1); // recorded once
    await expect(handler({ caseId, timer: 'sometime' }, localContext('d'))).rejects.toThrow(/invalid timer payload/);
    await expect(handler({ caseId, at: 'not a time' }, localContext('d'))).rejects.toThrow(/invalid timer payload/);
  });

  it('the relay fails a dispatch whose timer it cannot set (the feed hands it over again); the dispatch itself stands', async () => {
    const failing: DeadlineScheduler = { set: () => Promise.reject(new Error('down')), clear: async () => undefined };
    store.onChange = undefined;
    const prev = (await store.get(caseId))!;
    await processCase({ store, classify: () => decision(), deadlines: deadlinesFor, rules: deployedRules, clusterRules, groupKeysOf, now: clock.date }, caseId);
    const next = (await store.get(caseId))!;
    expect(next.status).toBe('dispatched');
    const change = { id: '1', kind: 'modify' as const, old: prev, new: next };
    const failed = await relayChanges({ store, bus, queue: { send: async () => undefined }, scheduler: failing, rules: deployedRules, now: clock.date }, [
      change,
    ]);
    expect([...failed.keys()]).toEqual(['1']);
    expect(await timers()).toEqual([]);
    // Handed over again with the scheduler back: the timer is set, the events go out again with the same ids.
    expect((await relayChanges({ store, bus, queue: { send: async () => undefined }, scheduler, rules: deployedRules, now: clock.date }, [change])).size).toBe(
      0,
    );
    expect(await timers()).toEqual(['2026-10-07T06:47:59+08:00']);
    const ids = bus.archive.map((e) => e.detail['eventId']);
    expect(ids.slice(0, 3)).toEqual(ids.slice(3));
    // Without a scheduler wired nothing is synced and nothing fails.
    const c = (await store.get(caseId))!;
    expect(await syncTimers(undefined, c, clock.date(), { rules: deployedRules })).toEqual([{ caseId, version: c.version, next: null }]);
  });

  it('a deadlines function whose scheduler fails after publishing throws, so the firing is retried (same event ids)', async () => {
    await dispatchNow();
    const failing: DeadlineScheduler = { set: () => Promise.reject(new Error('down')), clear: () => Promise.reject(new Error('down')) };
    const handler = makeDeadlinesHandler({ ...observability('test-deadlines'), store, bus, rules: deployedRules, scheduler: failing, now: clock.date });
    await expect(handler({ caseId, at: '2026-10-07T06:47:59+08:00' }, localContext('d'))).rejects.toThrow('down');
    expect(deadlineEvents().map((e) => e['detail-type'])).toEqual(['Case.DueSoon']);
  });
});

describe('syncTimers over a batch', () => {
  async function dispatchedCases(n: number) {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const c = received12345({ ticketId: `WH-BATCH-${i}` });
      await store.createAll([c]);
      await processCase(
        { store, classify: () => decision(), deadlines: deadlinesFor, rules: deployedRules, clusterRules, groupKeysOf, now: clock.date },
        c.caseId,
      );
      ids.push(c.caseId);
    }
    return Promise.all(ids.map(async (id) => (await store.get(id))!));
  }

  it('plans every case of the batch concurrently, one schedule each, and syncs a case listed twice once', async () => {
    const cases = await dispatchedCases(5);
    let inFlight = 0;
    let maxInFlight = 0;
    const calls: string[] = [];
    const counting: DeadlineScheduler = {
      set: async (t) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setImmediate(r));
        calls.push(t.name);
        inFlight--;
      },
      clear: async () => undefined,
    };
    const out = await syncTimers(counting, [...cases, cases[0]!], clock.date(), { rules: deployedRules });
    expect(out.map((o) => [o.caseId, o.next])).toEqual(cases.map((c) => [c.caseId, '2026-10-07T06:47:59+08:00']));
    expect(calls.sort()).toEqual(cases.map((c) => c.caseId).sort());
    expect(maxInFlight).toBe(5);
  });

  it('a failure for some cases: `report` marks just those (for a partial batch response); `throw` names them after trying all', async () => {
    const cases = await dispatchedCases(3);
    const bad = cases[1]!.caseId;
    const set: string[] = [];
    const flaky: DeadlineScheduler = {
      set: async (t) => {
        if (t.caseId === bad) throw new Error('ThrottlingException');
        set.push(t.caseId);
      },
      clear: async () => undefined,
    };
    const reported = await syncTimers(flaky, cases, clock.date(), { onError: 'report', rules: deployedRules });
    expect(reported.filter((r) => r.error).map((r) => [r.caseId, r.error])).toEqual([[bad, 'Error: ThrottlingException']]);
    expect(set.sort()).toEqual([cases[0]!.caseId, cases[2]!.caseId].sort());
    set.length = 0;
    const thrown = await syncTimers(flaky, cases, clock.date(), { rules: deployedRules }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(TimersNotSyncedError);
    expect((thrown as TimersNotSyncedError).caseIds).toEqual([bad]);
    expect(set).toHaveLength(2); // the others were synced all the same
  });

  it('deletes the schedule of a case that has no moment left, and makes no call for one that never had timers', async () => {
    const [c] = await dispatchedCases(1);
    const calls: string[] = [];
    const recording: DeadlineScheduler = { set: async (t) => void calls.push(`set ${t.at}`), clear: async (id) => void calls.push(`clear ${id}`) };
    const accepted = (await performAction({ rules: deployedRules, store, now: clock.date }, agent, c!.caseId, 'accept', {})).case;
    const replied = (await performAction({ rules: deployedRules, store, now: clock.date }, agent, c!.caseId, 'reply', { result: '已处理' })).case;
    await syncTimers(recording, [accepted], clock.date(), { rules: deployedRules });
    await syncTimers(recording, [replied], clock.date(), { rules: deployedRules });
    await syncTimers(recording, [received12345({ ticketId: 'WH-NEVER' })], clock.date(), { rules: deployedRules });
    expect(calls).toEqual(['set 2026-10-19T06:47:59+08:00', `clear ${c!.caseId}`]);
  });
});

describe('timers of linked cases (府检联动)', () => {
  const DEPT = '150300:procuratorate.pil' as const;

  async function dispatchWithClue(): Promise<string> {
    const deps: ProcessDeps = {
      store,
      classify: () => decision({ clue: 'public_interest', referralAgencyId: DEPT }),
      deadlines: deadlinesFor,
      rules: deployedRules,
      clusterRules,
      groupKeysOf,
      now: clock.date,
    };
    await processCase(deps, caseId);
    return (await store.get(caseId))!.referrals![0]!.caseId;
  }

  it('a referred clue warns before its 30-day evaluation deadline, is marked overdue once, and counts in the report', async () => {
    const clueId = await dispatchWithClue();
    const clue0 = (await store.get(clueId))!;
    const clueTimers = planTimers(clue0, deployedRules);
    expect(clueTimers.map((t) => `${t.payload.deadline}.${t.payload.timer}`)).toEqual(['evaluateBy.dueSoon', 'evaluateBy.overdue']);
    expect((await scheduler.list()).filter((t) => t.caseId === clueId).map((t) => t.at)).toEqual([clueTimers[0]!.at]); // its one schedule
    const evaluateBy = clue0.deadlines!.evaluateBy!;
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
    const again = await fireTimer(
      { store, bus, rules: deployedRules },
      { caseId: clueId, timer: 'overdue', deadline: 'evaluateBy', dueAt: evaluateBy, version: 1 },
    );
    expect(again.fired).toBe(true);
    expect((await store.get(clueId))!.overdue).toHaveLength(1);
    expect(row('2026-10')).toEqual({ overdue: 1 });
  });

  it('accepting the clue in time cancels its timers', async () => {
    const clueId = await dispatchWithClue();
    await performAction(actionDeps(), { role: 'agent', agencyId: DEPT }, clueId, 'accept', {});
    expect((await scheduler.list()).filter((t) => t.caseId === clueId)).toEqual([]);
    expect(bus.archive.some((e) => e['detail-type'] === 'Clue.Accepted' && e.detail['caseId'] === clueId)).toBe(true);
  });

  it('a recommendation warns at 80 % of its two months and publishes Recommendation.Overdue, not Case.Overdue', async () => {
    const clueId = await dispatchWithClue();
    const issued = await issueRecommendationAction(
      { store, now: clock.date, rules: deployedRules },
      { role: 'supervisor', agencyId: DEPT },
      {
        agencyId: OWNER,
        subjectCaseId: clueId,
        content: '建议依法查处',
        urgent: false,
      },
    );
    const recId = issued.case.caseId;
    expect(issued.case.deadlines?.replyBy).toBe('2026-11-30T23:59:59+08:00');
    await advance('2026-12-01T00:00:00+08:00');
    const types = bus.archive.filter((e) => e.detail['caseId'] === recId).map((e) => e['detail-type']);
    expect(types).toEqual(['Case.Dispatched', 'Recommendation.Issued', 'Case.DueSoon', 'Recommendation.Overdue']);
    const overdue = bus.archive.find((e) => e['detail-type'] === 'Recommendation.Overdue')!;
    expect(overdue.detail).toMatchObject({ agencyId: OWNER, issuedBy: DEPT, replyBy: '2026-11-30T23:59:59+08:00', subjectCaseId: clueId });
  });
});
