/**
 * The port that turns an API request into its caller. Two adapters:
 * - AWS (`AuthorizerClaims`): the HTTP API's JWT authorizer has already verified signature, issuer, audience
 *   and expiry; the function reads the claims it passes in `requestContext.authorizer.jwt.claims`.
 * - local (`DevJwtVerifier`): verifies the bearer token itself with the development HS256 key.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Principal } from './principal.js';

export interface TokenVerifier {
  /** The caller of this request; throws UnauthorizedError when there is no valid token naming a role. */
  claimsFrom(event: APIGatewayProxyEventV2): Promise<Principal>;
}

export type UnauthorizedReason = 'missing_token' | 'invalid_token' | 'token_expired' | 'invalid_claims';

export class UnauthorizedError extends Error {
  override readonly name = 'UnauthorizedError';
  constructor(readonly reason: UnauthorizedReason) {
    super(`unauthorized: ${reason}`);
  }
}

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(headers: APIGatewayProxyEventV2['headers'] | undefined): string | undefined {
  const h = headers?.['authorization'] ?? headers?.['Authorization'];
  const m = h ? /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)\s*$/i.exec(h) : null;
  return m?.[1];
}
