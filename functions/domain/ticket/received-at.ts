/**
 * `receivedAt` (受理时间): the window a ticket's time must fall in, and the one form it is stored in.
 *
 * The schemas admit every ISO 8601 instant with an offset (a fraction of any length, `Z` or `±HH:MM`, years
 * 0000–9999). Ingest then holds it to the deployer's window (`receipt` in config/deadline-policy.json): not more than
 * `maxAheadMinutes` ahead of the time it arrives, not more than `maxAgeDays` old. What is stored is the normalised
 * form (Shanghai time, milliseconds only when non-zero, `formatShanghai`), so every reader sees one format.
 *
 * Records stored before the window existed may still hold any time the schema admitted; `receivedAtOf` is how a
 * consumer reads one: the ticket's own time when it lies in the window around the ingest time, the ingest time
 * otherwise (the latest the ticket can have been received).
 */
import { formatShanghai, instantOrUndefined } from '../deadlines/time.js';

export interface ReceiptWindow {
  maxAheadMinutes: number;
  maxAgeDays: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Why `receivedAt` is outside the window around `nowMs` (a sentence for a 400's details), or undefined when inside. */
export function receivedAtProblem(receivedAt: string, nowMs: number, w: ReceiptWindow): string | undefined {
  const t = instantOrUndefined(receivedAt);
  if (t === undefined) return 'an ISO 8601 date-time with a UTC offset, e.g. 2026-01-02T02:37:14+08:00';
  if (t > nowMs + w.maxAheadMinutes * MINUTE_MS)
    return `must not be more than ${w.maxAheadMinutes} minutes ahead of the time the request arrives (${formatShanghai(nowMs)})`;
  if (t < nowMs - w.maxAgeDays * DAY_MS) return `must not be more than ${w.maxAgeDays} days before the time the request arrives (${formatShanghai(nowMs)})`;
  return undefined;
}

/** The stored form of a valid `receivedAt`. */
export const normaliseReceivedAt = (receivedAt: string): string => formatShanghai(instantOrUndefined(receivedAt)!);

/**
 * The receipt time a consumer counts with (deadlines, similar-case windows): the record's own `receivedAt` when it
 * is a readable time inside the window around its `ingestedAt`, else `ingestedAt` (`nowMs` if even that is
 * unreadable). Always in the stored form.
 */
export function receivedAtOf(c: { receivedAt: string; ingestedAt: string }, w: ReceiptWindow, nowMs: number): string {
  const ingested = instantOrUndefined(c.ingestedAt) ?? nowMs;
  const ok = receivedAtProblem(c.receivedAt, ingested, w) === undefined;
  return formatShanghai(ok ? instantOrUndefined(c.receivedAt)! : ingested);
}
