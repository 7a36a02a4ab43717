/**
 * The dispute policy (派单异议审核) as data: `config/dispute-policy.json`. How long the dispatch center has to decide
 * a dispute, and whether a rejected dispute's time counts against the agency that returned the case.
 */
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { DurationJson, deadlinePolicyFromJson, type Duration } from '../deadlines/policy.js';

export const CLOCK_DURING_DISPUTE = ['runs', 'stops'] as const;
export type ClockDuringDispute = (typeof CLOCK_DURING_DISPUTE)[number];

export interface DisputePolicy {
  /** The dispatch center decides a dispute this long after the return. */
  decideBy: Duration;
  /** A rejected dispute: the agency's reply deadline stays (`runs`) or moves later by the dispute's length (`stops`). */
  clockDuringDispute: ClockDuringDispute;
}

const DisputePolicyFile = /* @__PURE__ */ (() =>
  z.strictObject({
    $comment: z.union([z.string(), z.array(z.string())]).optional(),
    decideBy: DurationJson,
    clockDuringDispute: z.enum(CLOCK_DURING_DISPUTE, { message: `one of ${CLOCK_DURING_DISPUTE.join(', ')}` }),
  }))();

/** Validates the file (tests, cdk synth); throws ConfigError naming the file and every problem's path. */
export function parseDisputePolicy(data: unknown, file = 'config/dispute-policy.json'): DisputePolicy {
  const parsed = DisputePolicyFile.safeParse(data);
  if (!parsed.success) throw ConfigError.fromZod(file, parsed.error);
  const { $comment: _c, ...policy } = parsed.data;
  return policy;
}

/** The runtime build of a validated file, without zod (a test checks it equals parseDisputePolicy's). */
export function disputePolicyFromJson(validated: unknown): DisputePolicy {
  const { $comment: _c, ...rest } = validated as Record<string, unknown>;
  return deadlinePolicyFromJson(rest) as unknown as DisputePolicy;
}
