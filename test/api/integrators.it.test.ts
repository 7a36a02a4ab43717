/**
 * The integrator's view, against local mode (DynamoDB Local): the Python sample client (clients/python, standard
 * library only) signs and sends a batch, reports 400 and 401, retries a 503 until the batch is stored, and receives
 * and verifies the status callbacks of the cases it made. Every answer it and the test see is parsed with the answer
 * schemas of openapi.json (api/responses.ts), and local mode serves the document itself at /openapi.json.
 */
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openApiJson } from '../../api/openapi.js';
import {
  CaseView,
  PayloadTooLarge,
  QueuePage,
  ServiceUnavailable,
  StatusCallbackBody,
  TicketsAccepted,
  Unauthorized,
  UnsupportedMediaType,
  ValidationFailed,
} from '../../api/responses.js';
import { signDevToken } from '../../functions/auth/dev-jwt.js';
import { sign } from '../../functions/domain/ingest/signature.js';
import { ServiceUnavailableError } from '../../functions/ports/errors.js';
import { startLocal, type LocalRuntime } from '../../local/runtime.js';
import { ticket12345, uniqueId } from '../support/fixtures.js';

const CLIENT = join(import.meta.dirname, '..', '..', 'clients', 'python', 'hotline_client.py');
const SECRET = 'integrator-secret-12345';
const JWT_SECRET = 'integrator-test-jwt-secret-0123456789abcdef';
const run = promisify(execFile);

let rt: LocalRuntime;
let listener: ChildProcessWithoutNullStreams;
const callbacks: Record<string, unknown>[] = [];
let callbackUrl: string;
/** Ingest's store fails this many more times (a backing service down: 503). */
let failures = 0;
const dir = mkdtempSync(join(tmpdir(), 'integrators-'));

