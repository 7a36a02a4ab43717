/**
 * AWS adapter of TokenVerifier: the HTTP API JWT authorizer verified the token before the function runs, and
 * passes its claims (as strings) in `requestContext.authorizer.jwt.claims`. The function only checks that they
 * name a role and an agency; a request without them (a route left without the authorizer) is refused.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { principalFromClaims, type Principal } from './principal.js';
import { UnauthorizedError, type TokenVerifier } from './token-verifier.js';

export class AuthorizerClaims implements TokenVerifier {
  async claimsFrom(event: APIGatewayProxyEventV2): Promise<Principal> {
    const claims = (event as Partial<APIGatewayProxyEventV2WithJWTAuthorizer>).requestContext?.authorizer?.jwt?.claims;
    if (!claims) throw new UnauthorizedError('missing_token');
    const p = principalFromClaims(claims as Record<string, unknown>);
    if (!p) throw new UnauthorizedError('invalid_claims');
    return p;
  }
}
