import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, DevJwtVerifier, signDevToken } from '../../functions/auth/dev-jwt.js';

const secret = 'a-test-secret-of-enough-length-for-hs256';
const event = (token: string) => ({ headers: { authorization: `Bearer ${token}` } }) as never;

describe('development tokens', () => {
  it('accepts a token it minted and refuses one without an expiry', async () => {
    const v = new DevJwtVerifier({ secret });
    const ok = await signDevToken({ role: 'agent', agencyId: '150302:police', secret });
    expect(await v.claimsFrom(event(ok))).toMatchObject({ role: 'agent', agencyId: '150302:police' });
    const forever = await new SignJWT({ role: 'operator', agencyId: '150300:dispatch-center' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(DEV_JWT_ISSUER)
      .setAudience(DEV_JWT_AUDIENCE)
      .setSubject('dev:operator')
      .setIssuedAt()
      .sign(new TextEncoder().encode(secret));
    await expect(v.claimsFrom(event(forever))).rejects.toMatchObject({ name: 'UnauthorizedError' });
  });

  it('refuses an expired token', async () => {
    const v = new DevJwtVerifier({ secret });
    const old = await signDevToken({ role: 'operator', agencyId: '150300:dispatch-center', secret, now: new Date(Date.now() - 10 * 3600_000), ttlSeconds: 60 });
    await expect(v.claimsFrom(event(old))).rejects.toThrow(/token_expired/);
  });
});
