/** A minimal hotline-side client: signs a body the way product.md §3 requires and POSTs it. */
import { sign } from '../functions/domain/ingest/signature.js';
import type { Source } from '../functions/domain/taxonomy.js';

export interface PostResult {
  status: number;
  body: unknown;
}

export async function postTickets(
  baseUrl: string,
  source: Source,
  secret: string,
  payload: unknown,
  opts: { now?: number; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<PostResult> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const t = opts.now ?? Math.floor(Date.now() / 1000);
  const res = await fetch(`${baseUrl}/v1/hotlines/${source}/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-hotline-signature': sign(secret, body, t), ...opts.headers },
    body,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // leave as text
  }
  return { status: res.status, body: parsed };
}
