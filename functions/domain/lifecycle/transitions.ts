/**
 * The case lifecycle of product.md §5, declared ONCE as data: which action moves a case from which states to
 * which state, who may do it, what the request must carry, and which event it produces. The domain functions
 * (`apply.ts`), the events (`events.ts`), the HTTP routes, the docs (docs/lifecycle.md) and the tests
 * (generated from this table) all read it; a change here is a change everywhere.
 *
 * Decisions the spec leaves open:
 * - Extension (延期) is two steps: the agency's agent (or supervisor) requests it (`extend`, accepted →
 *   extension_requested), the agency's supervisor grants it (`grant-extension`, extension_requested →
 *   accepted with the new reply deadline). While a request is pending the agency may still reply (the
 *   request lapses). One request per case (policy `extension.maxCount`), at most `extension.maxWorkingDays`.
 * - Return (退单) hands the case to the region's dispatch-center: status `returned`, agencyId = that
 *   dispatch-center. A case that was returned before goes to `needs_review` instead (`repeatTo`), so a
 *   person looks at it rather than bouncing it between agencies again.
 * - Route (分拨) is the dispatcher's action on a dispatch-center case (`needs_review` or `returned`): it
 *   dispatches the case to the agency named in the request, with deadlines recomputed from now, and
 *   publishes `Case.Dispatched` so the new agency's queue receives it.
 * - Close (结案) and reopen (重办, 回访不满意, once per case) are the owning agency's supervisor's; a reopened
 *   case gets fresh sign-for/reply deadlines and is accepted again.
 */
import type { EventType } from '../../../events/schemas.js';
import type { CaseStatus } from '../case/case.js';

export const ROLES = ['agent', 'supervisor', 'dispatcher', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = ['accept', 'return', 'extend', 'grant-extension', 'reply', 'close', 'reopen', 'route'] as const;
export type Action = (typeof ACTIONS)[number];

/** Request fields an action cannot do without. */
export type RequiredField = 'reason' | 'workingDays' | 'result' | 'agencyId';

/** Limits on how often an action may happen to one case. */
export type Guard =
  /** At most once per case. */
  | 'once'
  /** The deadline policy's extension limits (count), and the case must have a reply deadline to extend. */
  | 'extension-policy';

export interface TransitionRule {
  action: Action;
  /** The Chinese term the agencies use. */
  label: string;
  from: readonly CaseStatus[];
  to: CaseStatus;
  /** Where the action goes instead when the case has reached `to` before (a second return goes to review). */
  repeatTo?: CaseStatus;
  roles: readonly Role[];
  requires: readonly RequiredField[];
  guards: readonly Guard[];
  event: EventType;
}

export const TRANSITIONS: readonly TransitionRule[] = [
  { action: 'accept', label: '签收', from: ['dispatched', 'reopened'], to: 'accepted', roles: ['agent', 'supervisor'], requires: [], guards: [], event: 'Case.Accepted' },
  {
    action: 'return',
    label: '退单',
    from: ['dispatched', 'accepted'],
    to: 'returned',
    repeatTo: 'needs_review',
    roles: ['agent', 'supervisor'],
    requires: ['reason'],
    guards: [],
    event: 'Case.Returned',
  },
  {
    action: 'extend',
    label: '申请延期',
    from: ['accepted'],
    to: 'extension_requested',
    roles: ['agent', 'supervisor'],
    requires: ['reason', 'workingDays'],
    guards: ['extension-policy'],
    event: 'Case.ExtensionRequested',
  },
  { action: 'grant-extension', label: '批准延期', from: ['extension_requested'], to: 'accepted', roles: ['supervisor'], requires: [], guards: [], event: 'Case.ExtensionGranted' },
  { action: 'reply', label: '办结', from: ['accepted', 'extension_requested'], to: 'replied', roles: ['agent', 'supervisor'], requires: ['result'], guards: [], event: 'Case.Replied' },
  { action: 'close', label: '结案', from: ['replied'], to: 'closed', roles: ['supervisor'], requires: [], guards: [], event: 'Case.Closed' },
  { action: 'reopen', label: '重办', from: ['replied'], to: 'reopened', roles: ['supervisor'], requires: [], guards: ['once'], event: 'Case.Reopened' },
  { action: 'route', label: '分拨', from: ['needs_review', 'returned'], to: 'dispatched', roles: ['dispatcher'], requires: ['agencyId'], guards: [], event: 'Case.Dispatched' },
];

export function ruleFor(action: Action): TransitionRule {
  const r = TRANSITIONS.find((t) => t.action === action);
  if (!r) throw new Error(`no transition rule for action ${action}`);
  return r;
}

export const isAction = (s: string): s is Action => (ACTIONS as readonly string[]).includes(s);

/** The actions a role may ever take (the role matrix, derived from the table). `operator` reads only. */
export function actionsOf(role: Role): Action[] {
  return TRANSITIONS.filter((t) => t.roles.includes(role)).map((t) => t.action);
}

/**
 * The rule that produced a history entry, recognised by its (from, to) pair — unique across the table (a test
 * checks), so events can be rebuilt from the stored record alone.
 */
export function ruleOfEntry(from: CaseStatus | null, to: CaseStatus): TransitionRule | undefined {
  if (from === null) return undefined;
  return TRANSITIONS.find((t) => t.from.includes(from) && (t.to === to || t.repeatTo === to));
}
