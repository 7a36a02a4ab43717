import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiDocument, openApiJson } from '../../api/openapi.js';
import { OPERATIONS } from '../../api/operations.js';
import { PATH_PARAMS, ROUTES, type RouteSpec } from '../../functions/http/routes.js';

type Op = {
  operationId: string;
  security: Record<string, string[]>[];
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }>; headers?: Record<string, unknown> }>;
};
type Doc = {
  paths: Record<string, Record<string, Op>>;
  components: { schemas: Record<string, Record<string, unknown>>; securitySchemes: Record<string, unknown> };
};

const doc = openApiDocument() as unknown as Doc;
const opsOf = (d: Doc) => Object.entries(d.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ path, method, op })));
/** The route a documented path belongs to: its template with the values of split parameters put back. */
const templateOf = (path: string, route: RouteSpec) =>
  new RegExp(`^${route.path.replace(/\{\w+\}/g, (m) => `(?:${m.replace(/[{}]/g, '\\$&')}|[^/]+)`)}$`).test(path);

describe('openapi.json', () => {
  it('is committed as generated from the route table and the zod schemas (run `npm run openapi:export` after a change)', () => {
    expect(readFileSync(join(import.meta.dirname, '..', '..', 'openapi.json'), 'utf8')).toBe(openApiJson());
  });

  it('has an operation for every route of the table, and none that is not in it', () => {
    const ops = opsOf(doc);
    for (const route of ROUTES) {
      const mine = ops.filter((o) => o.method === route.method.toLowerCase() && templateOf(o.path, route));
      expect(mine.length, `${route.method} ${route.path}`).toBeGreaterThan(0);
    }
    for (const o of ops)
      expect(
        ROUTES.some((r) => r.method.toLowerCase() === o.method && templateOf(o.path, r)),
        `${o.method} ${o.path}`,
      ).toBe(true);
    // Split routes: one operation per hotline for tickets (their bodies differ), one per action.
    expect(ops.filter((o) => o.op.operationId.startsWith('tickets')).map((o) => o.path)).toEqual(['/v1/hotlines/12309/tickets', '/v1/hotlines/12345/tickets']);
    expect(ops.filter((o) => o.op.operationId.startsWith('action'))).toHaveLength(PATH_PARAMS.action.values.length);
  });

  it('documents only routes that exist (a renamed route leaves no stale entry)', () => {
    const names = new Set<string>(ROUTES.map((r) => r.name));
    expect(Object.keys(OPERATIONS).filter((n) => !names.has(n))).toEqual([]);
  });

  it('secures hotline routes with the signature header and agency routes with a bearer JWT', () => {
    expect(doc.components.securitySchemes).toMatchObject({
      hotlineSignature: { type: 'apiKey', in: 'header', name: 'X-Hotline-Signature' },
      agencyJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    });
    for (const { path, op } of opsOf(doc)) {
      const expected = path.startsWith('/v1/hotlines/') ? 'hotlineSignature' : 'agencyJwt';
      expect(op.security, path).toEqual([{ [expected]: [] }]);
      expect(op.responses['401']?.content?.['application/json; charset=utf-8']?.schema.$ref).toBe('#/components/schemas/Unauthorized');
    }
  });

  it('gives every operation the error bodies: 400 with details, 503 retryable with Retry-After, 413 and 415 where a body is read', () => {
    for (const { path, method, op } of opsOf(doc)) {
      const where = `${method} ${path}`;
      expect(op.responses['400']?.content?.['application/json; charset=utf-8']?.schema.$ref, where).toBe('#/components/schemas/ValidationFailed');
      expect(op.responses['503']?.headers, where).toHaveProperty('Retry-After');
      const hasBody = op.requestBody !== undefined;
      expect('413' in op.responses && '415' in op.responses, where).toBe(hasBody);
    }
    expect(doc.components.schemas['ServiceUnavailable']).toMatchObject({
      properties: { error: { const: 'service_unavailable' }, retryable: { const: true } },
      required: ['error', 'retryable'],
    });
    expect(doc.components.schemas['ValidationFailed']).toMatchObject({ required: ['error', 'details'] });
    expect(doc.components.schemas['PayloadTooLarge']).toMatchObject({ properties: { maxBytes: { const: 256 * 1024 } } });
  });

  it('describes request bodies with the schemas the handlers validate with', () => {
    const s = doc.components.schemas;
    expect(s['Ticket12345']).toMatchObject({
      required: expect.arrayContaining(['ticketId', 'receivedAt', 'channel', 'content', 'regionCode']),
      additionalProperties: false,
    });
    expect(s['Tickets12345Body']).toMatchObject({
      anyOf: [{ $ref: '#/components/schemas/Ticket12345' }, { properties: { tickets: { minItems: 1, maxItems: 100 } } }],
    });
    // The action bodies come from the transition table: extend requires both of its fields.
    expect(s['ActionExtendBody']).toMatchObject({ required: ['reason', 'workingDays'], additionalProperties: false });
    const queue = doc.paths['/v1/agencies/{agencyId}/cases']!['get']!;
    expect(queue.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(['path:agencyId', 'query:status', 'query:limit', 'query:cursor']);
  });

  it('lets answers gain fields (no additionalProperties: false in an answer) while requests refuse unknown fields', () => {
    expect(JSON.stringify(doc.components.schemas['CaseView'])).not.toContain('"additionalProperties":false');
    expect(doc.components.schemas['FeedbackBody']).toMatchObject({ additionalProperties: false });
  });

  it('documents a route added to the table without any other change: path, security, body and error answers', () => {
    // A name no entry of api/operations.ts has: only what the route table says.
    const extra = {
      name: 'example',
      method: 'GET',
      path: '/v1/reports/example',
      fn: 'cases',
      auth: 'agency-jwt',
      body: 'none',
    } as unknown as (typeof ROUTES)[number];
    const withExtra = openApiDocument([...ROUTES, extra]) as unknown as Doc;
    const op = withExtra.paths['/v1/reports/example']?.['get'];
    expect(op).toMatchObject({ operationId: 'example', security: [{ agencyJwt: [] }] });
    expect(Object.keys(op!.responses)).toEqual(['200', '400', '401', '500', '503']);
    const post = {
      name: 'example2',
      method: 'POST',
      path: '/v1/cases/{caseId}/example',
      fn: 'cases',
      auth: 'agency-jwt',
      body: 'json',
    } as unknown as (typeof ROUTES)[number];
    const op2 = (openApiDocument([...ROUTES, post]) as unknown as Doc).paths['/v1/cases/{caseId}/example']?.['post'];
    expect(op2?.parameters).toEqual([{ name: 'caseId', in: 'path', required: true, schema: { type: 'string', maxLength: 128 } }]);
    expect(op2?.requestBody?.required).toBe(true);
    expect(Object.keys(op2!.responses)).toEqual(['200', '400', '401', '404', '413', '415', '500', '503']);
  });

  it('documents the status callback as a signed webhook', () => {
    const d = openApiDocument() as { webhooks: Record<string, { post: Op }> };
    expect(d.webhooks['statusCallback']?.post).toMatchObject({ security: [{ hotlineSignature: [] }] });
    expect(doc.components.schemas['StatusCallback']).toMatchObject({ required: ['caseId', 'sourceTicketId', 'source', 'status', 'occurredAt', 'eventId'] });
  });
});
