/**
 * Is this error a backing service failing (answer 503, the caller may retry) rather than a bug (500)? Recognised
 * by what the failure is, not by a list of exception names, so every AWS service and every network failure counts:
 * - our typed port errors: ServiceUnavailableError, EnqueueError, PublishError;
 * - any error that went through an AWS SDK v3 client: service exceptions (throttling, ResourceNotFound for a
 *   missing table, 5xx, AccessDenied ...) carry `$metadata`, and the SDK's retry layer adds `$metadata` to the
 *   network errors it gives up on too;
 * - Node network and timeout errors (ECONNREFUSED, ETIMEDOUT, ...), `TimeoutError`, also found as a `cause`.
 */
import { EnqueueError, PublishError, ServiceUnavailableError } from '../ports/errors.js';

const NETWORK_CODES = /^(ECONNREFUSED|ECONNRESET|ECONNABORTED|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_\w+)$/;
const TRANSIENT_NAMES =
  /^(TimeoutError|RequestTimeout|RequestTimeoutException)$|Throttl|ProvisionedThroughputExceeded|RequestLimitExceeded|ServiceUnavailable|InternalServerError/;

export function isDependencyFailure(e: unknown, depth = 0): boolean {
  if (e === null || typeof e !== 'object' || depth > 5) return false;
  if (e instanceof ServiceUnavailableError || e instanceof EnqueueError || e instanceof PublishError) return true;
  const x = e as { $metadata?: unknown; $fault?: unknown; code?: unknown; name?: unknown; cause?: unknown };
  if (typeof x.$metadata === 'object' && x.$metadata !== null) return true;
  if (x.$fault === 'client' || x.$fault === 'server') return true;
  if (typeof x.code === 'string' && NETWORK_CODES.test(x.code)) return true;
  if (typeof x.name === 'string' && TRANSIENT_NAMES.test(x.name)) return true;
  return isDependencyFailure(x.cause, depth + 1);
}
