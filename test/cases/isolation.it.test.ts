/**
 * Tenant isolation and authentication of the agency API, for every route and every kind of caller: the owning
 * agency, another agency, an operator of this city and of another city, a department of another city, a dispatcher,
 * no token, a bad token, an expired token. Someone else’s case answers exactly like a missing one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '../../functions/adapters/aws/dynamo-case-store.js';
import { AuthorizerClaims } from '../../functions/auth/authorizer-claims.js';
import { signDevToken } from '../../functions/auth/dev-jwt.js';
import { ACTIONS, type Action } from '../../functions/domain/lifecycle/index.js';
import { freshTables } from '../support/dynamo.js';
import { apiEvent, BODIES, caseIn, casesApi, CENTER, OTHER, OWNER, seed, startRelay, TEST_SECRET, token } from './support.js';

let store: DynamoCaseStore;
let relay: ReturnType<typeof startRelay>;

beforeAll(async () => {
  const { client, tables } = await freshTables();
  store = new DynamoCaseStore(client, tables.caseTable);
  relay = startRelay(client, tables.caseTable, store);
});

afterAll(() => relay.feed.stop());

type Caller =
  | 'own agent'
  | 'own supervisor'
  | 'other agency'
  | 'operator'
  | 'other city operator'
  | 'other city department'
  | 'dispatcher'
  | 'no token'
  | 'bad signature'
  | 'wrong audience'
  | 'garbage'
  | 'expired';
const CALLERS: Caller[] = [
  'own agent',
  'own supervisor',
  'other agency',
  'operator',
  'other city operator',
  'other city department',
  'dispatcher',
  'no token',
  'bad signature',
  'wrong audience',
  'garbage',
  'expired',
];

async function tokenOf(caller: Caller): Promise<string | undefined> {
  switch (caller) {
    case 'own agent':
      return token('agent', OWNER);
    case 'own supervisor':
      return token('supervisor', OWNER);
    case 'other agency':
      return token('supervisor', OTHER);
    case 'operator':
      return token('operator'); // of the city's 12345 centre: the whole city is its jurisdiction
    case 'other city operator':
      return token('operator', '620300:dispatch-center');
    case 'other city department':
      return token('supervisor', '620300:procuratorate.pil');
    case 'dispatcher':
      return token('dispatcher', CENTER);
    case 'no token':
      return undefined;
    case 'bad signature':
      return signDevToken({ role: 'supervisor', agencyId: OWNER, secret: 'another-key-another-key-another-key-42' });
    case 'wrong audience':
      return token('supervisor', OWNER, { audience: 'urn:someone-else' });
    case 'garbage':
      return 'not.a.jwt';
    case 'expired':
      return token('supervisor', OWNER, { now: new Date(Date.now() - 3 * 3600_000), ttlSeconds: 3600 });
  }
}

const UNAUTHENTICATED = new Set<Caller>(['no token', 'bad signature', 'wrong audience', 'garbage', 'expired']);

/** What each caller gets on a case of OWNER in `dispatched` (for POSTs: the action the table allows the role, else 403). */
function expectedFor(caller: Caller, route: 'list' | 'get' | Action): number {
  if (UNAUTHENTICATED.has(caller)) return 401;
  if (route === 'list') return caller === 'own agent' || caller === 'own supervisor' || caller === 'operator' ? 200 : 403;
  if (caller === 'other agency' || caller === 'dispatcher' || caller === 'other city operator' || caller === 'other city department') return 404;
  if (route === 'get') return 200;
  if (caller === 'operator') return 403;
  return -1; // owner acting: decided by the transition table (tested in transitions-api)
}

const ROUTES: ('list' | 'get' | Action)[] = ['list', 'get', ...ACTIONS];
const matrix = ROUTES.flatMap((route) => CALLERS.map((caller) => ({ route, caller, want: expectedFor(caller, route) }))).filter((m) => m.want !== -1);

