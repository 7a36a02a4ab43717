/**
 * What the agency API shows of a case. Personal data: `contact` and the free text (`content`, the reply) are
 * shown as stored only to the owning agency; everyone else who may read the case (operators) gets masked forms.
 * History notes are masked when written.
 */
import { maskFreeText, type Contact } from '../domain/privacy/mask.js';
import { allowedActions, type LifecycleCase, type LifecycleRules } from '../domain/lifecycle/index.js';
import { owns, type Principal } from '../auth/principal.js';
import type { CaseSummary } from '../ports/case-store.js';
import { bestGuessOf } from '../domain/route/router.js';

export function listItem(c: CaseSummary) {
  return {
    caseId: c.caseId,
    kind: c.kind,
    status: c.status,
    domain: c.decision?.domain ?? null,
    ticketType: c.decision?.ticketType ?? null,
    urgency: c.urgency,
    dueAt: c.dueAt ?? null,
    receivedAt: c.receivedAt,
    regionCode: c.regionCode,
  };
}

/** `contact` is the opened contact for the owning agency; everyone else gets the masked form stored at ingest. */
/** A linked case as its parent shows it: which case, whose, and where it stands (read from the linked case). */
export interface ReferralView {
  caseId: string;
  agencyId: string;
  status: string;
}

export function caseView(c: LifecycleCase, p: Principal, rules: LifecycleRules, contact?: Contact, referrals?: ReferralView[]) {
  const owner = owns(p, c.agencyId);
  const text = (s: string) => (owner ? s : maskFreeText(s));
  return {
    caseId: c.caseId,
    kind: c.kind,
    status: c.status,
    version: c.version,
    source: c.source,
    sourceTicketId: c.sourceTicketId,
    agencyId: c.agencyId ?? null,
    referralAgencyId: c.referralAgencyId ?? null,
    regionCode: c.regionCode,
    domain: c.decision?.domain ?? null,
    ticketType: c.decision?.ticketType ?? null,
    clue: c.decision?.clue ?? null,
    urgency: c.urgency,
    receivedAt: c.receivedAt,
    dispatchedAt: c.dispatchedAt ?? null,
    dueAt: c.dueAt ?? null,
    deadlines: c.deadlines ?? null,
    extension: c.extension ?? null,
    reply: c.reply ? { at: c.reply.at, result: text(c.reply.result) } : null,
    /** Who acted is role@agency (`by`); the person (`actorSub`) is for the operators' audit export only. */
    history: c.history.map(({ actorSub: _sub, ...h }) => h),
    /** 府检联动 links: the case a clue or recommendation came from, its cluster, the clue referrals made from this case. */
    parentCaseId: c.parentCaseId ?? null,
    clusterId: c.clusterId ?? null,
    referrals: referrals ?? [],
    issuedBy: c.issuedBy ?? null,
    followUpAt: c.followUpAt ?? null,
    overdue: c.overdue ?? [],
    /**
     * How the router decided, for the dispatcher who settles a flagged ticket: its confidence, whether it flagged
     * the ticket, the agency it chose or would have chosen (best guess), and its evidence (terms and rules, never
     * personal data: the same list Ticket.Classified carries).
     */
    routing: c.decision
      ? { confidence: c.decision.confidence, needsReview: c.decision.needsReview, bestGuess: bestGuessOf(c.decision), evidence: c.decision.evidence }
      : null,
    /** 重复诉求合并: how many requests this case answers (itself and the tickets merged into it), and which. */
    requests: { count: 1 + (c.merges?.length ?? 0), merged: c.merges ?? [] },
    /** A merged ticket: the case it joined. */
    mergedInto: c.mergedInto ?? null,
    /** A merged ticket: how the repeat was recognised (same caller or same place) and the agency of the case it joined. */
    merge: c.merge ? { match: c.merge.match, agencyId: c.merge.agencyId } : null,
    /** Returns reviewed as disputes (派单异议): reason kind, suggested agency, deadline, outcome. */
    disputes: c.disputes ?? [],
    content: text(c.ticket.content),
    contact: (owner && contact ? contact : c.contactMasked) ?? null,
    /** What the caller may do now (from the transition table). */
    allowedActions: allowedActions(c, p, rules),
  };
}
