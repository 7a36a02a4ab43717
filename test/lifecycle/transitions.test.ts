/**
 * The transition table, tested from the table itself: every (action, status, role) is checked against what the
 * table says, so changing a row changes the expectations. Plus the guards, history, and the events.
 */
import { describe, expect, it } from 'vitest';
import { assertValidEvent } from '../../events/validate.js';
import { deployedRules } from '../../functions/config/deployed.js';
import { CASE_STATUSES, type CaseStatus } from '../../functions/domain/case/case.js';
import { eventIdFor } from '../../functions/domain/case/event-id.js';
import {
  ACTIONS,
  actionsOf,
  allowedActions,
  applyAction,
  ROLES,
  ruleFor,
  ruleOfEntry,
  TRANSITIONS,
  transitionEvent,
  type Action,
  type LifecycleCase,
  type Role,
} from '../../functions/domain/lifecycle/index.js';
import { BODIES, caseIn, CENTER, OWNER } from '../cases/support.js';

const AT = '2026-10-08T02:00:00.000Z';
const actorFor = (role: Role, c: LifecycleCase) => ({ role, agencyId: role === 'operator' ? null : (c.agencyId ?? null) });

function expected(action: Action, status: CaseStatus, role: Role): 'forbidden' | 'invalid_transition' | CaseStatus {
  const rule = ruleFor(action);
  if (!rule.roles.includes(role)) return 'forbidden';
  if (!rule.from.includes(status)) return 'invalid_transition';
  return rule.to;
}

const matrix = ACTIONS.flatMap((action) =>
  CASE_STATUSES.flatMap((status) => ROLES.map((role) => ({ action, status, role, want: expected(action, status, role) }))),
);

describe('transition table', () => {
  it('declares every action once, with states and roles that exist', () => {
    expect(TRANSITIONS.map((t) => t.action).sort()).toEqual([...ACTIONS].sort());
    for (const t of TRANSITIONS) {
      for (const s of [...t.from, t.to, ...(t.repeatTo ? [t.repeatTo] : [])]) expect(CASE_STATUSES).toContain(s);
      for (const r of t.roles) expect(ROLES).toContain(r);
      expect(t.roles.length).toBeGreaterThan(0);
    }
  });

  it('names the event of every history entry by its (from, to) pair: rules that share a pair share their event', () => {
    const eventOf = new Map<string, string>();
    for (const t of TRANSITIONS)
      for (const f of t.from)
        for (const to of [t.to, ...(t.repeatTo ? [t.repeatTo] : [])]) {
          const pair = `${f}->${to}`;
          expect(eventOf.get(pair) ?? t.event, pair).toBe(t.event);
          eventOf.set(pair, t.event);
          expect(ruleOfEntry(f, to)?.event).toBe(t.event);
        }
    // Only the dispatcher's decisions on a returned case share a pair (route, uphold, reject: all Case.Dispatched).
    const shared = TRANSITIONS.filter((t) => t.from.includes('returned') && t.to === 'dispatched').map((t) => t.action);
    expect(shared.sort()).toEqual(['reject', 'route', 'uphold']);
    expect(ruleOfEntry(null, 'received')).toBeUndefined();
    expect(ruleOfEntry('received', 'dispatched')).toBeUndefined();
  });

  it('gives the role matrix of the issue: operator reads only, dispatcher routes, supervisor adds grant and close', () => {
    expect(actionsOf('operator')).toEqual([]);
    expect(actionsOf('dispatcher')).toEqual(['route', 'uphold', 'reject', 'split']);
    expect(actionsOf('agent').sort()).toEqual(['accept', 'extend', 'reply', 'return']);
    expect(actionsOf('supervisor').sort()).toEqual([...actionsOf('agent'), 'close', 'grant-extension', 'reopen'].sort());
  });

  it('requires reason for return, reason and workingDays for extend, result for reply, agencyId for route', () => {
    expect(ruleFor('return').requires).toEqual(['reason']);
    expect([...ruleFor('extend').requires].sort()).toEqual(['reason', 'workingDays']);
    expect(ruleFor('reply').requires).toEqual(['result']);
    expect(ruleFor('route').requires).toEqual(['agencyId']);
  });

  it.each(matrix)('$action on a $status case by $role → $want', ({ action, status, role, want }) => {
    const c = caseIn(status);
    const r = applyAction(c, action, BODIES[action], actorFor(role, c), AT, deployedRules);
    if (want === 'forbidden' || want === 'invalid_transition') {
      expect(r).toMatchObject({ ok: false, error: want });
      if (!r.ok && r.error === 'invalid_transition') {
        expect(r.status).toBe(status);
        expect(r.allowed).not.toContain(action);
        for (const a of r.allowed) expect(expected(a, status, role)).not.toMatch(/forbidden|invalid_transition/);
      }
      return;
    }
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.next.status).toBe(want);
    expect(r.next.version).toBe(c.version + 1);
    expect(r.next.history).toHaveLength(c.history.length + 1);
    expect(r.next.history.slice(0, -1)).toEqual(c.history);
    expect(r.entry).toMatchObject({ version: c.version + 1, at: AT, from: status, to: want, by: `${role}@${c.agencyId}` });
    expect(r.next.history.at(-1)).toEqual(r.entry);
    const e = transitionEvent(r.next);
    expect(e.type).toBe(ruleFor(action).event);
    expect(e.detail.eventId).toBe(eventIdFor(c.caseId, e.type, c.version + 1));
    expect(() => assertValidEvent(e)).not.toThrow();
  });

  it('lists, for each status and role, exactly the actions the table allows', () => {
    for (const status of CASE_STATUSES) {
      const c = caseIn(status);
      for (const role of ROLES) {
        const want = TRANSITIONS.filter((t) => role !== 'operator' && t.roles.includes(role) && t.from.includes(status)).map((t) => t.action);
        expect(allowedActions(c, actorFor(role, c), deployedRules), `${status}/${role}`).toEqual(want);
      }
      expect(allowedActions(c, { role: 'supervisor', agencyId: '150302:tax' }, deployedRules)).toEqual([]);
    }
  });
});

