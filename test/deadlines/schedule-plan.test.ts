import { describe, expect, it } from 'vitest';
import { deployedRules } from '../../functions/config/deployed.js';
import { deadlinesFor } from '../../functions/config/decide.js';
import type { CaseRecord } from '../../functions/domain/case/case.js';
import { dispatch } from '../../functions/domain/case/dispatch.js';
import {
  dueAtMoment,
  nextMoment,
  planTimers,
  scheduleName,
  stillPlanned,
  timerName,
  upcomingTimers,
  type PlannedTimer,
} from '../../functions/domain/deadlines/schedule-plan.js';
import { referClue } from '../../functions/domain/linkage/referral.js';
import { applyAction, type Action, type ActionInput, type Role } from '../../functions/domain/lifecycle/index.js';
import { decision } from '../support/fixtures.js';
import { received12309, received12345 } from './support.js';

const _OWNER = '150302:ecology-environment';
const DISPATCH_AT = '2026-09-30T02:00:00.000Z'; // 10:00 Shanghai

function step(c: CaseRecord, action: Action, role: Role, at: string, input: ActionInput = {}): CaseRecord {
  const o = applyAction(c, action, input, { role, agencyId: (c.agencyId ?? null) as never }, at, deployedRules);
  if (!o.ok) throw new Error(`${action}: ${JSON.stringify(o)}`);
  return o.next;
}

const dispatched = () => dispatch(received12345(), decision(), deadlinesFor, DISPATCH_AT);
const plan = (c: CaseRecord) => planTimers(c, deployedRules);
const summary = (p: PlannedTimer[]) => p.map((t) => `${t.payload.deadline}.${t.payload.timer}@${t.at}`);

