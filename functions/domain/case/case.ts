/**
 * The case record (案件): one per accepted ticket. The ticket's personal fields are split off into `contact`
 * when the case is made and sealed before it is stored, so nothing downstream can put them into an event or a
 * log line by accident.
 */
import type { Decision } from '../classify/decision.js';
import { maskContact, type Contact } from '../privacy/mask.js';
import { caseIdFor } from './case-id.js';
import type { SourcedTicket } from '../ticket/schemas.js';
import { sourceTicketId } from '../ticket/source.js';
import { normaliseReceivedAt } from '../ticket/received-at.js';
import type { AgencyId, CaseKind, Source, Urgency } from '../taxonomy.js';

/** States of product.md §5: the ones a lifecycle transition (and its event) moves between. */
export const TRANSITION_STATUSES = [
  'received', // 受理
  'needs_review', // 待人工分拨
  'dispatched', // 派单
  'accepted', // 签收
  'returned', // 退单
  'extension_requested', // 申请延期
  'replied', // 办结（答复）
  'reopened', // 回访不满意，重办
  'closed', // 结案
] as const;

/**
 * Every status a case can be in. The transition table (who may move what) belongs to the lifecycle module. `merged`
 * (重复诉求合并) is entered by the process function, not a transition: its event is `Case.Merged`, and a merged
 * ticket leaves it only by the dispatcher's `split` (whose event is `Case.Dispatched`).
 */
