/**
 * How the directory becomes queues and rules: the CDK app (SQS + EventBridge rules) and local mode (in-process
 * queues and rules) both call these, so an agency added to the directory gets the same queue and rule in both.
 */
import { EVENT_SOURCE } from '../../../events/envelope.js';
import type { Agency } from './directory.js';

/** A valid SQS queue name from an agency id: `150302:market-regulation` → `hotline-agency-150302-market-regulation`. */
export function agencyQueueName(agencyId: string, prefix = 'hotline-agency'): string {
  const name = `${prefix}-${agencyId.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  if (name.length > 75) throw new RangeError(`queue name too long for ${agencyId}`); // 80 minus room for "-dlq"
  return name;
}

/** EventBridge pattern of the rule that feeds an agency's queue: its dispatched cases. */
export function caseDispatchedPattern(agency: Pick<Agency, 'id'>): { source: string[]; 'detail-type': string[]; detail: { agencyId: string[] } } {
  return { source: [EVENT_SOURCE], 'detail-type': ['Case.Dispatched'], detail: { agencyId: [agency.id] } };
}

/** Exact-value EventBridge pattern matching (arrays of allowed values, nested objects), enough for our rules. */
export function matchesPattern(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([k, allowed]) => {
    const v = event[k];
    if (Array.isArray(allowed)) return allowed.some((a) => a === v);
    if (allowed && typeof allowed === 'object')
      return !!v && typeof v === 'object' && matchesPattern(allowed as Record<string, unknown>, v as Record<string, unknown>);
    return false;
  });
}
