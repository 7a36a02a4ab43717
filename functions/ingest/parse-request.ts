/**
 * Turns a raw hotline request into validated tickets, or the exact 4xx of product.md §3:
 * 404 unknown route, 415 not JSON, 413 over 256 KiB, 400 `validation_failed` with `{index, path, message}`.
 * Signature checking (401) sits between the size check and parsing (`verifiedHotlineBody`).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { HttpError, validationFailed, type ValidationDetail } from '../http/http-error.js';
import { ticketSchemaFor, type SourcedTicket } from '../domain/ticket/schemas.js';
import { SOURCES, type Source } from '../domain/taxonomy.js';
import { verifySignature } from '../domain/ingest/signature.js';
import type { HotlineSecrets } from '../ports/hotline-secrets.js';

export const MAX_BODY_BYTES = 256 * 1024;
export const MAX_BATCH = 100;

const ROUTE = /^\/v1\/hotlines\/([^/]+)\/tickets\/?$/;

export function sourceFromPath(rawPath: string): Source {
  const m = ROUTE.exec(rawPath);
  const s = m?.[1];
  if (!s || !(SOURCES as readonly string[]).includes(s)) throw new HttpError(404, { error: 'not_found', message: `no hotline route ${rawPath}` });
  return s as Source;
}

export function assertJsonContentType(headers: APIGatewayProxyEventV2['headers']): void {
  const ct = (headers['content-type'] ?? '').toLowerCase();
  const [type, ...params] = ct.split(';').map((s) => s.trim());
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
  if (type !== 'application/json' || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new HttpError(415, { error: 'unsupported_media_type', expected: 'application/json; charset=utf-8' });
  }
}

export function rawBody(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): Buffer {
  const body = event.body ?? '';
  const buf = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (buf.byteLength > MAX_BODY_BYTES) throw new HttpError(413, { error: 'payload_too_large', maxBytes: MAX_BODY_BYTES });
  return buf;
}

const formatPath = (path: PropertyKey[]) =>
  path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), '');

/** Zod says "expected string, received undefined" for a missing field; a hotline integrator reads "required" faster. */
const messageOf = (i: z.core.$ZodIssue) => (i.code === 'invalid_type' && /received undefined$/.test(i.message) ? `required (${i.expected})` : i.message);

const detailsOf = (index: number | null, error: z.core.$ZodError): ValidationDetail[] =>
  error.issues.map((i) => ({ index, path: formatPath(i.path), message: messageOf(i) }));

/**
 * The checks every signed hotline request passes before its body is read (tickets and feedback alike): JSON media
 * type (415), size (413), then the HMAC signature of that hotline with the replay window (401). Returns the raw body.
 */
export async function verifiedHotlineBody(
  event: Pick<APIGatewayProxyEventV2, 'headers' | 'body' | 'isBase64Encoded'>,
  source: Source,
  deps: { secrets: HotlineSecrets; now: () => Date },
  onRejected: (reason: string) => void = () => undefined,
): Promise<Buffer> {
  assertJsonContentType(event.headers);
  const body = rawBody(event);
  const check = verifySignature(event.headers['x-hotline-signature'], body, await deps.secrets.secretFor(source), Math.floor(deps.now().getTime() / 1000));
  if (!check.ok) {
    onRejected(check.reason);
    throw new HttpError(401, { error: 'unauthorized', reason: check.reason === 'mismatch' ? 'invalid_signature' : `${check.reason}_signature` });
  }
  return body;
}

/** Parses a single ticket or `{"tickets": [...]}` (1–100); every invalid ticket is reported, none is kept. */
export function parseTickets(source: Source, raw: Buffer): SourcedTicket[] {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw validationFailed([{ index: null, path: '', message: 'body is not valid UTF-8 JSON' }]);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw validationFailed([{ index: null, path: '', message: 'body must be a ticket object or {"tickets": [...]}' }]);
  }
  const isBatch = 'tickets' in body;
  let items: unknown[];
  if (isBatch) {
    const { tickets, ...extra } = body as { tickets: unknown };
    const problems: ValidationDetail[] = Object.keys(extra).map((k) => ({ index: null, path: k, message: 'unexpected field beside "tickets"' }));
    if (!Array.isArray(tickets)) problems.push({ index: null, path: 'tickets', message: 'must be an array of tickets' });
    else if (tickets.length < 1 || tickets.length > MAX_BATCH) problems.push({ index: null, path: 'tickets', message: `must hold 1 to ${MAX_BATCH} tickets, got ${tickets.length}` });
    if (problems.length) throw validationFailed(problems);
    items = tickets as unknown[];
  } else {
    items = [body];
  }
  const schema = ticketSchemaFor[source];
  const details: ValidationDetail[] = [];
  const out: SourcedTicket[] = [];
  items.forEach((item, i) => {
    const r = schema.safeParse(item);
    if (r.success) out.push({ source, ticket: r.data } as SourcedTicket);
    else details.push(...detailsOf(i, r.error));
  });
  if (details.length) throw validationFailed(details);
  return out;
}