describe('transition rules', () => {
  const by = (role: Role, c: LifecycleCase) => ({ role, agencyId: c.agencyId ?? null });
  const step = (c: LifecycleCase, action: Action, role: Role, input = BODIES[action]) => {
    const r = applyAction(c, action, input, by(role, c), AT, deployedRules);
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r.next;
  };

  it('accepting moves the due date to the reply deadline', () => {
    const c = step(caseIn('dispatched'), 'accept', 'agent');
    expect(c.dueAt).toBe(c.deadlines?.replyBy);
  });

  it('returns to the region dispatch-center; a second return goes to review instead', () => {
    const once = step(caseIn('accepted'), 'return', 'agent');
    expect(once).toMatchObject({ status: 'returned', agencyId: CENTER });
    const routed = step(once, 'route', 'dispatcher', { agencyId: OWNER });
    expect(routed).toMatchObject({ status: 'dispatched', agencyId: OWNER, dispatchedAt: AT });
    // Deadlines recomputed from the route time (2026-10-08, Shanghai): sign-for 1 working day later.
    expect(routed.deadlines?.acceptBy).toBe('2026-10-09T23:59:59+08:00');
    expect(routed.dueAt).toBe(routed.deadlines?.acceptBy);
    const twice = step(routed, 'return', 'agent');
    expect(twice).toMatchObject({ status: 'needs_review', agencyId: CENTER });
    expect(transitionEvent(twice).type).toBe('Case.Returned');
  });

  it('refuses a route to an unknown agency or to a dispatch-center', () => {
    const c = caseIn('returned');
    for (const agencyId of ['150302:no-such-kind', CENTER]) {
      expect(applyAction(c, 'route', { agencyId }, by('dispatcher', c), AT, deployedRules)).toMatchObject({
        ok: false,
        error: 'invalid_input',
        path: 'agencyId',
      });
    }
  });

  it('grants an extension of the requested working days, once', () => {
    const requested = step(caseIn('accepted'), 'extend', 'agent', { reason: '需要现场复核', workingDays: 5 });
    expect(requested.extension).toMatchObject({ requestedWorkingDays: 5, status: 'requested' });
    const granted = step(requested, 'grant-extension', 'supervisor');
    // replyBy 2026-10-23 (Fri) + 5 working days = 2026-10-30.
    expect(granted.deadlines?.replyBy).toBe('2026-10-30T23:59:59+08:00');
    expect(granted).toMatchObject({
      status: 'accepted',
      dueAt: '2026-10-30T23:59:59+08:00',
      extension: { status: 'granted', previousReplyBy: '2026-10-23T23:59:59+08:00' },
    });
    expect(transitionEvent(granted).detail).toMatchObject({ dueAt: '2026-10-30T23:59:59+08:00' });
    const again = applyAction(granted, 'extend', BODIES.extend, by('agent', granted), AT, deployedRules);
    expect(again).toMatchObject({ ok: false, error: 'invalid_transition', status: 'accepted', reason: 'at most 1 extension(s) per case' });
    expect(allowedActions(granted, by('agent', granted), deployedRules)).not.toContain('extend');
  });

  it('refuses an extension longer than the policy allows', () => {
    const c = caseIn('accepted');
    expect(applyAction(c, 'extend', { reason: 'x', workingDays: 11 }, by('agent', c), AT, deployedRules)).toMatchObject({
      ok: false,
      error: 'invalid_input',
      path: 'workingDays',
    });
  });

  it('lets the agency reply while an extension is pending (the request lapses)', () => {
    const c = step(caseIn('extension_requested'), 'reply', 'agent');
    expect(c).toMatchObject({ status: 'replied', extension: { status: 'lapsed' } });
  });

  it('reopens a case stored with a receivedAt no deadline can count from (before ingest bounded it) instead of throwing', () => {
    for (const receivedAt of ['+010000-01-01T00:00:00+08:00', '2026-09-30T09:15:00.123456789+08:00', '9999-12-31T23:59:59+08:00']) {
      const reopened = step({ ...caseIn('replied'), receivedAt }, 'reopen', 'supervisor');
      expect(reopened.deadlines?.acceptBy, receivedAt).toBe('2026-10-09T23:59:59+08:00');
    }
  });

  it('reopens once, with fresh deadlines, and a reopened case is accepted again', () => {
    const reopened = step(caseIn('replied'), 'reopen', 'supervisor');
    expect(reopened.deadlines?.acceptBy).toBe('2026-10-09T23:59:59+08:00');
    const replied = step(step(reopened, 'accept', 'agent'), 'reply', 'agent');
    const r = applyAction(replied, 'reopen', {}, by('supervisor', replied), AT, deployedRules);
    expect(r).toMatchObject({ ok: false, error: 'invalid_transition', reason: 'a case is reopened at most once' });
    expect(step(replied, 'close', 'supervisor').status).toBe('closed');
  });

  it('refuses an action without its required field', () => {
    const c = caseIn('accepted');
    expect(applyAction(c, 'return', { reason: '  ' }, by('agent', c), AT, deployedRules)).toMatchObject({ ok: false, error: 'invalid_input', path: 'reason' });
    expect(applyAction(c, 'reply', {}, by('agent', c), AT, deployedRules)).toMatchObject({ ok: false, error: 'invalid_input', path: 'result' });
  });

  it('masks phone and ID numbers in history notes and events; names the role and agency, never a person', () => {
    const c = step(caseIn('accepted'), 'reply', 'agent', { result: '已联系来电人，电话13912345678，身份证150302199001011234，已处理' });
    const entry = c.history.at(-1)!;
    expect(entry.note).toBe('已联系来电人，电话139****5678，身份证150302********1234，已处理');
    expect(entry.by).toBe(`agent@${OWNER}`);
    const e = JSON.stringify(transitionEvent(c));
    for (const pii of ['13912345678', '150302199001011234', '张三', '13800001111']) expect(e).not.toContain(pii);
    expect(c.reply?.result).toContain('13912345678'); // stored for the owner
  });

  it('rebuilds the identical event from the stored record', () => {
    const c = step(caseIn('dispatched'), 'accept', 'agent');
    expect(transitionEvent(structuredClone(c))).toEqual(transitionEvent(c));
    expect(transitionEvent(c, c.history.at(-1))).toEqual(transitionEvent(c));
    expect(() => transitionEvent(caseIn('dispatched'))).toThrow(/not a lifecycle transition/);
  });
});

describe('a record that would outgrow one store item', () => {
  it('refuses the action that would make it too big, with words, instead of failing in the store on every retry', () => {
    let c: LifecycleCase = caseIn('dispatched');
    const reason = '不属于本单位职责'.repeat(60); // a long, allowed note: 480 characters per return
    let refused: ReturnType<typeof applyAction> | undefined;
    for (let i = 0; i < 2000 && !refused; i++) {
      const back = applyAction(c, 'return', { reason }, { role: 'agent', agencyId: c.agencyId ?? null }, AT, deployedRules);
      if (!back.ok) {
        refused = back;
        break;
      }
      const routed = applyAction(back.next, 'route', { agencyId: OWNER }, { role: 'dispatcher', agencyId: CENTER }, AT, deployedRules);
      if (!routed.ok) refused = routed;
      else c = routed.next;
    }
    expect(refused).toMatchObject({ ok: false, error: 'invalid_transition', reason: expect.stringContaining('the case record is full') });
    // what was saved last still fits an item, with room for the contact and keys
    expect(new TextEncoder().encode(JSON.stringify(c)).length).toBeLessThanOrEqual(300 * 1024);
    expect(c.history.length).toBeGreaterThan(100);
  });
});
