/**
 * Status back to the hotlines (product.md §10): every status change of a case is POSTed to the callback URL of
 * the hotline system the ticket came from, as
 *
 *   {caseId, sourceTicketId, source, status, occurredAt, eventId}
 *
 * — nothing else, so no personal data can travel — signed exactly like inbound requests:
 * `X-Hotline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with that hotline's secret.
 *
 * Only an event for a hotline that has a callback URL reads its case (for the hotline's ticket id), and a batch of
 * events reads its cases in one call; the hotline is part of the case id, so no read decides that.
 *
 * Delivery is at least once and unordered across events: the receiver deduplicates on `eventId` (also sent as
 * `X-Hotline-Event-Id`) and orders by `occurredAt`. A failed POST (network error, timeout, any non-2xx) is retried
 * here with backoff a few times, then the message fails and the queue redelivers it, then dead-letters it.
 */
import { EVENT_SOURCE } from '../../events/envelope.js';
import type { EventType } from '../../events/schemas.js';
import { CallbackFailedError } from './errors.js';
import type { CaseStatus } from '../domain/case/case.js';
import { sign } from '../domain/ingest/signature.js';
import { SOURCES, type Source } from '../domain/taxonomy.js';
import { eventIdFor } from '../domain/case/event-id.js';
import { sourceOfCaseId } from '../domain/case/case-id.js';
import { isLinkedCaseId } from '../domain/linkage/referral.js';
import { pause, type RetryPolicy } from '../shared/retry.js';
import type { CaseStore } from '../ports/case-store.js';
import type { HotlineSecrets } from '../ports/hotline-secrets.js';

/** The events that change a case's status, i.e. the ones a hotline hears about. */
export const STATUS_EVENT_TYPES = [
  'Case.Dispatched',
  'Case.Transferred',
  'Case.Accepted',
  'Case.Returned',
  'Case.ExtensionRequested',
  'Case.ExtensionGranted',
  'Case.Replied',
  'Case.Closed',
  'Case.Reopened',
  'Case.Merged',
] as const satisfies readonly EventType[];
export type StatusEventType = (typeof STATUS_EVENT_TYPES)[number];

/** The EventBridge pattern of the callbacks rule (AWS) and of the in-process rule (local mode). */
export function statusCallbackPattern(): { source: string[]; 'detail-type': string[] } {
  return { source: [EVENT_SOURCE], 'detail-type': [...STATUS_EVENT_TYPES] };
}

/**
 * The callback body. `status` is the case status after the event, or `transferred` (12309 → government). A ticket
 * merged into an open case (重复诉求合并) hears `merged` with `mergedInto`, the case it joined; when that case is
 * replied, the merged ticket hears `replied` too (its own caseId and ticket id, `mergedInto` set).
 */
export interface StatusCallback {
  caseId: string;
  sourceTicketId: string;
  source: Source;
  status: CaseStatus | 'transferred';
  occurredAt: string;
  eventId: string;
  mergedInto?: string;
}

/** The statuses of an open case that its merged tickets hear about as well. */
export const FANNED_OUT_TO_MERGED: readonly StatusEventType[] = ['Case.Replied'];

/** The EventBridge envelope as the rule delivers it to the queue (only what this reads). */
export interface StatusEnvelope {
  'detail-type': string;
  source?: string;
  detail: Record<string, unknown>;
}

const isStatusType = (t: string): t is StatusEventType => (STATUS_EVENT_TYPES as readonly string[]).includes(t);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** The status an event announces, from its detail alone; undefined for events that are not status changes. */
export function statusOfEvent(type: string, detail: Record<string, unknown>): StatusCallback['status'] | undefined {
  if (!isStatusType(type)) return undefined;
  if (type === 'Case.Transferred') return 'transferred';
  if (type === 'Case.Merged') return 'merged';
  if (type === 'Case.Dispatched') return str(detail['status']) as CaseStatus | undefined;
  return str(detail['to']) as CaseStatus | undefined;
}

export interface CallbackDeps {
  /** Reads the cases of a batch for their hotline ticket ids (events carry none on most types): one batch read. */
  store: Pick<CaseStore, 'getMany'>;
  secrets: HotlineSecrets;
  /** The hotline's callback URL; undefined = that hotline gets no callbacks. */
  callbackUrlFor: (source: Source) => string | undefined;
  now: () => Date;
  fetch?: typeof fetch;
  /** Per POST (default 5 s). */
  timeoutMs?: number;
  /** POSTs per delivery attempt of the message (default 3 attempts, 200 ms base backoff). */
  retry?: RetryPolicy;
}

export type SkipReason = 'not_a_status_event' | 'case_not_found' | 'no_callback_url';
export type DeliveryOutcome =
  | { delivered: true; source: Source; status: StatusCallback['status']; eventId: string; attempts: number; httpStatus: number }
  | { delivered: false; reason: SkipReason; eventId?: string };

const skipped = (reason: SkipReason, eventId: string | undefined): DeliveryOutcome =>
  eventId ? { delivered: false, reason, eventId } : { delivered: false, reason };

