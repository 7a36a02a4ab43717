import { createHash } from 'node:crypto';

/**
 * Deterministic event id in UUID form (name-based, like UUIDv5 but SHA-256): the same case, event type and case
 * version always give the same id, so a republished event is recognisable as the same event.
 */
export function eventIdFor(caseId: string, type: string, version: number): string {
  const h = createHash('sha256').update(`${caseId}|${type}|${version}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
