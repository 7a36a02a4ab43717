/**
 * Middy middleware for `hotline-signature` routes: the HMAC-SHA256 signature of the raw body with the secret of
 * the hotline the path names, within the 300 s replay window (product.md §3). A failure is 401 and a
 * `SignatureRejected` metric per hotline.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { verifySignature } from '../../domain/ingest/signature.js';
import type { Source } from '../../domain/taxonomy.js';
import type { HotlineSecrets } from '../../ports/hotline-secrets.js';
import { dimensionedCount, type Observability } from '../../shared/observability.js';
import { edgeOf } from '../edge-request.js';
import { HttpError } from '../http-error.js';
import { METRIC } from '../../shared/metric-names.js';

export interface HotlineSignatureDeps extends Pick<Observability, 'logger' | 'metrics'> {
  secrets: HotlineSecrets;
  now: () => Date;
}

export function hotlineSignature(deps: HotlineSignatureDeps): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  const countBy = dimensionedCount(deps.metrics);
  return {
    before: async (request) => {
      const state = edgeOf(request.event);
      const source = state.params?.['source'] as Source;
      deps.logger.appendKeys({ source });
      const secret = await deps.secrets.secretFor(source);
      const check = verifySignature(
        request.event.headers?.['x-hotline-signature'],
        state.rawBody ?? Buffer.alloc(0),
        secret,
        Math.floor(deps.now().getTime() / 1000),
      );
      if (!check.ok) {
        countBy('source', source, METRIC.SignatureRejected);
        throw new HttpError(401, { error: 'unauthorized', reason: check.reason === 'mismatch' ? 'invalid_signature' : `${check.reason}_signature` });
      }
    },
  };
}