describe('schedule plan (pure)', () => {
  it('dispatched: sign-for due-soon at 80 % between dispatch and acceptBy, overdue at acceptBy', () => {
    const c = dispatched();
    expect(c.deadlines?.acceptBy).toBe('2026-10-08T23:59:59+08:00');
    expect(summary(plan(c))).toEqual(['acceptBy.dueSoon@2026-10-07T06:47:59+08:00', 'acceptBy.overdue@2026-10-08T23:59:59+08:00']);
    // 80 %: 741 599 s from 2026-09-30 10:00 to 2026-10-08 23:59:59; 0.8 × that = 593 279 s = 6 d 20:47:59 later.
    const [soon] = plan(c);
    expect(soon!.payload).toEqual({ caseId: c.caseId, timer: 'dueSoon', deadline: 'acceptBy', dueAt: '2026-10-08T23:59:59+08:00', version: 2 });
  });

  it('accepted and extension_requested: reply due-soon, overdue, and escalation 5 working days after due', () => {
    const accepted = step(dispatched(), 'accept', 'agent', '2026-10-01T01:00:00.000Z');
    const expected = ['replyBy.dueSoon@2026-10-19T06:47:59+08:00', 'replyBy.overdue@2026-10-23T23:59:59+08:00', 'replyBy.escalation@2026-10-30T23:59:59+08:00'];
    expect(summary(plan(accepted))).toEqual(expected);
    const requested = step(accepted, 'extend', 'agent', '2026-10-02T01:00:00.000Z', { reason: '需要现场复核', workingDays: 5 });
    expect(requested.status).toBe('extension_requested');
    expect(plan(requested)).toEqual(plan(accepted)); // same names, same times: nothing moves until granted
  });

  it('an extension grant moves the reply timers (same names, new times, new period version)', () => {
    const accepted = step(dispatched(), 'accept', 'agent', '2026-10-01T01:00:00.000Z');
    const granted = step(
      step(accepted, 'extend', 'agent', '2026-10-02T01:00:00.000Z', { reason: '复核', workingDays: 5 }),
      'grant-extension',
      'supervisor',
      '2026-10-03T01:00:00.000Z',
    );
    expect(granted.deadlines?.replyBy).toBe('2026-10-30T23:59:59+08:00');
    const p = plan(granted);
    expect(p.map((t) => t.name)).toEqual(plan(accepted).map((t) => t.name));
    expect(summary(p)).toEqual([
      'replyBy.dueSoon@2026-10-24T21:11:59+08:00',
      'replyBy.overdue@2026-10-30T23:59:59+08:00',
      'replyBy.escalation@2026-11-06T23:59:59+08:00',
    ]);
    expect(p.every((t) => t.payload.version === granted.version)).toBe(true);
  });

  it('replied, closed, returned, received and needs_review have no timers', () => {
    const accepted = step(dispatched(), 'accept', 'agent', '2026-10-01T01:00:00.000Z');
    const replied = step(accepted, 'reply', 'agent', '2026-10-05T01:00:00.000Z', { result: '已处理' });
    expect(plan(replied)).toEqual([]);
    expect(plan(step(replied, 'close', 'supervisor', '2026-10-06T01:00:00.000Z'))).toEqual([]);
    expect(plan(step(dispatched(), 'return', 'agent', '2026-10-01T01:00:00.000Z', { reason: '不属于本单位' }))).toEqual([]);
    expect(plan(received12345())).toEqual([]);
    expect(plan(dispatch(received12345(), decision({ needsReview: true, agencyId: '150300:dispatch-center' }), deadlinesFor, DISPATCH_AT))).toEqual([]);
  });

  it('reopened: fresh sign-for and reply timers counted from the reopening', () => {
    const replied = step(step(dispatched(), 'accept', 'agent', '2026-10-01T01:00:00.000Z'), 'reply', 'agent', '2026-10-05T01:00:00.000Z', { result: '已处理' });
    const reopened = step(replied, 'reopen', 'supervisor', '2026-10-12T02:00:00.000Z', { reason: '回访不满意' });
    const p = plan(reopened);
    expect(p.map((t) => `${t.payload.deadline}.${t.payload.timer}`)).toEqual([
      'acceptBy.dueSoon',
      'acceptBy.overdue',
      'replyBy.dueSoon',
      'replyBy.overdue',
      'replyBy.escalation',
    ]);
    expect(p.find((t) => t.payload.deadline === 'acceptBy' && t.payload.timer === 'overdue')!.at).toBe('2026-10-13T23:59:59+08:00');
    expect(p.every((t) => t.payload.version === reopened.version)).toBe(true);
  });

  it('12309 tickets: procedural (7 days) and result (3 months) reply timers from receipt, until replied', () => {
    const c = dispatch(
      received12309(),
      decision({ domain: 'judicial_affairs', agencyId: '150300:procuratorate', ticketType: 'appeal' as never }),
      deadlinesFor,
      DISPATCH_AT,
    );
    expect(summary(plan(c))).toEqual([
      'proceduralReplyBy.dueSoon@2026-10-06T11:35:59+08:00',
      'proceduralReplyBy.overdue@2026-10-07T23:59:59+08:00',
      'resultReplyBy.dueSoon@2026-12-12T16:23:59+08:00',
      'resultReplyBy.overdue@2026-12-30T23:59:59+08:00',
    ]);
    const accepted = step(c, 'accept', 'agent', '2026-10-01T01:00:00.000Z');
    expect(plan(accepted).map((t) => t.payload.deadline)).toEqual(['proceduralReplyBy', 'proceduralReplyBy', 'resultReplyBy', 'resultReplyBy']);
    expect(plan(step(accepted, 'reply', 'agent', '2026-10-05T01:00:00.000Z', { result: '已答复' }))).toEqual([]);
  });

  it('12309 transfers: the government agency’s sign-for timers plus the 12309 reply timers', () => {
    const c = dispatch(received12309(), decision({ transfer: true }), deadlinesFor, DISPATCH_AT);
    expect(c.kind).toBe('transfer');
    expect(plan(c).map((t) => `${t.payload.deadline}.${t.payload.timer}`)).toEqual([
      'acceptBy.dueSoon',
      'acceptBy.overdue',
      'proceduralReplyBy.dueSoon',
      'proceduralReplyBy.overdue',
      'resultReplyBy.dueSoon',
      'resultReplyBy.overdue',
    ]);
  });

  it('one schedule name per case: deterministic, a valid EventBridge Scheduler name; timer names stay unique per case', () => {
    const id = dispatched().caseId;
    expect(scheduleName(id)).toBe(id);
    expect(scheduleName(id)).toMatch(/^[0-9A-Za-z_.-]{1,64}$/);
    const weird = `weird id/${'x'.repeat(80)}`;
    expect(scheduleName(weird)).toMatch(/^h-[0-9a-f]{32}$/);
    expect(scheduleName(weird)).toBe(scheduleName(weird));
    expect(scheduleName(weird)).not.toBe(scheduleName(`${weird}y`));
    // Timers keep their own identity (what a firing re-checks), unique per deadline and kind.
    expect(timerName(id, 'replyBy', 'escalation')).toBe(`${id}.replyBy.escalation`);
    const long = timerName(weird, 'proceduralReplyBy', 'dueSoon');
    expect(long).toMatch(/^h-[0-9a-f]{32}\.proceduralReplyBy\.dueSoon$/);
  });

  it('keeps only timers still ahead, and recognises a fired timer only while its deadline still applies', () => {
    const c = dispatched();
    const p = plan(c);
    expect(upcomingTimers(p, new Date('2026-10-07T00:00:00+08:00'))).toHaveLength(2);
    expect(upcomingTimers(p, new Date('2026-10-07T06:47:59+08:00')).map((t) => t.payload.timer)).toEqual(['overdue']);
    expect(stillPlanned(c, p[1]!.payload, deployedRules)).toBeDefined();
    const accepted = step(c, 'accept', 'agent', '2026-10-01T01:00:00.000Z');
    expect(stillPlanned(accepted, p[1]!.payload, deployedRules)).toBeUndefined();
    expect(stillPlanned(c, { ...p[1]!.payload, dueAt: '2026-10-09T23:59:59+08:00' }, deployedRules)).toBeUndefined();
  });
});

