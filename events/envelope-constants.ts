/**
 * The envelope constants of every event, without zod: runtime code imports these from here, so the zod event
 * contracts (events/schemas.ts, which re-exports them) stay out of the Lambda bundles.
 */
export { EVENT_SOURCE } from '../functions/domain/directory/agency-queues.js';
export const SCHEMA_VERSION = 1;
