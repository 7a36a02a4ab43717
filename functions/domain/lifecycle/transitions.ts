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
 * - A first return is a dispute (派单异议) with its reason kind and its own deadline (config/dispute-policy.json).
 *   The region's dispatcher upholds it (`uphold`: reroutes, by default to the agency the return suggested; `route`
 *   on a disputed case is the same decision with the agency named) or rejects it (`reject`: back to the agency that
 *   returned it, with a fresh sign-for deadline; whether its reply clock ran during the dispute is the policy's
 *   `clockDuringDispute`).
 * - A merged ticket (重复诉求合并) leaves `merged` only by the dispatcher's `split`, which dispatches it to the agency
 *   its own classification chose, with deadlines from the split.
 * Several rules share (returned → dispatched); all of them publish `Case.Dispatched`, so an entry still names its
 * event. Which decision it was is on the record (`disputes`).
 */
import type { EventType } from '../../../events/schemas.js';
import type { CaseKind, CaseStatus } from '../case/case.js';

export const ROLES = ['agent', 'supervisor', 'dispatcher', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** The actions on hotline cases (tickets and transfers). */
export const ACTIONS = ['accept', 'return', 'extend', 'grant-extension', 'reply', 'close', 'reopen', 'route', 'uphold', 'reject', 'split'] as const;
/** Actions only linked cases have: a procuratorate department declines a referred clue (不予立案). */
export const LINKED_ACTIONS = ['decline'] as const;
export const ALL_ACTIONS = [...ACTIONS, ...LINKED_ACTIONS] as const;
export type Action = (typeof ALL_ACTIONS)[number];

/** Request fields an action cannot do without. */
export type RequiredField = 'reason' | 'workingDays' | 'result' | 'agencyId';
/** Every request field an action may carry besides the free `note` (the HTTP body schemas are built from these). */
export type RequestField = RequiredField | 'reasonKind' | 'suggestedAgencyId';

/** Limits on how often an action may happen to one case. */
export type Guard =
  /** At most once per case. */
  | 'once'
  /** The deadline policy's extension limits (count), and the case must have a reply deadline to extend. */
  | 'extension-policy'
  /** The case's last return is a dispute nobody has decided yet. */
  | 'open-dispute';

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
  /** Fields the request may carry without requiring them (beside `note`, which every action takes). */
  accepts?: readonly RequestField[];
  guards: readonly Guard[];
  event: EventType;
  /** The deadline this action meets, when it meets one (the entry records whether in time). */
  meets?: 'acceptBy' | 'replyBy' | 'evaluateBy';
}

