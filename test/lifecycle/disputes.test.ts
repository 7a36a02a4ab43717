/** Dispute review of returns (派单异议审核) in the domain: the dispute, its deadline, uphold, reject and the clock rule. */
import { describe, expect, it } from 'vitest';
import { deployedRules } from '../../functions/config/deployed.js';
import { applyAction, type Action, type ActionInput, type LifecycleCase, type LifecycleRules, type Role } from '../../functions/domain/lifecycle/index.js';
import { parseInstant } from '../../functions/domain/deadlines/time.js';
import { caseIn, CENTER, OWNER } from '../cases/support.js';

const RETURN_AT = '2026-10-09T02:00:00.000Z'; // a Friday
const DECIDE_AT = '2026-10-12T02:00:00.000Z'; // the Monday after: the dispute took three days

function step(c: LifecycleCase, action: Action, input: ActionInput, role: Role, at: string, rules: LifecycleRules = deployedRules): LifecycleCase {
  const r = applyAction(c, action, input, { role, agencyId: c.agencyId ?? null }, at, rules);
  if (!r.ok) throw new Error(`${action}: ${JSON.stringify(r)}`);
  return r.next;
}
const returned = (input: ActionInput = {}) =>
  step(
    caseIn('accepted'),
    'return',
    { reason: '不属于本单位职责', reasonKind: 'other_agency', suggestedAgencyId: '150302:market-regulation', ...input },
    'agent',
    RETURN_AT,
  );

describe('disputes', () => {
  it('opens a dispute on a first return, due one working day later, which orders the dispatch center’s queue', () => {
    const c = returned();
    expect(c).toMatchObject({ status: 'returned', agencyId: CENTER });
    expect(c.disputes).toEqual([
      {
        version: c.version,
        reasonKind: 'other_agency',
        suggestedAgencyId: '150302:market-regulation',
        fromAgencyId: OWNER,
        openedAt: RETURN_AT,
        decideBy: '2026-10-10T23:59:59+08:00', // Saturday 10 October 2026 is a make-up working day (调休)
      },
    ]);
    expect(c.dueAt).toBe(c.disputes![0]!.decideBy);
    expect(c.history.at(-1)!.note).toBe('[other_agency → 150302:market-regulation] 不属于本单位职责');
  });

  it('refuses a suggested agency the dispatch center could not route to, and an unknown reason kind', () => {
    const c = caseIn('dispatched');
    const actor = { role: 'agent' as const, agencyId: c.agencyId! };
    expect(applyAction(c, 'return', { reason: 'x', suggestedAgencyId: '150300:dispatch-center' }, actor, RETURN_AT, deployedRules)).toMatchObject({
      ok: false,
      error: 'invalid_input',
      path: 'suggestedAgencyId',
    });
    expect(applyAction(c, 'return', { reason: 'x', reasonKind: 'lazy' as never }, actor, RETURN_AT, deployedRules)).toMatchObject({ path: 'reasonKind' });
  });

  it('upholds to the suggested agency by default, with deadlines from the reroute', () => {
    const c = step(returned(), 'uphold', {}, 'dispatcher', DECIDE_AT);
    expect(c).toMatchObject({ status: 'dispatched', agencyId: '150302:market-regulation', dispatchedAt: DECIDE_AT });
    expect(c.disputes![0]).toMatchObject({ outcome: 'upheld', decidedAt: DECIDE_AT, decidedVersion: c.version, toAgencyId: '150302:market-regulation' });
    expect(applyAction(c, 'reject', { reason: 'x' }, { role: 'dispatcher', agencyId: CENTER }, DECIDE_AT, deployedRules)).toMatchObject({ ok: false });
  });

  it('counts a route of a disputed case as an uphold to the agency named', () => {
    const c = step(returned(), 'route', { agencyId: '150302:health' }, 'dispatcher', DECIDE_AT);
    expect(c.disputes![0]).toMatchObject({ outcome: 'upheld', toAgencyId: '150302:health' });
  });

  it('rejects back to the agency that returned it: fresh sign-for, the reply clock running by default', () => {
    const before = returned();
    const c = step(before, 'reject', { reason: '属于本单位职责' }, 'dispatcher', DECIDE_AT);
    expect(c).toMatchObject({ status: 'dispatched', agencyId: OWNER });
    expect(c.disputes![0]).toMatchObject({ outcome: 'rejected', toAgencyId: OWNER });
    expect(c.deadlines!.replyBy).toBe(before.deadlines!.replyBy);
    expect(c.deadlines!.acceptBy).toBe('2026-10-13T23:59:59+08:00'); // one working day from the rejection
    expect(c.dueAt).toBe(c.deadlines!.acceptBy);
  });

  it('with clockDuringDispute "stops", moves the reply deadline later by the dispute’s length', () => {
    const stops: LifecycleRules = { ...deployedRules, dispute: { ...deployedRules.dispute, clockDuringDispute: 'stops' } };
    const before = returned();
    const c = step(before, 'reject', { reason: '属于本单位职责' }, 'dispatcher', DECIDE_AT, stops);
    expect(parseInstant(c.deadlines!.replyBy!) - parseInstant(before.deadlines!.replyBy!)).toBe(parseInstant(DECIDE_AT) - parseInstant(RETURN_AT));
  });

  it('sends a second return to manual review, with no second dispute', () => {
    const back = step(returned(), 'reject', { reason: '属于本单位职责' }, 'dispatcher', DECIDE_AT);
    const again = step(back, 'return', { reason: '确实不属于本单位' }, 'agent', '2026-10-12T03:00:00.000Z');
    expect(again.status).toBe('needs_review');
    expect(again.disputes).toHaveLength(1);
    expect(applyAction(again, 'uphold', {}, { role: 'dispatcher', agencyId: CENTER }, DECIDE_AT, deployedRules)).toMatchObject({ ok: false });
  });
});
