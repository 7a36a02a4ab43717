/**
 * Serves a Lambda HTTP handler (API Gateway payload format 2.0) from a plain Node HTTP server, so local mode
 * runs exactly the handler code that API Gateway invokes in AWS.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { localContext } from '../functions/adapters/local/in-process-queue.js';
import { MAX_BODY_BYTES } from '../functions/http/body.js';
import type { RouteHit } from '../functions/http/match-route.js';
import { PATH_PARAMS, routeKeyOf, type PathParamName } from '../functions/http/routes.js';

export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

/**
 * Keeps at most `limit + 1` bytes — enough for the handler to see that a body is too large — and drains the rest
 * without buffering it, so the connection stays usable for the 413 answer.
 */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (size <= limit) chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).subarray(0, limit + 1);
}

/**
 * Path and query of a request target as sent, like API Gateway's `rawPath` and `rawQueryString`: no decoding and no
 * normalisation here (a malformed percent-encoding is the route's to refuse, with a 400), so nothing can throw.
 */
export function splitRequestTarget(target: string | undefined): { path: string; query: string } {
  let t = target ?? '/';
  // Absolute form (`GET http://host/path`): keep the path only.
  const abs = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(t);
  if (abs) t = t.slice(abs[0].length) || '/';
  const q = t.indexOf('?');
  const path = q < 0 ? t : t.slice(0, q);
  const query = q < 0 ? '' : t.slice(q + 1).split('#')[0]!;
  return { path: path.split('#')[0] || '/', query };
}

/** The route key API Gateway would put in the event: the template, with the parameters it declares one route per value filled in. */
export function routeKeyFor(hit: RouteHit): string {
  let path = hit.route.path;
  for (const [name, raw] of Object.entries(hit.raw)) {
    const spec = PATH_PARAMS[name as PathParamName] as { expandInApi?: boolean } | undefined;
    if (spec?.expandInApi) path = path.replace(`{${name}}`, raw);
  }
  return routeKeyOf({ method: hit.route.method, path });
}

export async function toApiEvent(req: IncomingMessage, routeKey: string): Promise<APIGatewayProxyEventV2> {
  const url = splitRequestTarget(req.url);
  const sourceIp = req.socket.remoteAddress ?? '127.0.0.1';
  const body = await readBody(req, MAX_BODY_BYTES);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  const requestId = randomUUID();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.path,
    rawQueryString: url.query,
    headers,
    queryStringParameters: Object.fromEntries(new URLSearchParams(url.query)),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: req.method ?? 'GET', path: url.path, protocol: 'HTTP/1.1', sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId,
      routeKey,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
    body: body.toString('base64'),
    isBase64Encoded: true,
  };
}

export function writeResult(res: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (typeof result === 'string') {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(result);
    return;
  }
  res.writeHead(result.statusCode ?? 200, (result.headers ?? {}) as Record<string, string>).end(result.body ?? '');
}

export async function invokeHttp(handler: HttpHandler, req: IncomingMessage, res: ServerResponse, routeKey: string): Promise<void> {
  const event = await toApiEvent(req, routeKey);
  writeResult(res, await handler(event, localContext(routeKey)));
}