export const TRANSITIONS: readonly TransitionRule[] = [
  {
    action: 'accept',
    label: '签收',
    from: ['dispatched', 'reopened'],
    to: 'accepted',
    roles: ['agent', 'supervisor'],
    requires: [],
    guards: [],
    event: 'Case.Accepted',
    meets: 'acceptBy',
  },
  {
    action: 'return',
    label: '退单',
    from: ['dispatched', 'accepted'],
    to: 'returned',
    repeatTo: 'needs_review',
    roles: ['agent', 'supervisor'],
    requires: ['reason'],
    accepts: ['reasonKind', 'suggestedAgencyId'],
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
  {
    action: 'grant-extension',
    label: '批准延期',
    from: ['extension_requested'],
    to: 'accepted',
    roles: ['supervisor'],
    requires: [],
    guards: [],
    event: 'Case.ExtensionGranted',
  },
  {
    action: 'reply',
    label: '办结',
    from: ['accepted', 'extension_requested'],
    to: 'replied',
    roles: ['agent', 'supervisor'],
    requires: ['result'],
    guards: [],
    event: 'Case.Replied',
    meets: 'replyBy',
  },
  { action: 'close', label: '结案', from: ['replied'], to: 'closed', roles: ['supervisor'], requires: [], guards: [], event: 'Case.Closed' },
  {
    action: 'reopen',
    label: '重办',
    from: ['replied'],
    to: 'reopened',
    roles: ['supervisor'],
    requires: [],
    accepts: ['reason'],
    guards: ['once'],
    event: 'Case.Reopened',
  },
  {
    action: 'route',
    label: '分拨',
    from: ['needs_review', 'returned'],
    to: 'dispatched',
    roles: ['dispatcher'],
    requires: ['agencyId'],
    guards: [],
    event: 'Case.Dispatched',
  },
  {
    action: 'uphold',
    label: '异议成立（改派）',
    from: ['returned'],
    to: 'dispatched',
    roles: ['dispatcher'],
    requires: [],
    accepts: ['agencyId'],
    guards: ['open-dispute'],
    event: 'Case.Dispatched',
  },
  {
    action: 'reject',
    label: '异议不成立（退回原单位）',
    from: ['returned'],
    to: 'dispatched',
    roles: ['dispatcher'],
    requires: ['reason'],
    guards: ['open-dispute'],
    event: 'Case.Dispatched',
  },
  {
    action: 'split',
    label: '拆分（取消合并）',
    from: ['merged'],
    to: 'dispatched',
    roles: ['dispatcher'],
    requires: [],
    guards: [],
    event: 'Case.Dispatched',
  },
];

/**
 * A clue referred to a procuratorate department (线索移送, product.md §9): it arrives `dispatched` and the
 * department evaluates it within `evaluateBy` (30 days): accept = open an investigation (受理/立案调查), decline with
 * a reason (不予立案); an accepted clue is closed when the investigation ends.
 */
export const CLUE_TRANSITIONS: readonly TransitionRule[] = [
  {
    action: 'accept',
    label: '受理线索',
    from: ['dispatched'],
    to: 'accepted',
    roles: ['agent', 'supervisor'],
    requires: [],
    guards: [],
    event: 'Clue.Accepted',
    meets: 'evaluateBy',
  },
  {
    action: 'decline',
    label: '不予立案',
    from: ['dispatched'],
    to: 'closed',
    roles: ['agent', 'supervisor'],
    requires: ['reason'],
    guards: [],
    event: 'Clue.Declined',
    meets: 'evaluateBy',
  },
  { action: 'close', label: '结案', from: ['accepted'], to: 'closed', roles: ['supervisor'], requires: [], guards: [], event: 'Case.Closed' },
];

/**
 * A procuratorial recommendation (检察建议) to an agency: it arrives `dispatched`; the agency may sign for it and
 * must reply by `replyBy` (2 months, urgent 15 days); the reply sets the follow-up (回头看) date.
 */
export const RECOMMENDATION_TRANSITIONS: readonly TransitionRule[] = [
  { action: 'accept', label: '签收', from: ['dispatched'], to: 'accepted', roles: ['agent', 'supervisor'], requires: [], guards: [], event: 'Case.Accepted' },
  {
    action: 'reply',
    label: '回复检察建议',
    from: ['dispatched', 'accepted'],
    to: 'replied',
    roles: ['agent', 'supervisor'],
    requires: ['result'],
    guards: [],
    event: 'Recommendation.Replied',
    meets: 'replyBy',
  },
];

/** The transition table of each kind of case. */
export const TRANSITIONS_BY_KIND: Readonly<Record<CaseKind, readonly TransitionRule[]>> = {
  ticket: TRANSITIONS,
  transfer: TRANSITIONS,
  clue: CLUE_TRANSITIONS,
  recommendation: RECOMMENDATION_TRANSITIONS,
};

/** The rule of `action` for a kind of case; undefined when that kind has no such action. */
export function findRule(action: Action, kind: CaseKind = 'ticket'): TransitionRule | undefined {
  return TRANSITIONS_BY_KIND[kind].find((t) => t.action === action);
}

export function ruleFor(action: Action, kind: CaseKind = 'ticket'): TransitionRule {
  const r = findRule(action, kind);
  if (!r) throw new Error(`no transition rule for action ${action} on a ${kind} case`);
  return r;
}

/** Every rule of `action`, over all kinds of case (accept is one rule per kind). */
export function rulesOf(action: Action): TransitionRule[] {
  return Object.values(TRANSITIONS_BY_KIND).flatMap((rules) => rules.filter((t) => t.action === action));
}

export const isAction = (s: string): s is Action => (ALL_ACTIONS as readonly string[]).includes(s);

/** The actions a role may ever take on hotline cases (the role matrix, derived from the table). `operator` reads only. */
export function actionsOf(role: Role, kind: CaseKind = 'ticket'): Action[] {
  return TRANSITIONS_BY_KIND[kind].filter((t) => t.roles.includes(role)).map((t) => t.action);
}

/**
 * The rule that produced a history entry, recognised by its (from, to) pair. Rules that share a pair (route, uphold
 * and reject all go returned → dispatched) share their event (a test checks), so events can be rebuilt from the
 * stored record alone.
 */
export function ruleOfEntry(from: CaseStatus | null, to: CaseStatus, kind: CaseKind = 'ticket'): TransitionRule | undefined {
  if (from === null) return undefined;
  return TRANSITIONS_BY_KIND[kind].find((t) => t.from.includes(from) && (t.to === to || t.repeatTo === to));
}
