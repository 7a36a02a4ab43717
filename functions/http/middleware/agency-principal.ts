/**
 * Middy middleware for `agency-jwt` routes: the caller (role, agency) from the TokenVerifier port — the
 * authorizer's claims in AWS, the development JWT locally — or 401 with the RFC 6750 `WWW-Authenticate` header.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { UnauthorizedError, type TokenVerifier } from '../../auth/token-verifier.js';
import type { Observability } from '../../shared/observability.js';
import { edgeOf } from '../edge-request.js';
import { HttpError } from '../http-error.js';

export interface AgencyPrincipalDeps extends Pick<Observability, 'logger'> {
  auth: TokenVerifier;
}

export function agencyPrincipal(deps: AgencyPrincipalDeps): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    before: async (request) => {
      try {
        const p = await deps.auth.claimsFrom(request.event);
        edgeOf(request.event).principal = p;
        deps.logger.appendKeys({ role: p.role, agencyId: p.agencyId ?? undefined });
      } catch (e) {
        if (!(e instanceof UnauthorizedError)) throw e;
        // RFC 6750 §3: no error code when the request carried no token at all.
        const challenge = e.reason === 'missing_token' ? 'Bearer' : 'Bearer error="invalid_token"';
        throw new HttpError(401, { error: 'unauthorized', reason: e.reason }, { 'www-authenticate': challenge });
      }
    },
  };
}
