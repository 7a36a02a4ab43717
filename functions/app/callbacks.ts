/**
 * Status back to the hotlines (product.md §10): every status change of a case is POSTed to the callback URL of
 * the hotline system the ticket came from, as
 *
 *   {caseId, sourceTicketId, source, status, occurredAt, eventId}
 *
 * — nothing else, so no personal data can travel — signed exactly like inbound requests:
 * `X-Hotline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with that hotline's secret.
 *
 * Delivery is at least once and unordered across events: the receiver deduplicates on `eventId` (also sent as
 * `X-Hotline-Event-Id`) and orders by `occurredAt`. A failed POST (network error, timeout, any non-2xx) is retried
 * here with backoff a few times, then the message fails and the queue redelivers it, then dead-letters it.
 */
import { EVENT_SOURCE } from '../../events/envelope-constants.js';
import type { EventType } from '../../events/schemas.js';
import type { CaseStatus } from '../domain/case/case.js';
import { sign } from '../domain/ingest/signature.js';
import { SOURCES, type Source } from '../domain/taxonomy.js';
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
] as const satisfies readonly EventType[];
export type StatusEventType = (typeof STATUS_EVENT_TYPES)[number];

/** The EventBridge pattern of the callbacks rule (AWS) and of the in-process rule (local mode). */
export function statusCallbackPattern(): { source: string[]; 'detail-type': string[] } {
  return { source: [EVENT_SOURCE], 'detail-type': [...STATUS_EVENT_TYPES] };
}

/** The callback body. `status` is the case status after the event, or `transferred` (12309 → government). */
export interface StatusCallback {
  caseId: string;
  sourceTicketId: string;
  source: Source;
  status: CaseStatus | 'transferred';
  occurredAt: string;
  eventId: string;
}

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
  if (type === 'Case.Dispatched') return str(detail['status']) as CaseStatus | undefined;
  return str(detail['to']) as CaseStatus | undefined;
}

export class CallbackFailedError extends Error {
  override readonly name = 'CallbackFailedError';
  constructor(
    readonly source: Source,
    readonly eventId: string,
    readonly detail: string,
  ) {
    super(`status callback ${eventId} to hotline ${source} failed: ${detail}`);
  }
}

export interface CallbackRetry {
  /** POSTs per delivery attempt of the message (default 3). */
  attempts: number;
  /** Backoff before the 2nd POST, doubled each time (default 200 ms). */
  baseDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface CallbackDeps {
  /** Reads the case for its source and hotline ticket id (events carry neither on every type). */
  store: Pick<CaseStore, 'get'>;
  secrets: HotlineSecrets;
  /** The hotline's callback URL; undefined = that hotline gets no callbacks. */
  callbackUrlFor: (source: Source) => string | undefined;
  now: () => Date;
  fetch?: typeof fetch;
  /** Per POST (default 5 s). */
  timeoutMs?: number;
  retry?: CallbackRetry;
}

export type DeliveryOutcome =
  | { delivered: true; source: Source; status: StatusCallback['status']; eventId: string; attempts: number; httpStatus: number }
  | { delivered: false; reason: 'not_a_status_event' | 'case_not_found' | 'no_callback_url'; eventId?: string };

/** The callback of an event for the case it names, or why there is none. */
export async function statusCallbackFor(
  deps: Pick<CallbackDeps, 'store'>,
  envelope: StatusEnvelope,
): Promise<{ ok: true; body: StatusCallback } | { ok: false; reason: 'not_a_status_event' | 'case_not_found'; eventId?: string }> {
  const d = envelope.detail ?? {};
  const type = envelope['detail-type'];
  const eventId = str(d['eventId']);
  const caseId = str(d['caseId']);
  const occurredAt = str(d['occurredAt']);
  const status = statusOfEvent(type, d);
  if (!status || !eventId || !caseId || !occurredAt || (envelope.source !== undefined && envelope.source !== EVENT_SOURCE)) {
    return eventId ? { ok: false, reason: 'not_a_status_event', eventId } : { ok: false, reason: 'not_a_status_event' };
  }
  const c = await deps.store.get(caseId);
  if (!c || !(SOURCES as readonly string[]).includes(c.source)) return { ok: false, reason: 'case_not_found', eventId };
  // Clue referrals and recommendations are between agencies and the procuratorate: the hotline hears nothing of them.
  if (c.kind === 'clue' || c.kind === 'recommendation') return { ok: false, reason: 'not_a_status_event', eventId };
  // Built field by field: whatever else the case or the event holds never reaches the hotline.
  return { ok: true, body: { caseId: c.caseId, sourceTicketId: c.sourceTicketId, source: c.source, status, occurredAt, eventId } };
}

/** Signs and POSTs one event's status callback, with a few retries; throws CallbackFailedError when all fail. */
export async function deliverStatusCallback(deps: CallbackDeps, envelope: StatusEnvelope): Promise<DeliveryOutcome> {
  const built = await statusCallbackFor(deps, envelope);
  if (!built.ok) return built.eventId ? { delivered: false, reason: built.reason, eventId: built.eventId } : { delivered: false, reason: built.reason };
  const cb = built.body;
  const url = deps.callbackUrlFor(cb.source);
  if (!url) return { delivered: false, reason: 'no_callback_url', eventId: cb.eventId };

  const raw = JSON.stringify(cb);
  const secret = await deps.secrets.secretFor(cb.source);
  const doFetch = deps.fetch ?? fetch;
  const retry = deps.retry ?? { attempts: 3, baseDelayMs: 200 };
  const sleep = retry.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let last = 'not attempted';
  for (let attempt = 1; attempt <= Math.max(1, retry.attempts); attempt++) {
    if (attempt > 1) await sleep(retry.baseDelayMs * 2 ** (attempt - 2));
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

/** Callback URLs from the environment: `HOTLINE_CALLBACK_URL_12345`, `HOTLINE_CALLBACK_URL_12309` (unset = none). */
export function callbackUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): (source: Source) => string | undefined {
  return (source) => env[`HOTLINE_CALLBACK_URL_${source}`] || undefined;
}