export const CASE_STATUSES = [...TRANSITION_STATUSES, 'merged'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** The case kinds are part of the product's vocabulary (taxonomy.ts). */
export type { CaseKind } from '../taxonomy.js';

export interface HistoryEntry {
  /** The case version this entry produced: entries are append-only and numbered by version. */
  version: number;
  at: string;
  by: string;
  from: CaseStatus | null;
  to: CaseStatus;
  note?: string;
  /** The agency that owns the case after this entry (dispatch, route, return, ...): the report attributes by it. */
  agencyId?: AgencyId;
  /** For entries that meet a deadline (签收, 办结, clue evaluation, reply to a recommendation): met in time? */
  onTime?: boolean;
  /**
   * The person behind the action: the `sub` claim of the caller's token (agency API actions). Stored for the audit
   * trail (docs/privacy.md); never in an event, a log line or the agency API's case view.
   */
  actorSub?: string;
  /** A retention entry (domain/privacy/retention.ts): what the retention policy erased. Not a lifecycle transition. */
  retention?: RetentionStage[];
}

/** The erasures of the retention policy (domain/privacy/retention.ts): the contact, then the free text. */
export const RETENTION_STAGES = ['contact', 'text'] as const;
export type RetentionStage = (typeof RETENTION_STAGES)[number];

/** When each erasure happened (on the record, so a run never does one twice). */
export interface RetentionMarks {
  contactErasedAt?: string;
  textAnonymisedAt?: string;
}

/** A linked case this case gave rise to (a clue referral, 线索移送); its status is read from the linked case. */
export interface LinkRef {
  caseId: string;
  agencyId: AgencyId;
}

/** A deadline that passed unmet (recorded by its overdue timer; counted once in the monthly report). */
export interface OverdueMark {
  deadline: string;
  dueAt: string;
  agencyId: AgencyId;
  at: string;
}

/** Deadlines are computed by the deadlines module; the case stores them as they come. */
export type { Deadlines } from '../deadlines/compute.js';
import type { Deadlines } from '../deadlines/compute.js';

/** The ticket as stored, without its personal-data fields (those live in `contact`). */
export type StoredTicket = Record<string, unknown> & { content: string };

export interface CaseRecord {
  caseId: string;
  kind: CaseKind;
  status: CaseStatus;
  version: number;
  source: Source;
  sourceTicketId: string;
  correlationId: string;
  regionCode: string;
  receivedAt: string;
  ingestedAt: string;
  urgency: Urgency;
  ticket: StoredTicket;
  /**
   * The caller's contact details in plain text: present only between receiving the ticket and sealing it. The
   * case store refuses to write it; what is stored is `contactSealed` (encrypted) and `contactMasked`.
   */
  contact?: Contact;
  /** Encrypted contact (ContactCipher), opened only for the owning agency. */
  contactSealed?: string;
  /** Masked contact (`张*`, `138****1234`), shown to everyone else who may read the case. */
  contactMasked?: Contact;
  decision?: Decision;
  agencyId?: AgencyId;
  referralAgencyId?: AgencyId | null;
  dispatchedAt?: string;
  deadlines?: Deadlines;
  /** The next deadline the owning agency works against; orders its queue. */
  dueAt?: string;
  history: HistoryEntry[];
  /** `clue` and `recommendation` cases: the case they were made from (a clue's 12345 case, a recommendation's subject). */
  parentCaseId?: string;
  /** `clue` cases raised by a similar-case cluster (类案), and recommendations about a cluster. */
  clusterId?: string;
  /** Similar-case clusters (类案) this case belongs to. */
  clusterIds?: string[];
  /** Linked cases made from this one: the clue referral of a 12345 case (线索移送), the clue of a cluster it completed. */
  referrals?: LinkRef[];
  /** `recommendation` cases: the procuratorate department that issued the 检察建议. */
  issuedBy?: AgencyId;
  /** `recommendation` cases: the follow-up (回头看) date, set when the agency replies. */
  followUpAt?: string;
  /** Deadlines that passed unmet. */
  overdue?: OverdueMark[];
  /** What the retention policy has erased (PIPL, domain/privacy/retention.ts). */
  retention?: RetentionMarks;
  /**
   * Keyed hash (HMAC-SHA256 under the caller-key secret) of the caller's normalised phone, set at ingest: compares
   * repeat callers (重复诉求) without the phone. Never shown, never in an event.
   */
  callerKey?: string;
  /** A `merged` ticket: the open case it repeats (重复诉求合并). */
  mergedInto?: string;
  /** A `merged` ticket: how the repeat was found, and the agency of the case it joined. */
  merge?: { match: MergeMatch; agencyId: AgencyId };
  /** The open case's merged requests (the tickets merged into it), in order. */
  merges?: MergedRequest[];
  /** Returns (退单) reviewed as disputes (派单异议), in order; the last one may still be open. */
  disputes?: Dispute[];
}

/** How a repeat request was recognised: the same caller, or the same place and domain within the window. */
export const MERGE_MATCHES = ['caller', 'place'] as const;
export type MergeMatch = (typeof MERGE_MATCHES)[number];

/** A ticket merged into a case, as the case lists it (ids only: no personal data). */
export interface MergedRequest {
  caseId: string;
  source: Source;
  sourceTicketId: string;
  at: string;
  match: MergeMatch;
}

/** Why an agency returns a case (退单理由). */
export const RETURN_REASON_KINDS = [
  'other_agency', // 属于其他单位职责 (with the suggested agency)
  'outside_jurisdiction', // 不属于本辖区
  'insufficient_information', // 信息不全，无法办理
  'other', // 其他
] as const;
export type ReturnReasonKind = (typeof RETURN_REASON_KINDS)[number];

/** A return under review by the region's dispatch center (派单异议审核). */
export interface Dispute {
  /** The case version of the return that opened it. */
  version: number;
  reasonKind: ReturnReasonKind;
  suggestedAgencyId?: AgencyId;
  /** The agency that returned the case. */
  fromAgencyId: AgencyId;
  openedAt: string;
  /** The dispatch center decides by then (policy data: config/dispute-policy.json). */
  decideBy: string;
  outcome?: 'upheld' | 'rejected';
  decidedAt?: string;
  /** The case version of the decision (its history entry). */
  decidedVersion?: number;
  /** Where the case went: the new agency (upheld) or back to `fromAgencyId` (rejected). */
  toAgencyId?: AgencyId;
}

/** Makes the `received` case of a validated ticket (受理); `receivedAt` is stored in its one normalised form. */
export function receiveTicket(t: SourcedTicket, at: string, correlationId: string): CaseRecord {
  const id = sourceTicketId(t);
  const receivedAt = normaliseReceivedAt(t.ticket.receivedAt);
  const { contact, ticket, regionCode, urgency } =
    t.source === '12345'
      ? (() => {
          const { caller, ...rest } = t.ticket;
          return { contact: caller, ticket: rest, regionCode: t.ticket.regionCode, urgency: t.ticket.urgency };
        })()
      : (() => {
          const { petitioner, ...rest } = t.ticket;
          return { contact: petitioner, ticket: rest, regionCode: t.ticket.regionCode ?? t.ticket.procuratorateCode, urgency: 'normal' as const };
        })();
  const record: CaseRecord = {
    caseId: caseIdFor(t.source, id),
    kind: 'ticket',
    status: 'received',
    version: 1,
    source: t.source,
    sourceTicketId: id,
    correlationId,
    regionCode,
    receivedAt,
    ingestedAt: at,
    urgency,
    ticket: { ...ticket, receivedAt },
    history: [{ version: 1, at, by: `hotline:${t.source}`, from: null, to: 'received' }],
  };
  if (contact && Object.keys(contact).length > 0) {
    record.contact = contact;
    record.contactMasked = maskContact(contact)!;
  }
  return record;
}

/** The ticket as the classifier reads it, rebuilt from the stored record (personal data is not needed to classify). */
export function ticketOf(c: CaseRecord): SourcedTicket {
  return { source: c.source, ticket: c.ticket } as unknown as SourcedTicket;
}
