/**
 * Local mode's part of the web console: the development login's token endpoint (a token the agency API accepts,
 * 400 with details for an unknown agency or role) and the static site (files, the app's own routes, no way out of
 * the site's folder, a clear 503 when it is not built). And the console's own words: a Chinese label for every code
 * the API may answer with that the console shows (statuses, return reason kinds), and the facts it is built with.
 */
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevJwtVerifier } from '../../functions/auth/dev-jwt.js';
import { CASE_STATUSES, MERGE_MATCHES, RETURN_REASON_KINDS } from '../../functions/domain/case/case.js';
import { KPI_LABELS, KPI_NAMES } from '../../functions/domain/report/kpis.js';
import { devToken, serveSite } from '../../local/console.js';
import { consoleFacts } from '../../web/facts.js';
import { MERGE_MATCH_LABELS, RETURN_REASON_LABELS, STATUS_LABELS } from '../../web/src/labels.js';

const SECRET = 'console-test-secret-0123456789abcdef';
let server: Server;
let url = '';
let site = '';

beforeAll(async () => {
  site = mkdtempSync(join(tmpdir(), 'console-site-'));
  mkdirSync(join(site, 'assets'));
  writeFileSync(join(site, 'index.html'), '<div id="app"></div>');
  writeFileSync(join(site, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'outside-the-site.txt'), 'secret');
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'POST') return void devToken(req, res, SECRET, () => new Date());
    const dir = path.startsWith('/unbuilt') ? join(site, 'missing') : site;
    void serveSite(dir, path.startsWith('/unbuilt') ? path.slice('/unbuilt'.length) || '/' : path, res).then((served) => served || res.writeHead(404).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('the development login', () => {
  it('mints a token for an agency and a role that the agency API verifies', async () => {
    const res = await fetch(url, { method: 'POST', body: JSON.stringify({ agencyId: '150302:market-regulation', role: 'agent' }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; role: string; agencyId: string };
    const principal = await new DevJwtVerifier({ secret: SECRET }).claimsFrom({ headers: { authorization: `Bearer ${body.token}` } } as never);
    // The person is the development subject of the role (the audit trail names it).
    expect(principal).toEqual({ role: 'agent', agencyId: '150302:market-regulation', sub: 'dev:agent' });
  });

  it('refuses an unknown agency or role, and a body that is not JSON, with 400', async () => {
    const bad = await fetch(url, { method: 'POST', body: JSON.stringify({ agencyId: '150302:nowhere', role: 'admin' }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { details: { path: string }[] }).details.map((d) => d.path)).toEqual(['agencyId', 'role']);
    expect((await fetch(url, { method: 'POST', body: 'not json' })).status).toBe(400);
  });
});

describe('the static site', () => {
  it('serves index.html at / and its files, and nothing for any other path (the app has no routes of its own)', async () => {
    const js = await fetch(`${url}/assets/index-abc.js`);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(await (await fetch(`${url}/`)).text()).toContain('id="app"');
    expect((await fetch(`${url}/queue/anything`)).status).toBe(404);
    expect((await fetch(`${url}/%E0%A4%A`)).status).toBe(404);
  });

  it('never serves a file outside its folder', async () => {
    const res = await fetch(`${url}/..%2Foutside-the-site.txt`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('secret');
  });

  it('says how to build it when it is not built (503)', async () => {
    const res = await fetch(`${url}/unbuilt/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build:web');
  });
});

describe('the console’s words and facts', () => {
  it('has a Chinese label for every case status (merged included), return reason kind and way a repeat is matched', () => {
    expect(CASE_STATUSES.filter((s) => !STATUS_LABELS[s])).toEqual([]);
    expect(RETURN_REASON_KINDS.filter((k) => !RETURN_REASON_LABELS[k])).toEqual([]);
    expect(MERGE_MATCHES.filter((m) => !MERGE_MATCH_LABELS[m])).toEqual([]);
  });

  it('is built with the rates of docs/kpis.md in their order and the return reason kinds, from where they are declared', () => {
    const facts = consoleFacts();
    expect(facts.kpis).toEqual(KPI_NAMES.map((code) => ({ code, label: KPI_LABELS[code] })));
    expect(facts.returnReasonKinds).toEqual(RETURN_REASON_KINDS);
    expect(facts.transitions['ticket']!.find((r) => r.action === 'return')!.accepts).toEqual(['reasonKind', 'suggestedAgencyId']);
  });
});
