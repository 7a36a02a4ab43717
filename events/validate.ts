import { EVENT_SCHEMAS, type DomainEvent } from './schemas.js';

export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

/** Checks an event against its declared schema before it leaves the process: a contract bug fails loudly here. */
export function assertValidEvent(e: DomainEvent): void {
  const schema = EVENT_SCHEMAS[e.type];
  if (!schema) throw new InvalidEventError(`unknown event type ${String(e.type)}`);
  const r = schema.safeParse(e.detail);
  if (!r.success) throw new InvalidEventError(`${e.type}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
}