const ms = (iso: string) => Date.parse(iso);

describe('one schedule per case: the next moment', () => {
  it('is the earliest timer ahead across all the case’s deadlines (a 12309 transfer: sign-for, procedural and result replies)', () => {
    const c = dispatch(received12309(), decision({ transfer: true }), deadlinesFor, DISPATCH_AT);
    const p = plan(c);
    const next = nextMoment(p, ms(DISPATCH_AT))!;
    expect(next.at).toBe(p.map((t) => t.at).sort((a, b) => ms(a) - ms(b))[0]);
    expect(next.timers.map((t) => `${t.payload.deadline}.${t.payload.timer}`)).toEqual(['proceduralReplyBy.dueSoon']);
    // Walking the moments one after another visits every timer of the plan exactly once, in time order.
    const visited: string[] = [];
    for (let m = nextMoment(p, ms(DISPATCH_AT)); m; m = nextMoment(p, ms(m.at)))
      visited.push(...m.timers.map((t) => `${t.payload.deadline}.${t.payload.timer}@${t.at}`));
    expect(visited).toHaveLength(p.length);
    expect(visited.map((v) => ms(v.split('@')[1]!))).toEqual([...visited.map((v) => ms(v.split('@')[1]!))].sort((a, b) => a - b));
  });

  it('includes a referred clue’s evaluateBy', () => {
    const parent = dispatch(received12345(), decision({ clue: 'public_interest', referralAgencyId: '150300:procuratorate.pil' }), deadlinesFor, DISPATCH_AT);
    const clue = referClue(parent, DISPATCH_AT, deadlinesFor)!;
    const next = nextMoment(plan(clue), ms(DISPATCH_AT))!;
    expect(next.timers.map((t) => `${t.payload.deadline}.${t.payload.timer}`)).toEqual(['evaluateBy.dueSoon']);
    expect(nextMoment(plan(clue), ms(next.at))!.timers.map((t) => `${t.payload.deadline}.${t.payload.timer}@${t.at}`)).toEqual([
      `evaluateBy.overdue@${clue.deadlines!.evaluateBy}`,
    ]);
  });

  it('groups every timer planned at the same instant into one moment', () => {
    const c = dispatched();
    const [soon, overdue] = plan(c);
    const twin = { ...overdue!, name: 'twin', at: soon!.at };
    expect(nextMoment([soon!, overdue!, twin], ms(DISPATCH_AT))!.timers).toEqual([soon, twin]);
  });

  it('after a firing, the next moment is planned from that moment: due-soon → overdue → none', () => {
    const c = dispatched();
    const p = plan(c);
    const first = nextMoment(p, ms(DISPATCH_AT))!;
    expect(first.at).toBe('2026-10-07T06:47:59+08:00');
    const second = nextMoment(p, ms(first.at))!;
    expect(second.at).toBe('2026-10-08T23:59:59+08:00');
    expect(nextMoment(p, ms(second.at))).toBeUndefined();
  });

  it('a firing publishes the timers at its moment, and catches up on moments it passed when late', () => {
    const p = plan(dispatched());
    expect(dueAtMoment(p, '2026-10-07T06:47:59+08:00', ms('2026-10-07T06:47:59+08:00')).map((t) => t.payload.timer)).toEqual(['dueSoon']);
    expect(dueAtMoment(p, '2026-10-07T06:47:59+08:00', ms('2026-10-09T00:00:00+08:00')).map((t) => t.payload.timer)).toEqual(['dueSoon', 'overdue']);
    // The same instant written with another offset is the same moment.
    expect(dueAtMoment(p, '2026-10-06T22:47:59.000Z', ms('2026-10-07T06:47:59+08:00')).map((t) => t.payload.timer)).toEqual(['dueSoon']);
  });

  it('a stale moment publishes nothing: the extension moved the reply deadline, the case was accepted, or replied', () => {
    const accepted = step(dispatched(), 'accept', 'agent', '2026-10-01T01:00:00.000Z');
    const oldSoon = nextMoment(plan(accepted), ms('2026-10-01T01:00:00.000Z'))!.at;
    expect(oldSoon).toBe('2026-10-19T06:47:59+08:00');
    const granted = step(
      step(accepted, 'extend', 'agent', '2026-10-02T01:00:00.000Z', { reason: '复核', workingDays: 5 }),
      'grant-extension',
      'supervisor',
      '2026-10-03T01:00:00.000Z',
    );
    expect(dueAtMoment(plan(granted), oldSoon, ms('2026-10-30T00:00:00+08:00'))).toEqual([]);
    expect(nextMoment(plan(granted), ms(oldSoon))!.at).toBe('2026-10-24T21:11:59+08:00');
    // The sign-for moment of a case accepted since:
    expect(dueAtMoment(plan(accepted), '2026-10-07T06:47:59+08:00', ms('2026-10-07T06:47:59+08:00'))).toEqual([]);
    const replied = step(accepted, 'reply', 'agent', '2026-10-05T01:00:00.000Z', { result: '已处理' });
    expect(dueAtMoment(plan(replied), oldSoon, ms(oldSoon))).toEqual([]);
  });

  it('no moment once the case is replied or closed: its schedule is deleted', () => {
    const replied = step(step(dispatched(), 'accept', 'agent', '2026-10-01T01:00:00.000Z'), 'reply', 'agent', '2026-10-05T01:00:00.000Z', { result: '已处理' });
    expect(nextMoment(plan(replied), ms('2026-10-05T01:00:00.000Z'))).toBeUndefined();
    expect(nextMoment(plan(step(replied, 'close', 'supervisor', '2026-10-06T01:00:00.000Z')), 0)).toBeUndefined();
  });
});
