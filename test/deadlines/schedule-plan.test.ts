import { describe, expect, it } from 'vitest';
import { deployedRules } from '../../functions/config/deployed.js';
import { deadlinesFor } from '../../functions/config/decide.js';
import type { CaseRecord } from '../../functions/domain/case/case.js';
import { dispatch } from '../../functions/domain/case/dispatch.js';
import { allTimerNames, planTimers, stillPlanned, timerName, upcomingTimers, type PlannedTimer } from '../../functions/domain/deadlines/schedule-plan.js';
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
    const granted = step(step(accepted, 'extend', 'agent', '2026-10-02T01:00:00.000Z', { reason: '复核', workingDays: 5 }), 'grant-extension', 'supervisor', '2026-10-03T01:00:00.000Z');
    expect(granted.deadlines?.replyBy).toBe('2026-10-30T23:59:59+08:00');
    const p = plan(granted);
    expect(p.map((t) => t.name)).toEqual(plan(accepted).map((t) => t.name));
    expect(summary(p)).toEqual(['replyBy.dueSoon@2026-10-24T21:11:59+08:00', 'replyBy.overdue@2026-10-30T23:59:59+08:00', 'replyBy.escalation@2026-11-06T23:59:59+08:00']);
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
    expect(p.map((t) => `${t.payload.deadline}.${t.payload.timer}`)).toEqual(['acceptBy.dueSoon', 'acceptBy.overdue', 'replyBy.dueSoon', 'replyBy.overdue', 'replyBy.escalation']);
    expect(p.find((t) => t.payload.deadline === 'acceptBy' && t.payload.timer === 'overdue')!.at).toBe('2026-10-13T23:59:59+08:00');
    expect(p.every((t) => t.payload.version === reopened.version)).toBe(true);
  });

  it('12309 tickets: procedural (7 days) and result (3 months) reply timers from receipt, until replied', () => {
    const c = dispatch(received12309(), decision({ domain: 'judicial_affairs', agencyId: '150300:procuratorate', ticketType: 'appeal' as never }), deadlinesFor, DISPATCH_AT);
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

  it('names are deterministic, unique per case and timer, and valid EventBridge Scheduler names', () => {
    const id = dispatched().caseId;
    const names = allTimerNames(id);
    expect(names).toHaveLength(11);
    expect(new Set(names).size).toBe(11);
    for (const n of names) expect(n).toMatch(/^[0-9A-Za-z_.-]{1,64}$/);
    expect(timerName(id, 'replyBy', 'escalation')).toBe(`${id}.replyBy.escalation`);
    const long = timerName(`weird id/${'x'.repeat(80)}`, 'proceduralReplyBy', 'dueSoon');
    expect(long).toMatch(/^h-[0-9a-f]{32}\.proceduralReplyBy\.dueSoon$/);
    expect(timerName(`weird id/${'x'.repeat(80)}`, 'proceduralReplyBy', 'dueSoon')).toBe(long);
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