describe('tenant isolation matrix', () => {
  it.each(matrix)('$route by $caller → $want', async ({ route, caller, want }) => {
    const api = casesApi(store);
    const c = caseIn('dispatched');
    await seed(store, c);
    const tok = await tokenOf(caller);
    const r =
      route === 'list' ? await api.list(OWNER, tok) : route === 'get' ? await api.get(c.caseId, tok) : await api.act(c.caseId, route, tok, BODIES[route]);
    expect(r.status).toBe(want);
    if (want === 401) {
      expect(r.body.error).toBe('unauthorized');
      if (caller === 'expired') expect(r.body.reason).toBe('token_expired');
    }
    if (want === 404) expect(r.body).toEqual({ error: 'not_found' });
    if (want === 403) expect(r.body).toEqual({ error: 'forbidden' });
    if (want !== 200 || route === 'get' || route === 'list') {
      expect(await store.get(c.caseId)).toEqual(c);
      expect(await relay.events(c.caseId)).toHaveLength(0); // nothing saved, nothing published
    }
  });

  it('answers a missing case and someone else’s case with the same body, for reads and writes', async () => {
    const api = casesApi(store);
    const c = caseIn('dispatched');
    await seed(store, c);
    const other = await token('supervisor', OTHER);
    const theirs = await api.get(c.caseId, other);
    const missing = await api.get('12345-NOSUCHCASE000000000', other);
    expect(theirs).toEqual(missing);
    expect(await api.act(c.caseId, 'accept', other)).toEqual(await api.act('12345-NOSUCHCASE000000000', 'accept', other));
  });

  it('lets the dispatcher read and route its dispatch-center’s cases, and no other agency see them', async () => {
    const api = casesApi(store);
    const c = caseIn('needs_review');
    await seed(store, c);
    const dispatcher = await token('dispatcher', CENTER);
    expect((await api.get(c.caseId, dispatcher)).status).toBe(200);
    expect((await api.list(CENTER, dispatcher, { status: 'needs_review', limit: '100' })).status).toBe(200);
    expect((await api.get(c.caseId, await token('supervisor', OWNER))).status).toBe(404);
    expect((await api.act(c.caseId, 'route', await token('supervisor', OWNER), BODIES.route)).status).toBe(404);
    expect((await api.act(c.caseId, 'route', await token('agent', CENTER), BODIES.route)).body).toEqual({ error: 'forbidden' });
    expect((await api.act(c.caseId, 'route', dispatcher, BODIES.route)).status).toBe(200);
    expect((await api.get(c.caseId, dispatcher)).status).toBe(404); // routed away
  });

  it('lets an operator list any agency’s queue', async () => {
    const api = casesApi(store);
    expect((await api.list(OTHER, await token('operator'))).status).toBe(200);
  });

  it('refuses a token without an agency for a role that needs one, and an unknown role', async () => {
    const { SignJWT } = await import('jose');
    const { DEV_JWT_AUDIENCE, DEV_JWT_ISSUER } = await import('../../functions/auth/dev-jwt.js');
    const api = casesApi(store);
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(DEV_JWT_ISSUER)
        .setAudience(DEV_JWT_AUDIENCE)
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(TEST_SECRET));
    for (const claims of [{ role: 'agent' }, { role: 'operator' }, { role: 'admin', agencyId: OWNER }, { role: 'agent', agencyId: 'market-regulation' }]) {
      const r = await api.list(OWNER, await sign(claims));
      expect(r).toMatchObject({ status: 401, body: { error: 'unauthorized', reason: 'invalid_claims' } });
    }
    const none = await signDevToken({ role: 'agent', agencyId: OWNER, secret: TEST_SECRET });
    const alg = await api.req(apiEvent('GET', `/v1/agencies/${OWNER}/cases`, { headers: { authorization: `Basic ${none}` } }));
    expect(alg.status).toBe(401);
  });
});

describe('AuthorizerClaims (AWS: the HTTP API JWT authorizer has verified the token)', () => {
  const withClaims = (claims: Record<string, string> | undefined) => {
    const e = apiEvent('GET', '/v1/cases/x');
    (e.requestContext as unknown as Record<string, unknown>)['authorizer'] = claims ? { jwt: { claims, scopes: null } } : undefined;
    return e;
  };

  it('reads the caller from the authorizer claims', async () => {
    const auth = new AuthorizerClaims();
    await expect(auth.claimsFrom(withClaims({ role: 'agent', agencyId: OWNER, sub: 'x', iss: 'y' }))).resolves.toEqual({
      role: 'agent',
      agencyId: OWNER,
      sub: 'x',
    });
    await expect(auth.claimsFrom(withClaims({ role: 'operator', agencyId: CENTER, sub: 'o' }))).resolves.toEqual({
      role: 'operator',
      agencyId: CENTER,
      sub: 'o',
    });
  });

  it('refuses a request without claims, or with claims that name no role or agency', async () => {
    const auth = new AuthorizerClaims();
    await expect(auth.claimsFrom(withClaims(undefined))).rejects.toMatchObject({ reason: 'missing_token' });
    await expect(auth.claimsFrom(withClaims({ role: 'agent' }))).rejects.toMatchObject({ reason: 'invalid_claims' });
    await expect(auth.claimsFrom(withClaims({ role: 'operator' }))).rejects.toMatchObject({ reason: 'invalid_claims' });
    await expect(auth.claimsFrom(withClaims({ role: 'root', agencyId: OWNER }))).rejects.toMatchObject({ reason: 'invalid_claims' });
    // No person named: the action could not be audited.
    await expect(auth.claimsFrom(withClaims({ role: 'agent', agencyId: OWNER }))).rejects.toMatchObject({ reason: 'invalid_claims' });
  });
});
