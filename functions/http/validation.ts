/**
 * Zod issues → the contract's `details: [{index, path, message}]`, written once. One path format everywhere, the
 * one ingest has always answered: `tickets[0].caller.phone` style (`attachments[1].url`, `caller.phone`).
 */
import type * as z from 'zod/mini';
import { validationFailed, type ValidationDetail } from './http-error.js';

/** `['attachments', 1, 'url']` → `attachments[1].url`. */
export const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), '');

/** Zod says "expected string, received undefined" for a missing field; an integrator reads "required" faster. */
const messageOf = (i: z.core.$ZodIssue): string =>
  i.code === 'invalid_type' && /received undefined$/.test(i.message) ? `required (${i.expected})` : i.message;

/** The details of a failed parse; `index` is the item's position in a batch, null for a single body or query. */
export const detailsOf = (error: z.core.$ZodError, index: number | null = null): ValidationDetail[] =>
  error.issues.map((i) => ({ index, path: formatPath(i.path), message: messageOf(i) }));

/** `schema.parse(value)`, or a 400 `validation_failed` with every problem. */
export function parseOr400<S extends z.ZodMiniType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw validationFailed(detailsOf(r.error));
  return r.data;
}
