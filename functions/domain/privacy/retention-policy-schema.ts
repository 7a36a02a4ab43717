/**
 * The schema of `config/retention-policy.json` (zod), for build-time validation (`cdk synth`) and the tests. Not
 * imported by any Lambda: they build the policy with `retentionPolicyFromJson`.
 */
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { RetentionPolicy } from './retention.js';

/** A hundred years: a longer period is a typo, not a policy. */
const MAX_DAYS = 36_500;
const days = (what: string) =>
  z
    .number({ error: `${what}: a whole number of days` })
    .int(`${what}: a whole number of days`)
    .min(1, `${what}: at least 1 day`)
    .max(MAX_DAYS, `${what}: at most ${MAX_DAYS} days`);

const Policy = z
  .strictObject({
    $comment: z.array(z.string()).optional(),
    contactErasedAfterDays: days('days after the close until the contact is erased'),
    textAnonymisedAfterDays: days('days after the close until the free text is anonymised'),
    auditRecordDays: days('days an audit record is kept'),
    maxCasesPerRun: z
      .number({ error: 'a whole number of cases' })
      .int('a whole number of cases')
      .min(1, 'at least 1 case per run')
      .max(100_000, 'at most 100000 cases per run (one Lambda run of at most 15 minutes)'),
  })
  .refine((p) => p.textAnonymisedAfterDays >= p.contactErasedAfterDays, {
    path: ['textAnonymisedAfterDays'],
    error: (iss) => {
      const p = iss.input as { contactErasedAfterDays: number; textAnonymisedAfterDays: number };
      return `must be at least contactErasedAfterDays (${p.contactErasedAfterDays}): the text outlives the contact, got ${p.textAnonymisedAfterDays}`;
    },
  });

/** Validates the file; throws ConfigError naming `file` and every problem. */
export function parseRetentionPolicy(json: unknown, file: string): RetentionPolicy {
  const r = Policy.safeParse(json);
  if (!r.success) throw ConfigError.fromZod(file, r.error);
  const { $comment: _c, ...policy } = r.data;
  return policy;
}
