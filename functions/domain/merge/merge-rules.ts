/**
 * Repeat-request merging rules (重复诉求合并) as data: `config/merge-rules.json`. Validated with zod in the tests and
 * at `cdk synth` (functions/config/validate.ts); the Lambdas build them without zod (`mergeRulesFromJson`).
 */
import { z } from 'zod';
import { CASE_STATUSES, type CaseStatus } from '../case/case.js';
import { DurationJson, deadlinePolicyFromJson, type Duration } from '../deadlines/policy.js';
import { ConfigError } from '../errors.js';

export const PLACE_KEY_KINDS = ['place', 'address', 'enterprise'] as const;
export type PlaceKeyKind = (typeof PLACE_KEY_KINDS)[number];

export interface MergeRules {
  caller: { enabled: boolean; sameDomain: boolean; window: Duration };
  place: { enabled: boolean; keyKinds: PlaceKeyKind[]; window: Duration };
  openStatuses: CaseStatus[];
  maxMergedPerCase: number;
}

const MergeRulesFile = /* @__PURE__ */ (() =>
  z.strictObject({
    $comment: z.union([z.string(), z.array(z.string())]).optional(),
    caller: z.strictObject({ enabled: z.boolean(), sameDomain: z.boolean(), window: DurationJson }),
    place: z.strictObject({ enabled: z.boolean(), keyKinds: z.array(z.enum(PLACE_KEY_KINDS)).min(1), window: DurationJson }),
    openStatuses: z
      .array(z.enum(CASE_STATUSES))
      .min(1)
      .refine((s) => !s.some((x) => x === 'received' || x === 'merged' || x === 'closed'), {
        message: 'a case that is received (not routed), merged or closed cannot take a repeat',
      }),
    maxMergedPerCase: z.int().min(1).max(200),
  }))();

/** Validates the file; throws ConfigError naming the file and every problem's path. */
export function parseMergeRules(data: unknown, file = 'config/merge-rules.json'): MergeRules {
  const parsed = MergeRulesFile.safeParse(data);
  if (!parsed.success) throw ConfigError.fromZod(file, parsed.error);
  const { $comment: _c, ...rules } = parsed.data;
  return rules;
}

/** The runtime build of a validated file, without zod (a test checks it equals parseMergeRules's). */
export function mergeRulesFromJson(validated: unknown): MergeRules {
  const { $comment: _c, ...rest } = validated as Record<string, unknown>;
  return deadlinePolicyFromJson(rest) as unknown as MergeRules;
}