beforeAll(async () => {
  listener = spawn('python3', [CLIENT, 'listen', '--port', '0', '--secret', SECRET]);
  const lines = createInterface({ input: listener.stdout });
  callbackUrl = await new Promise<string>((resolve, reject) => {
    listener.once('error', reject);
    lines.once('line', (l) => resolve(l.replace(/^listening on /, '')));
  });
  lines.on('line', (l) => callbacks.push(JSON.parse(l) as Record<string, unknown>));
  rt = await startLocal({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tablePrefix: uniqueId('integ').toLowerCase(),
    env: { HOTLINE_SECRET_12345: SECRET, HOTLINE_CALLBACK_URL_12345: callbackUrl, DEV_JWT_SECRET: JWT_SECRET },
    wrapStore: (store) =>
      new Proxy(store, {
        get(target, prop, receiver) {
          const v = Reflect.get(target, prop, receiver) as unknown;
          if (prop !== 'createAll' || typeof v !== 'function') return typeof v === 'function' ? v.bind(target) : v;
          return (...args: unknown[]) => {
            if (failures > 0) {
              failures--;
              return Promise.reject(new ServiceUnavailableError('test: the case table is down'));
            }
            return (v as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      }),
  });
});
afterAll(async () => {
  listener?.kill();
  await rt?.stop();
});

/** Runs the Python client's `send`; its exit code and the JSON line it prints. */
async function send(tickets: unknown[], opts: { secret?: string } = {}) {
  const file = join(dir, `${uniqueId('batch')}.json`);
  writeFileSync(file, JSON.stringify({ tickets }));
  const args = [CLIENT, 'send', '--url', rt.url, '--source', '12345', '--secret', opts.secret ?? SECRET, '--max-delay', '0.2', file];
  try {
    const { stdout } = await run('python3', args);
    return { code: 0, out: JSON.parse(stdout) as { status: number; attempts?: number; body: unknown } };
  } catch (e) {
    const x = e as { code: number; stdout: string };
    return { code: x.code, out: JSON.parse(x.stdout) as { status: number; body: unknown } };
  }
}

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

describe('the Python sample client against local mode', () => {
  it('signs and sends a batch: 202 with one result per ticket, then the status callbacks arrive verified', async () => {
    const tickets = [
      ticket12345({ regionCode: '150304', content: '乌达区工业园区一家化工厂夜里往河里排污水，河水发黑发臭，下游村民反映多次。' }),
      ticket12345({ regionCode: '150302', content: '小区门口的超市卖过期食品，买到的牛奶已经过期三天，要求市场监管部门查处。' }),
    ];
    const { code, out } = await send(tickets);
    expect(code).toBe(0);
    expect(out.status).toBe(202);
    const body = TicketsAccepted.parse(out.body);
    expect(body.results.map((r) => [r.ticketId, r.status])).toEqual(tickets.map((t) => [t['ticketId'], 'accepted']));

    await rt.drained();
    const caseIds = body.results.map((r) => r.caseId);
    await until(() => caseIds.every((id) => callbacks.some((c) => c['caseId'] === id)), 'a callback for each case');
    for (const id of caseIds) {
      const cb = StatusCallbackBody.parse(callbacks.find((c) => c['caseId'] === id));
      expect(cb).toMatchObject({ source: '12345', status: expect.stringMatching(/^(dispatched|needs_review)$/) });
    }

    // Sending the same batch again is safe: every ticket answers duplicate with the same case.
    const again = await send(tickets);
    expect(TicketsAccepted.parse(again.out.body).results.map((r) => [r.status, r.caseId])).toEqual(caseIds.map((id) => ['duplicate', id]));
  });

  it('stops on a 400 and prints every problem; nothing is stored', async () => {
    const good = ticket12345();
    const { code, out } = await send([good, ticket12345({ regionCode: 'nowhere', channel: 'fax' })]);
    expect(code).toBe(2);
    expect(out.status).toBe(400);
    const body = ValidationFailed.parse(out.body);
    expect(body.details.map((d) => [d.index, d.path])).toEqual(
      expect.arrayContaining([
        [1, 'regionCode'],
        [1, 'channel'],
      ]),
    );
    expect(await rt.store.get(`12345-${good['ticketId']}`)).toBeUndefined();
  });

  it('stops on a 401 when signed with the wrong secret', async () => {
    const { code, out } = await send([ticket12345()], { secret: 'not-the-secret' });
    expect(code).toBe(3);
    expect(out.status).toBe(401);
    expect(Unauthorized.parse(out.body).reason).toBe('invalid_signature');
  });

  it('retries a 503 with backoff until the batch is stored', async () => {
    failures = 2;
    const t = ticket12345();
    const { code, out } = await send([t]);
    expect(failures).toBe(0);
    expect(code).toBe(0);
    expect(out).toMatchObject({ status: 202, attempts: 3 });
    expect(TicketsAccepted.parse(out.body).results[0]?.status).toBe('accepted');
  });

  it("refuses a callback whose signature does not verify (the receiver's side)", async () => {
    const raw = JSON.stringify({ caseId: 'x', sourceTicketId: 'y', source: '12345', status: 'closed', occurredAt: '2026-12-03T09:00:00+08:00', eventId: 'e' });
    const post = (signature: string) =>
      fetch(callbackUrl, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', 'x-hotline-signature': signature }, body: raw });
    const now = Math.floor(Date.now() / 1000);
    expect((await post(sign('another-secret', raw, now))).status).toBe(401);
    expect((await post(sign(SECRET, raw, now - 301))).status).toBe(401);
    expect((await post(sign(SECRET, raw, now))).status).toBe(200);
  });
});

describe('openapi.json describes what local mode answers', () => {
  it('is served at /openapi.json, equal to the committed document', async () => {
    const r = await fetch(`${rt.url}/openapi.json`);
    expect(r.status).toBe(200);
    expect(await r.text()).toBe(openApiJson());
  });

  it('503, 413 and 415 bodies match their schemas', async () => {
    const post = (body: string, contentType = 'application/json; charset=utf-8') =>
      fetch(`${rt.url}/v1/hotlines/12345/tickets`, {
        method: 'POST',
        headers: { 'content-type': contentType, 'x-hotline-signature': sign(SECRET, body, Math.floor(Date.now() / 1000)) },
        body,
      });
    failures = 1;
    const unavailable = await post(JSON.stringify(ticket12345()));
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('5');
    ServiceUnavailable.parse(await unavailable.json());
    const tooLarge = await post(JSON.stringify({ pad: 'x'.repeat(300 * 1024) }));
    expect(tooLarge.status).toBe(413);
    PayloadTooLarge.parse(await tooLarge.json());
    const wrongType = await post('{}', 'text/plain');
    expect(wrongType.status).toBe(415);
    UnsupportedMediaType.parse(await wrongType.json());
  });

  it("the agency API's queue and case answers match their schemas", async () => {
    const { out } = await send([ticket12345({ regionCode: '150304', content: '乌达区一家洗煤厂露天堆放煤矸石，粉尘很大，附近居民窗户都不敢开。' })]);
    const { caseId } = TicketsAccepted.parse(out.body).results[0]!;
    await rt.drained();
    const c = await rt.store.get(caseId);
    const token = await signDevToken({ role: 'agent', agencyId: c!.agencyId!, secret: JWT_SECRET });
    const get = (path: string) => fetch(`${rt.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const queue = await get(`/v1/agencies/${encodeURIComponent(c!.agencyId!)}/cases?status=${c!.status}`);
    expect(queue.status).toBe(200);
    expect(QueuePage.parse(await queue.json()).items.map((i) => i.caseId)).toContain(caseId);
    const one = await get(`/v1/cases/${caseId}`);
    expect(one.status).toBe(200);
    expect(CaseView.parse(await one.json())).toMatchObject({ caseId, contact: expect.anything() });
    const accept = await fetch(`${rt.url}/v1/cases/${caseId}/accept`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(CaseView.parse(await accept.json()).status).toBe('accepted');
  });
});
