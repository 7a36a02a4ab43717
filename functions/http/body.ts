/**
 * The request body rules of product.md §3, written once for every route that takes one: JSON media type (415),
 * at most 256 KiB (413), UTF-8 JSON (400 `validation_failed`). The shape of the JSON is each route's schema's job.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { HttpError, validationFailed } from './http-error.js';

export const MAX_BODY_BYTES = 256 * 1024;

/** `application/json`, with no charset or UTF-8; anything else is 415. */
export function assertJsonContentType(headers: APIGatewayProxyEventV2['headers'] | undefined): void {
  const ct = (headers?.['content-type'] ?? '').toLowerCase();
  const [type, ...params] = ct.split(';').map((s) => s.trim());
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice(8)
    .replace(/"/g, '');
  if (type !== 'application/json' || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new HttpError(415, { error: 'unsupported_media_type', expected: 'application/json; charset=utf-8' });
  }
}

/** The body's bytes as sent (API Gateway base64-encodes binary bodies). */
export function bodyBytes(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): Buffer {
  const body = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}

export function assertBodySize(raw: Buffer): void {
  if (raw.byteLength > MAX_BODY_BYTES) throw new HttpError(413, { error: 'payload_too_large', maxBytes: MAX_BODY_BYTES });
}

/** Strict UTF-8 (no replacement characters), then JSON. */
export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw validationFailed([{ index: null, path: '', message: 'body is not valid UTF-8 JSON' }]);
  }
}
