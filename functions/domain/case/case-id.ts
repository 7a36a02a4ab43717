import { createHash } from 'node:crypto';
import type { Source } from '../taxonomy.js';

const BASE32 = 'ABCDEFGHJKMNPQRSTVWXYZ0123456789'; // Crockford-like, no I/L/O/U: readable over the phone

/**
 * The case id is derived from (source, ticket id), so every copy of a re-sent ticket maps to the same case and
 * the store's conditional put alone decides which copy wins, even when two copies race. 100 bits of SHA-256:
 * collisions are out of reach for any hotline's volume.
 */
export function caseIdFor(source: Source, sourceTicketId: string): string {
  return derivedId(source, `${source}\n${sourceTicketId}`);
}

/** `<prefix>-<20 base32 characters of SHA-256(input)>`: ids of linked cases and clusters, derived from what made them. */
export function derivedId(prefix: string, input: string): string {
  return `${prefix}-${hash100(input)}`;
}

/** 100 bits of SHA-256(input) as 20 base32 characters: the readable hash every derived id uses. */
export function hash100(input: string): string {
  const digest = createHash('sha256').update(input).digest();
  let bits = 0n;
  for (let i = 0; i < 13; i++) bits = (bits << 8n) | BigInt(digest[i]!);
  bits >>= 4n; // 104 -> 100 bits = 20 base32 characters
  let out = '';
  for (let i = 0; i < 20; i++) {
    out = BASE32[Number(bits & 31n)]! + out;
    bits >>= 5n;
  }
  return out;
}

/** The hotline of a case id made by `caseIdFor` (`12345-…`, `12309-…`); undefined for linked cases and anything else. */
export function sourceOfCaseId(caseId: string): Source | undefined {
  const prefix = caseId.slice(0, caseId.indexOf('-'));
  return prefix === '12345' || prefix === '12309' ? prefix : undefined;
}
