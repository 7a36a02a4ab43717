/**
 * The lifecycle pinned to the spec, independently of the transition table: the list below is copied by hand from
 * product.md §5, docs/lifecycle.md ("Transitions") and docs/linkage.md (clue and recommendation actions), not
 * generated from functions/domain/lifecycle/transitions.ts. If the table changes, this test fails until the spec
 * (and this list) says the same.
 */
import { describe, expect, it } from 'vitest';
import { deployedRules } from '../../functions/config/deployed.js';
import { CASE_STATUSES, type CaseStatus } from '../../functions/domain/case/case.js';
import { ALL_ACTIONS, applyAction, TRANSITIONS_BY_KIND, type Action, type LifecycleCase } from '../../functions/domain/lifecycle/index.js';
import { CASE_KINDS, type CaseKind } from '../../functions/domain/taxonomy.js';
import { BODIES, caseIn } from '../cases/support.js';

type Row = [kind: CaseKind, action: Action, from: CaseStatus, to: CaseStatus];

const HOTLINE: [Action, CaseStatus, CaseStatus][] = [
  // product.md §5: received → dispatched → accepted (签收) → replied (办结) → closed
  ['accept', 'dispatched', 'accepted'],
  ['reply', 'accepted', 'replied'],
  ['close', 'replied', 'closed'],
  // dispatched/accepted → returned (退单, reason required) → dispatched again (re-routed)
  ['return', 'dispatched', 'returned'],
  ['return', 'accepted', 'returned'],
  ['route', 'returned', 'dispatched'],
  // docs/lifecycle.md: a case returned before goes to needs_review instead; the dispatcher routes it from there
  ['return', 'dispatched', 'needs_review'],
  ['return', 'accepted', 'needs_review'],
  ['route', 'needs_review', 'dispatched'],
  // accepted → extension_requested → accepted (new due date); the agency may still reply while a request is pending
  ['extend', 'accepted', 'extension_requested'],
  ['grant-extension', 'extension_requested', 'accepted'],
  ['reply', 'extension_requested', 'replied'],
  // replied → reopened (回访不满意, once) → accepted
  ['reopen', 'replied', 'reopened'],
  ['accept', 'reopened', 'accepted'],
  // docs/lifecycle.md "Disputes": a first return is a dispute the dispatcher upholds (reroute) or rejects (back)
  ['uphold', 'returned', 'dispatched'],
  ['reject', 'returned', 'dispatched'],
  // docs/merging.md: a merged ticket (重复诉求合并) is split out by the dispatcher and dispatched on its own
  ['split', 'merged', 'dispatched'],
];

const SPEC: Row[] = [
  ...HOTLINE.map(([a, f, t]): Row => ['ticket', a, f, t]),
  ...HOTLINE.map(([a, f, t]): Row => ['transfer', a, f, t]),
  // docs/linkage.md: a clue is accepted (受理线索) or declined (不予立案) when referred; an accepted clue is closed
  ['clue', 'accept', 'dispatched', 'accepted'],
  ['clue', 'decline', 'dispatched', 'closed'],
  ['clue', 'close', 'accepted', 'closed'],
  // docs/linkage.md: the agency may accept (签收) a recommendation and must reply to it
  ['recommendation', 'accept', 'dispatched', 'accepted'],
  ['recommendation', 'reply', 'dispatched', 'replied'],
  ['recommendation', 'reply', 'accepted', 'replied'],
];

const key = ([k, a, f, t]: Row) => `${k} ${a}: ${f} → ${t}`;

describe('the transition table against the spec', () => {
  it('allows exactly the transitions of the spec, for every kind of case', () => {
    const table = CASE_KINDS.flatMap((kind) =>
      TRANSITIONS_BY_KIND[kind].flatMap((r) =>
        r.from.flatMap((from) => [r.to, ...(r.repeatTo ? [r.repeatTo] : [])].map((to) => key([kind, r.action, from, to]))),
      ),
    );
    expect(new Set(table).size).toBe(table.length);
    expect([...table].sort()).toEqual(SPEC.map(key).sort());
  });

  // Behaviour: applyAction on a real case in each status, by a role the docs give the action (the dispatcher routes,
  // the supervisor does everything else), moves exactly the pinned (kind, action, from) and refuses all others.
  const firstTo = (kind: CaseKind, action: Action, from: CaseStatus) => SPEC.find(([k, a, f]) => k === kind && a === action && f === from)?.[3];
  const cases = CASE_KINDS.flatMap((kind) =>
    CASE_STATUSES.flatMap((from) => ALL_ACTIONS.map((action) => ({ kind, action, from, want: firstTo(kind, action, from) }))),
  );

  it.each(cases)('$kind: $action from $from → $want', ({ kind, action, from, want }) => {
    const c: LifecycleCase = { ...caseIn(from), kind };
    const role = action === 'route' || action === 'uphold' || action === 'reject' || action === 'split' ? 'dispatcher' : 'supervisor';
    const r = applyAction(c, action, BODIES[action], { role, agencyId: c.agencyId ?? null }, '2026-10-08T02:00:00.000Z', deployedRules);
    if (want === undefined) {
      expect(r.ok).toBe(false);
      return;
    }
    expect(r).toMatchObject({ ok: true, next: { status: want } });
  });

  it('sends a case returned a second time to needs_review, not back to returned', () => {
    const once = applyAction(
      caseIn('dispatched'),
      'return',
      BODIES.return,
      { role: 'agent', agencyId: caseIn('dispatched').agencyId! },
      '2026-10-08T02:00:00.000Z',
      deployedRules,
    );
    if (!once.ok) throw new Error('first return refused');
    expect(once.next.status).toBe('returned');
    const routed = applyAction(
      once.next,
      'route',
      BODIES.route,
      { role: 'dispatcher', agencyId: once.next.agencyId! },
      '2026-10-08T03:00:00.000Z',
      deployedRules,
    );
    if (!routed.ok) throw new Error('route refused');
    const again = applyAction(
      routed.next,
      'return',
      BODIES.return,
      { role: 'agent', agencyId: routed.next.agencyId! },
      '2026-10-08T04:00:00.000Z',
      deployedRules,
    );
    expect(again).toMatchObject({ ok: true, next: { status: 'needs_review' } });
  });

  it('reopens a case once only (回访不满意, once)', () => {
    const reopened = caseIn('reopened');
    const actor = { role: 'agent' as const, agencyId: reopened.agencyId! };
    const accepted = applyAction(reopened, 'accept', BODIES.accept, actor, '2026-10-08T02:00:00.000Z', deployedRules);
    if (!accepted.ok) throw new Error('accept refused');
    const replied = applyAction(accepted.next, 'reply', BODIES.reply, actor, '2026-10-08T03:00:00.000Z', deployedRules);
    if (!replied.ok) throw new Error('reply refused');
    const twice = applyAction(replied.next, 'reopen', BODIES.reopen, { ...actor, role: 'supervisor' }, '2026-10-08T04:00:00.000Z', deployedRules);
    expect(twice).toMatchObject({ ok: false, error: 'invalid_transition' });
  });
});
