import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { sign } from '../../functions/domain/ingest/signature.js';
import { localContext } from '../../functions/adapters/local/in-process-queue.js';

/** An API Gateway v2 event as the hotline route would deliver it, signed unless told otherwise. */
export function hotlineEvent(
  source: string,
  body: unknown,
  opts: { secret?: string; t?: number; contentType?: string; signature?: string | null; headers?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const t = opts.t ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json; charset=utf-8', ...opts.headers };
  const sig = opts.signature === undefined ? sign(opts.secret ?? '', raw, t) : opts.signature;
  if (sig !== null) headers['x-hotline-signature'] = sig;
  return {
    version: '2.0',
    routeKey: `POST /v1/hotlines/${source}/tickets`,
    rawPath: `/v1/hotlines/${source}/tickets`,
    rawQueryString: '',
    headers,
    requestContext: { requestId: `req-${t}-${Math.random()}` } as APIGatewayProxyEventV2['requestContext'],
    body: raw,
    isBase64Encoded: false,
  };
}

export type Handler = (e: APIGatewayProxyEventV2, c: Context) => Promise<unknown>;

// biome-ignore lint/suspicious/noExplicitAny: a handler's JSON answer as tests read it: they reach into it by the path each one asserts (some 50 call sites), and the assertions are its type check
export async function call(handler: Handler, event: APIGatewayProxyEventV2): Promise<{ status: number; body: any }> {
  const r = (await handler(event, localContext('test'))) as APIGatewayProxyStructuredResultV2;
  return { status: r.statusCode ?? 200, body: JSON.parse(r.body ?? 'null') };
}
