/**
 * Personal data over time (PIPL 个人信息保护法 §19, §47): what the retention policy (`config/retention-policy.json`)
 * does to a closed case, as pure functions (no clock, no I/O), saved by the caller with the version condition.
 *
 * - **Contact erasure** (`contact`), `contactErasedAfterDays` after the case's latest close: the sealed and the
 *   masked contact are deleted from the record. Deleting the sealed value is the erasure: the ciphertext is gone, so
 *   no key can open it again (PITR backups age out within 35 days).
 * - **Text anonymisation** (`text`), `textAnonymisedAfterDays` after the close: the ticket's free text, the history
 *   notes, the reply and the survey comments become ANONYMISED. Classification (`decision`), routing (`agencyId`,
 *   history statuses, times and agencies), deadlines, `onTime`, feedback results and overdue marks stay, so the
 *   monthly report (domain/report/tally.ts) counts the same before and after.
 *
 * Each erasure is one new case version with one history entry (`by: system:retention`, `from` = `to` = `closed`,
 * `retention` naming what was done). That entry is no lifecycle transition: the relay publishes nothing for it.
 */
import { RETENTION_STAGES, type CaseRecord, type HistoryEntry, type RetentionMarks, type RetentionStage } from '../case/case.js';

export { RETENTION_STAGES, type RetentionMarks, type RetentionStage };

export interface RetentionPolicy {
  /** Calendar days after the latest close until the contact is erased. */
  contactErasedAfterDays: number;
  /** Calendar days after the latest close until the free text is anonymised (≥ contactErasedAfterDays). */
  textAnonymisedAfterDays: number;
  /** Days an audit record is kept (DynamoDB TTL). */
  auditRecordDays: number;
  /** The most cases one run changes. */
  maxCasesPerRun: number;
}

/** What replaces anonymised free text. */
export const ANONYMISED = '[已匿名化 anonymised]';
/** The actor of a retention entry. */
export const RETENTION_ACTOR = 'system:retention';

const DAY_MS = 86_400_000;

/** Free-text fields of a stored ticket (both hotlines): replaced by the marker. */
const TICKET_TEXT_FIELDS = ['content', 'title', 'address', 'demand'] as const;
/** Fields that can point at a person and carry nothing statistics need: deleted. */
const TICKET_DROPPED_FIELDS = ['location', 'attachments'] as const;

/** The time of the case's latest close (结案), or undefined when the case is not closed. */
export function closedAt(c: Pick<CaseRecord, 'status' | 'history'>): string | undefined {
  if (c.status !== 'closed') return undefined;
  return c.history.findLast((h) => h.to === 'closed' && !h.retention)?.at;
}

const hasContact = (c: CaseRecord) => c.contactSealed !== undefined || c.contactMasked !== undefined;

/**
 * The erasure still ahead of a case (the store keeps closed cases in a sparse index by it): `contact` while a closed
 * case holds a contact, then `text` until its text is anonymised, then none.
 */
export function retentionStage(c: CaseRecord): RetentionStage | undefined {
  if (!closedAt(c)) return undefined;
  if (hasContact(c)) return 'contact';
  return c.retention?.textAnonymisedAt ? undefined : 'text';
}

/** The latest close time before which a case's `stage` is due at `now` (ISO, UTC). */
export function dueCutoff(policy: RetentionPolicy, stage: RetentionStage, now: Date): string {
  const days = stage === 'contact' ? policy.contactErasedAfterDays : policy.textAnonymisedAfterDays;
  return new Date(now.getTime() - days * DAY_MS).toISOString();
}

/** What is due on this case at `now`, in order. */
export function dueStages(c: CaseRecord, policy: RetentionPolicy, now: Date): RetentionStage[] {
  const closed = closedAt(c);
  if (!closed) return [];
  const t = Date.parse(closed);
  const due: RetentionStage[] = [];
  if (hasContact(c) && t <= Date.parse(dueCutoff(policy, 'contact', now))) due.push('contact');
  if (!c.retention?.textAnonymisedAt && t <= Date.parse(dueCutoff(policy, 'text', now))) due.push('text');
  return due;
}

type Anonymisable = CaseRecord & {
  reply?: { result: string; at: string };
  feedback?: { comment?: string }[];
};

const NOTES: Record<RetentionStage, string> = {
  contact: 'contact erased (retention policy)',
  text: 'free text anonymised (retention policy)',
};

/**
 * The next version of a closed case with everything due at `now` done, and its history entry; undefined when
 * nothing is due (not closed, not old enough, done before).
 */
export function applyRetention<C extends Anonymisable>(
  c: C,
  policy: RetentionPolicy,
  now: Date,
): { next: C; entry: HistoryEntry; stages: RetentionStage[] } | undefined {
  const stages = dueStages(c, policy, now);
  if (!stages.length) return undefined;
  const at = now.toISOString();
  const version = c.version + 1;
  const next: C = { ...c, version, retention: { ...c.retention } };
  if (stages.includes('contact')) {
    delete next.contactSealed;
    delete next.contactMasked;
    next.retention!.contactErasedAt = at;
  }
  let history = c.history;
  if (stages.includes('text')) {
    const ticket: Record<string, unknown> = { ...c.ticket };
    for (const f of TICKET_TEXT_FIELDS) if (typeof ticket[f] === 'string') ticket[f] = ANONYMISED;
    for (const f of TICKET_DROPPED_FIELDS) delete ticket[f];
    const respondent = ticket['respondent'] as { name?: string } | undefined;
    if (respondent?.name !== undefined) ticket['respondent'] = { ...respondent, name: ANONYMISED };
    next.ticket = ticket as C['ticket'];
    history = history.map((h) => (h.note === undefined ? h : { ...h, note: ANONYMISED }));
    if (c.reply) next.reply = { ...c.reply, result: ANONYMISED };
    if (c.feedback) next.feedback = c.feedback.map((f) => (f.comment === undefined ? f : { ...f, comment: ANONYMISED }));
    next.retention!.textAnonymisedAt = at;
  }
  const entry: HistoryEntry = {
    version,
    at,
    by: RETENTION_ACTOR,
    from: 'closed',
    to: 'closed',
    note: stages.map((s) => NOTES[s]).join('; '),
    retention: stages,
  };
  if (c.agencyId) entry.agencyId = c.agencyId;
  next.history = [...history, entry];
  return { next, entry, stages };
}

/**
 * The deployed policy from its JSON without zod (the Lambdas skip zod; functions/config/validate.ts checks the file
 * with `parseRetentionPolicy` at `cdk synth` and in the tests).
 */
export function retentionPolicyFromJson(json: unknown): RetentionPolicy {
  const j = json as Partial<RetentionPolicy>;
  return {
    contactErasedAfterDays: Number(j.contactErasedAfterDays),
    textAnonymisedAfterDays: Number(j.textAnonymisedAfterDays),
    auditRecordDays: Number(j.auditRecordDays),
    maxCasesPerRun: Number(j.maxCasesPerRun),
  };
}
