/**
 * Development tokens for local mode (never used in AWS, where the HTTP API's JWT authorizer verifies tokens
 * from the deployer's identity provider): HS256 with a shared development key, fixed issuer and audience.
 *
 *   npm run --silent token -- --agency 150302:market-regulation --role agent
 *
 * The key is `DEV_JWT_SECRET` when set, else DEFAULT_DEV_JWT_SECRET (printed by the token script, so nobody
 * mistakes it for a secret).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Role } from '../domain/lifecycle/transitions.js';
import { principalFromClaims, type Principal } from './principal.js';
import { bearerToken, UnauthorizedError, type TokenVerifier } from './token-verifier.js';

export const DEV_JWT_ISSUER = 'urn:hotline-integration:local-dev';
export const DEV_JWT_AUDIENCE = 'urn:hotline-integration:agency-api';
export const DEFAULT_DEV_JWT_SECRET = 'hotline-local-development-key-not-a-secret-do-not-deploy';
const ALG = 'HS256';

export function devJwtSecret(env: NodeJS.ProcessEnv = process.env): { secret: string; isDefault: boolean } {
  const s = env['DEV_JWT_SECRET'];
  return s ? { secret: s, isDefault: false } : { secret: DEFAULT_DEV_JWT_SECRET, isDefault: true };
}

const keyOf = (secret: string) => new TextEncoder().encode(secret);

export interface DevTokenRequest {
  role: Role;
  /** Required for every role (an operator's agency sets its jurisdiction). */
  agencyId?: string | undefined;
  secret?: string;
  /** Lifetime in seconds (default 8 hours). */
  ttlSeconds?: number;
  now?: Date;
  subject?: string;
  /** Overrides (tests): another issuer or audience. */
  issuer?: string;
  audience?: string;
}

export async function signDevToken(r: DevTokenRequest): Promise<string> {
  if (!r.agencyId) throw new Error(`role ${r.role} needs an agency`);
  const iat = Math.floor((r.now ?? new Date()).getTime() / 1000);
  const claims: Record<string, unknown> = { role: r.role, agencyId: r.agencyId };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setIssuer(r.issuer ?? DEV_JWT_ISSUER)
    .setAudience(r.audience ?? DEV_JWT_AUDIENCE)
    .setSubject(r.subject ?? `dev:${r.role}`)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (r.ttlSeconds ?? 8 * 3600))
    .sign(keyOf(r.secret ?? devJwtSecret().secret));
}

/** Local adapter of TokenVerifier: verifies the bearer token with the development key. */
export class DevJwtVerifier implements TokenVerifier {
  private readonly key: Uint8Array;

  constructor(opts: { secret?: string; now?: () => Date } = {}) {
    this.key = keyOf(opts.secret ?? devJwtSecret().secret);
    this.now = opts.now ?? (() => new Date());
  }

  private readonly now: () => Date;

  async claimsFrom(event: APIGatewayProxyEventV2): Promise<Principal> {
    const token = bearerToken(event.headers);
    if (!token) throw new UnauthorizedError('missing_token');
    let payload: Record<string, unknown>;
    try {
      // A token without an expiry would be good forever: refused, as the authorizer in AWS refuses one.
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: [ALG],
        issuer: DEV_JWT_ISSUER,
        audience: DEV_JWT_AUDIENCE,
        currentDate: this.now(),
        requiredClaims: ['exp'],
      }));
    } catch (e) {
      throw new UnauthorizedError(e instanceof errors.JWTExpired ? 'token_expired' : 'invalid_token');
    }
    const p = principalFromClaims(payload);
    if (!p) throw new UnauthorizedError('invalid_claims');
    return p;
  }
}