/** What an event alone says: the callback minus the hotline ticket id, or why there is none. No I/O. */
function planOf(
  deps: Pick<CallbackDeps, 'callbackUrlFor'>,
  envelope: StatusEnvelope,
): { ok: true; url: string | undefined; fanOut: boolean; partial: Omit<StatusCallback, 'sourceTicketId'> } | { ok: false; outcome: DeliveryOutcome } {
  const d = envelope.detail ?? {};
  const eventId = str(d['eventId']);
  const caseId = str(d['caseId']);
  const occurredAt = str(d['occurredAt']);
  const status = statusOfEvent(envelope['detail-type'], d);
  if (!status || !eventId || !caseId || !occurredAt || (envelope.source !== undefined && envelope.source !== EVENT_SOURCE)) {
    return { ok: false, outcome: skipped('not_a_status_event', eventId) };
  }
  // Clue referrals and recommendations are between agencies and the procuratorate: the hotline hears nothing of them.
  if (isLinkedCaseId(caseId)) return { ok: false, outcome: skipped('not_a_status_event', eventId) };
  // The hotline is part of the case id: no URL for it, nothing to read.
  const source = sourceOfCaseId(caseId);
  if (!source) return { ok: false, outcome: skipped('case_not_found', eventId) };
  const url = deps.callbackUrlFor(source);
  // A reply also goes to the hotlines of the tickets merged into the case, which may have a URL when this one has none.
  const fanOut = (FANNED_OUT_TO_MERGED as readonly string[]).includes(envelope['detail-type']) && SOURCES.some((s) => deps.callbackUrlFor(s));
  if (!url && !fanOut) return { ok: false, outcome: skipped('no_callback_url', eventId) };
  const partial: Omit<StatusCallback, 'sourceTicketId'> = { caseId, source, status, occurredAt, eventId };
  const mergedInto = str(d['mergedInto']);
  if (mergedInto) partial.mergedInto = mergedInto;
  return { ok: true, url, fanOut, partial };
}

/**
 * The outcome of each envelope of a batch, in order: delivered, skipped, or the error of a delivery that failed after
 * its retries (its message comes back). Only events for a hotline with a callback URL read their case, all in one
 * batch read.
 */
export async function deliverStatusCallbacks(deps: CallbackDeps, envelopes: readonly StatusEnvelope[]): Promise<(DeliveryOutcome | Error)[]> {
  const plans = envelopes.map((e) => planOf(deps, e));
  const wanted = [...new Set(plans.flatMap((p) => (p.ok ? [p.partial.caseId] : [])))];
  const cases = new Map((wanted.length ? await deps.store.getMany(wanted) : []).map((c) => [c.caseId, c]));
  return Promise.all(
    plans.map(async (p) => {
      if (!p.ok) return p.outcome;
      const c = cases.get(p.partial.caseId);
      if (!c || c.source !== p.partial.source) return skipped('case_not_found', p.partial.eventId);
      if (c.kind === 'clue' || c.kind === 'recommendation') return skipped('not_a_status_event', p.partial.eventId);
      // Built field by field: whatever else the case or the event holds never reaches the hotline.
      const body: StatusCallback = {
        caseId: c.caseId,
        sourceTicketId: c.sourceTicketId,
        source: c.source,
        status: p.partial.status,
        occurredAt: p.partial.occurredAt,
        eventId: p.partial.eventId,
      };
      if (p.partial.mergedInto) body.mergedInto = p.partial.mergedInto;
      // Each ticket merged into the case hears the reply under its own ids, with an event id of its own (stable).
      const merged = p.fanOut
        ? (c.merges ?? []).flatMap((m) => {
            const url = deps.callbackUrlFor(m.source);
            if (!url) return [];
            const cb: StatusCallback = {
              caseId: m.caseId,
              sourceTicketId: m.sourceTicketId,
              source: m.source,
              status: p.partial.status,
              occurredAt: p.partial.occurredAt,
              eventId: eventIdFor(m.caseId, `merged:${p.partial.eventId}`, 1),
              mergedInto: c.caseId,
            };
            return [{ url, cb }];
          })
        : [];
      try {
        const own = p.url ? await post(deps, p.url, body) : skipped('no_callback_url', p.partial.eventId);
        for (const m of merged) await post(deps, m.url, m.cb);
        return own;
      } catch (e) {
        return e as Error;
      }
    }),
  );
}

/** Signs and POSTs one event's status callback, with a few retries; throws CallbackFailedError when all fail. */
export async function deliverStatusCallback(deps: CallbackDeps, envelope: StatusEnvelope): Promise<DeliveryOutcome> {
  const [r] = await deliverStatusCallbacks(deps, [envelope]);
  if (r instanceof Error) throw r;
  return r!;
}

async function post(deps: CallbackDeps, url: string, cb: StatusCallback): Promise<DeliveryOutcome> {
  const raw = JSON.stringify(cb);
  const secret = await deps.secrets.secretFor(cb.source);
  const doFetch = deps.fetch ?? fetch;
  const policy = deps.retry ?? CALLBACK_RETRY;
  let last = 'not attempted';
  for (let attempt = 1; attempt <= Math.max(1, policy.maxAttempts); attempt++) {
    if (attempt > 1) await pause(policy, attempt - 1);
    try {
      const res = await doFetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          // Signed per attempt: a fresh timestamp keeps each attempt inside the receiver's replay window.
          'x-hotline-signature': sign(secret, raw, Math.floor(deps.now().getTime() / 1000)),
          'x-hotline-event-id': cb.eventId,
        },
        body: raw,
        redirect: 'error',
        signal: AbortSignal.timeout(deps.timeoutMs ?? 5_000),
      });
      await res.arrayBuffer().catch(() => undefined); // drain: frees the connection
      if (res.ok) return { delivered: true, source: cb.source, status: cb.status, eventId: cb.eventId, attempts: attempt, httpStatus: res.status };
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = `${(e as Error).name}: ${(e as Error).message}`;
    }
  }
  throw new CallbackFailedError(cb.source, cb.eventId, last);
}

/** A few quick POSTs per delivery; the queue's redelivery is the slow retry. */
export const CALLBACK_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };

/** Callback URLs from the environment: `HOTLINE_CALLBACK_URL_12345`, `HOTLINE_CALLBACK_URL_12309` (unset = none). */
export function callbackUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): (source: Source) => string | undefined {
  return (source) => env[`HOTLINE_CALLBACK_URL_${source}`] || undefined;
}
