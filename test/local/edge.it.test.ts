/**
 * The local server as a hostile client sees it: malformed percent-encoding and over-long path parameters are
 * answered with a 4xx by the same route middleware as in Lambda, and the server keeps serving.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signDevToken } from '../../functions/auth/dev-jwt.js';
import { startLocal, type LocalRuntime } from '../../local/runtime.js';
import { uniqueId } from '../support/fixtures.js';

const env = { DEV_JWT_SECRET: 'edge-test-jwt-secret-0123456789abcdefghijkl' };
let rt: LocalRuntime;

beforeAll(async () => {
  rt = await startLocal({ dynamoEndpoint: inject('dynamoEndpoint'), tablePrefix: uniqueId('edge').toLowerCase(), env });
});
afterAll(async () => rt?.stop());

/** A raw HTTP request: the path goes on the wire exactly as given (fetch would not send some of these). */
/** `T` is the body shape the test expects (checked by its assertions, not here). */
function raw<T = unknown>(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: T }> {
  const { hostname, port } = new URL(rt.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const agent = () => signDevToken({ role: 'agent', agencyId: '150302:ecology-environment', secret: env.DEV_JWT_SECRET });

describe('local server edge', () => {
  it.each([
    ['GET', '/v1/cases/%E0%A4%A'],
    ['POST', '/v1/cases/%E0%A4%A/accept'],
    ['GET', '/v1/agencies/%E0%A4%A/cases'],
    ['GET', '/local/agencies/%E0%A4%A/queue'],
    ['GET', '/v1/cases/%'],
  ])('%s %s: malformed percent-encoding is 400, and the server keeps serving', async (method, path) => {
    const r = await raw(method, path, { authorization: `Bearer ${await agent()}` });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'validation_failed', details: [{ index: null, message: expect.stringMatching(/percent-encoding/) }] });
    expect((await raw('GET', '/health')).status).toBe(200);
  });

  it('a malformed hotline in the path is refused before any signature work', async () => {
    const r = await raw('POST', '/v1/hotlines/%E0%A4%A/tickets', { 'content-type': 'application/json; charset=utf-8' }, '{}');
    expect(r.status).toBe(400);
    expect((await raw('GET', '/health')).status).toBe(200);
  });

  it.each([
    ['GET', `/v1/cases/${'A'.repeat(5000)}`],
    ['POST', `/v1/cases/${'A'.repeat(5000)}/accept`],
    ['GET', `/v1/agencies/${'a'.repeat(5000)}/cases`],
    ['GET', `/v1/cases/${'%41'.repeat(200)}`],
  ])('%s an over-long path id answers 4xx, never 5xx', async (method, path) => {
    const r = await raw<{ details: { message: string }[] }>(method, path, { authorization: `Bearer ${await agent()}` });
    expect(r.status).toBe(400);
    expect(r.body.details[0]!.message).toMatch(/at most \d+ characters/);
  });

  it('an unknown action or hotline is 404, an unknown path too', async () => {
    expect((await raw('POST', '/v1/cases/12345-X/explode', { authorization: `Bearer ${await agent()}` })).status).toBe(404);
    expect((await raw('POST', '/v1/hotlines/99999/tickets', { 'content-type': 'application/json' }, '{}')).status).toBe(404);
    expect((await raw('GET', '/v2/nothing')).status).toBe(404);
    expect((await raw('DELETE', '/v1/cases/12345-X')).status).toBe(404);
  });

  it('still serves a normal request after all that', async () => {
    const r = await raw('GET', '/v1/cases/12345-ABCDEFGHJKMNPQRSTVWX', { authorization: `Bearer ${await agent()}` });
    expect(r).toEqual({ status: 404, body: { error: 'not_found' } });
  });
});
