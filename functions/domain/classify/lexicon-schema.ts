/**
 * Validation of `config/lexicon.json` (zod, with cross-checks: regular expressions compile, cue names exist, prior
 * keys are real ticket types). Every problem is listed as `path: message` in one `ConfigError` naming the file.
 *
 * This runs in the tests and in `cdk synth` (`functions/config/validate.ts`), not at cold start: the Lambda builds
 * the classifier from the same JSON with `buildLexicon`, which has no zod (validating ~8,000 terms cost ~90 ms of init).
 */
import { z } from 'zod';
import { ClueKind, DOMAINS, Domain, MATTER_TYPES_12309, TICKET_TYPES_12345 } from '../taxonomy.js';
import { ConfigError } from '../errors.js';
import { buildLexicon, LEXICON_DEFAULTS, type Lexicon, type LexiconSource } from './lexicon.js';

const Weight = z.number().finite().min(-20).max(20);
const Term = z.string().min(1).max(40);
/** One character: these markers are compared with the character next to a term or at a clause's end. */
const Char = z.string().length(1, 'one character');
/**
 * term → weight. Checked by one plain loop rather than a zod record: the lexicon holds ~8,000 terms, and a record
 * schema costs tens of milliseconds of module init (cold start) for them; problems are still reported per term path.
 */
const Terms = z
  .custom<Record<string, number>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'expected an object of term → weight')
  .superRefine((v, ctx) => {
    for (const k in v) {
      const w = (v as Record<string, unknown>)[k];
      if (k.length < 1 || k.length > 40) ctx.addIssue({ code: 'custom', path: [k], message: 'a term has 1 to 40 characters' });
      if (typeof w !== 'number' || !Number.isFinite(w) || w < -20 || w > 20) {
        ctx.addIssue({ code: 'custom', path: [k], message: `weight must be a number from -20 to 20, got ${JSON.stringify(w)}` });
      }
    }
  });

/** A regular expression scored like a term; evidence names its `id`, never the matched text (it may be personal data). */
const Pattern = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'pattern id like "many-households"'),
  regex: z.string().min(1),
  weight: Weight,
});

/** Co-occurrence of one term from each group (in one sentence, or anywhere in the ticket): indirect descriptions. */
const Combo = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  all: z.array(z.array(Term).min(1)).min(2),
  weight: Weight,
  scope: z.enum(['sentence', 'ticket']).default(LEXICON_DEFAULTS.comboScope),
  /** Optionally also feeds a clue cue (damage to a protected relic is public harm by itself). */
  cue: z.strictObject({ name: z.string(), weight: z.number() }).optional(),
});

const DomainEntry = z.strictObject({
  $comment: z.string().optional(),
  terms: Terms,
  patterns: z.array(Pattern).optional(),
  combos: z.array(Combo).optional(),
});

const Cue = z.strictObject({
  $comment: z.string().optional(),
  terms: Terms,
  patterns: z.array(Pattern).optional(),
  /** The cue's strength is the sum of its distinct matched terms, capped here. */
  cap: z.number().positive().default(LEXICON_DEFAULTS.cueCap),
});

const DomainScope = z.enum(['any', 'pil', 'non-pil']);

const ClueRule = z.strictObject({
  $comment: z.string().optional(),
  kind: ClueKind.exclude(['none']),
  /** Minimum strength per cue: all must hold. */
  require: z.record(z.string(), z.number().nonnegative()).default({}),
  /** score = Σ weight × cue strength; the rule fires when score ≥ threshold and every `require` holds. */
  score: z.record(z.string(), Weight),
  threshold: z.number(),
  domains: DomainScope.default(LEXICON_DEFAULTS.clueRuleDomains),
  excludeDomains: z.array(Domain).default([]),
  /** Ticket types the rule never fires for. For a 12345 ticket whose type the call taker left blank, the inferred type is only a guess: it excludes unless the score reaches `threshold + inferredTypeMargin`. */
  excludeTypes: z.array(z.string()).default([]),
  inferredTypeMargin: z.number().nonnegative().default(0),
  /** When the rule fires on a ticket from `source`, the ticket's domain is `domain` (taxonomy §5: a 12309 judicial-aid request is `judicial_affairs`). */
  setsDomain: z.strictObject({ source: z.enum(['12345', '12309']), domain: Domain }).optional(),
});

const RESPONDENT_KINDS: readonly string[] = ['person', 'agency', 'enterprise', 'court', 'police', 'other'];

const PriorMap = z.record(z.string(), z.partialRecord(Domain, Weight));

export const LexiconFile = z.strictObject({
  $comment: z.string().optional(),
  version: z.literal(1),
  scoring: z.strictObject({
    /** Terms found in the platform's `hotlineCategory` count this much (a weak hint, sometimes wrong). */
    categoryWeight: z.number().min(0).max(2),
    titleFactor: z.number().min(0).max(4),
    /** Text after a request marker (要求/希望/请/诉求) and the 12309 `demand` field. */
    requestFactor: z.number().min(0).max(5),
    demandFactor: z.number().min(0).max(5),
    emphasisFactor: z.number().min(0).max(5),
    asideFactor: z.number().min(0).max(1),
    /** Multiplier for a term directly followed by a place word (`context.locative`: 医院门口, 学校旁边): a landmark, not the matter. */
    locativeFactor: z.number().min(0).max(1).default(LEXICON_DEFAULTS.scoring.locativeFactor),
    /** Multiplier for a term inside a negated clause ("不是噪音的事"): ≤ 0 takes the domain away. */
    negationFactor: z.number().min(-2).max(1),
    /** Later occurrences of an already counted term add this fraction, at most `maxRepeats` times. */
    repeatFactor: z.number().min(0).max(1),
    maxRepeats: z.number().int().min(0).max(10),
    /** Below this best domain score the ticket is `other`. */
    minDomainScore: z.number().min(0),
    /** Softmax temperature turning domain scores into probabilities. */
    temperature: z.number().positive(),
    /** Pseudo-score of "none of these" in the softmax: weak evidence gives low confidence. */
    otherBaseScore: z.number(),
    /** A ticket-type cue standing where domain terms count more (title, request, emphasis) counts this much. */
    typeCueFactor: z.number().min(0).max(5).default(LEXICON_DEFAULTS.scoring.typeCueFactor),
    /** At most this many domains in a decision's alternatives, each after the first with at least `minAlternativeP`. */
    maxAlternatives: z.number().int().min(1).max(27).default(LEXICON_DEFAULTS.scoring.maxAlternatives),
    minAlternativeP: z.number().min(0).max(1).default(LEXICON_DEFAULTS.scoring.minAlternativeP),
  }),
  /** Longer strings that shadow a contained term (e.g. `来电人` so that `来电` is not read as a power topic). */
  stopTerms: z.array(Term).default([]),
  context: z.strictObject({
    negation: z.array(Term).min(1),
    /** A negation marker preceded by one of these is not one (`是不是`). */
    negationNotAfter: z.array(Char).default([]),
    /** A negation marker followed by one of these is a double negative (`不是不让摆摊`): it affirms. */
    negationNotBefore: z.array(Char).default([]),
    /** A clause ending in one of these is rhetorical (`城区不是禁放吗`): its negation does not count. */
    rhetoricalEnd: z.array(Char).default([]),
    request: z.array(Term).min(1),
    emphasis: z.array(Term).default([]),
    asideForward: z.array(Term).default([]),
    asideBackward: z.array(Term).default([]),
    /** Place words (门口/旁边/附近): the domain term right before one is a landmark ("医院门口的停车场"). */
    locative: z.array(Term).default([]),
  }),
  domains: z.partialRecord(Domain, DomainEntry),
  types: z.strictObject({
    recordedBonus: z.number().min(0),
    defaultType: z.enum(TICKET_TYPES_12345),
    defaultBonus: z.number().min(0),
    cues: z.partialRecord(z.enum(TICKET_TYPES_12345), Terms),
  }),
  cues: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'cue name like "harm_to_many"'), Cue),
  clueRules: z.array(ClueRule).min(1),
  priors: z.strictObject({
    /** 12309 matter type → domain score bonus. */
    matterType: PriorMap.default({}),
    /** 12309 respondent kind → domain score bonus. */
    respondentKind: PriorMap.default({}),
    /** 12309 matter type → clue cue strength (a `pil_clue` matter is itself a public-interest signal). */
    matterTypeCues: z.record(z.string(), z.record(z.string(), z.number())).default({}),
    /** 12345 ticket type (recorded or inferred) → clue cue strength (a 举报 in a PIL field leans to public harm). */
    ticketTypeCues: z.record(z.string(), z.record(z.string(), z.number())).default({}),
    /** 12309 respondent kind → clue cue strength (a complaint against an administrative agency names its actor). */
    respondentKindCues: z.record(z.string(), z.record(z.string(), z.number())).default({}),
  }),
  danger: z.strictObject({
    terms: Terms,
    threshold: z.number().positive(),
  }),
  /**
   * A ticket with no matter of its own goes to review: `fillers` are what such a ticket is made of (greetings,
   * courtesy, `同上`); fewer than `minChars` letters or digits left once they are taken out means no matter.
   */
  noMatter: z
    .strictObject({
      $comment: z.string().optional(),
      fillers: z.array(Term).min(1),
      minChars: z.number().int().min(1).max(20),
    })
    .optional(),
  /** How much evidence a decision lists (it names terms and features, never the caller's words). */
  evidence: z
    .strictObject({
      domainFeatures: z.number().int().min(0).max(20).default(LEXICON_DEFAULTS.evidence.domainFeatures),
      cueFeatures: z.number().int().min(0).max(20).default(LEXICON_DEFAULTS.evidence.cueFeatures),
      dangerTerms: z.number().int().min(0).max(20).default(LEXICON_DEFAULTS.evidence.dangerTerms),
    })
    .optional(),
});
export type LexiconFile = z.infer<typeof LexiconFile>;

// What validation accepts is a `LexiconSource`, so `buildLexicon` can build it (checked by tsc).
const _conforms = (x: z.input<typeof LexiconFile>): LexiconSource => x;
void _conforms;

/**
 * An unbounded repeat (`+`, `*`, `{n,}`) outside a character class. Patterns run on every ticket (up to 5,000
 * characters): with bounded repeats ({1,8}) each start position costs a constant, so matching stays linear; `[0-9]+`
 * was quadratic on a long run of digits, and a repeat over overlapping alternatives can be exponential.
 */
const UNBOUNDED = /[+*]|\{\d+,\}/;
const unboundedRepeat = (regex: string): boolean => UNBOUNDED.test(regex.replace(/\\./g, '').replace(/\[(?:[^\]\\]|\\.)*\]/g, ''));

function checkPatterns(list: { regex: string }[] | undefined, path: string, problems: string[]): void {
  for (const [i, p] of (list ?? []).entries()) {
    try {
      new RegExp(p.regex, 'gu');
    } catch (e) {
      problems.push(`${path}.${i}.regex: not a valid regular expression (${(e as Error).message})`);
      continue;
    }
    if (unboundedRepeat(p.regex))
      problems.push(`${path}.${i}.regex: unbounded repeat (+, * or {n,}); bound it, e.g. [0-9]{1,8}, so matching stays linear in the ticket`);
  }
}

/**
 * Checks a lexicon file; throws `ConfigError` naming `file` and listing every problem by path
 * (`domains.tax.terms.发票: weight must be a number from -20 to 20, got "heavy"`).
 */
export function validateLexicon(data: unknown, file = 'config/lexicon.json'): asserts data is LexiconSource {
  const parsed = LexiconFile.safeParse(data);
  if (!parsed.success) throw ConfigError.fromZod(file, parsed.error);
  const d = parsed.data;
  const problems: string[] = [];

  for (const domain of DOMAINS) {
    const e = d.domains[domain];
    if (!e) {
      if (domain !== 'other') problems.push(`domains.${domain}: missing (every domain needs terms, or it can never be chosen)`);
      continue;
    }
    checkPatterns(e.patterns, `domains.${domain}.patterns`, problems);
  }
  for (const [name, c] of Object.entries(d.cues)) checkPatterns(c.patterns, `cues.${name}.patterns`, problems);

  const cueNames = new Set(Object.keys(d.cues));
  for (const e of Object.values(d.domains)) for (const c of e?.combos ?? []) if (c.cue) cueNames.add(c.cue.name);
  // Cue strengths that do not come from text: 12309 matter types contribute them directly.
  for (const [mt, m] of Object.entries(d.priors.matterTypeCues)) {
    if (!(MATTER_TYPES_12309 as readonly string[]).includes(mt)) problems.push(`priors.matterTypeCues.${mt}: unknown 12309 matter type`);
    for (const cue of Object.keys(m)) cueNames.add(cue);
  }
  for (const [tt, m] of Object.entries(d.priors.ticketTypeCues)) {
    if (!(TICKET_TYPES_12345 as readonly string[]).includes(tt)) problems.push(`priors.ticketTypeCues.${tt}: unknown 12345 ticket type`);
    for (const cue of Object.keys(m)) cueNames.add(cue);
  }
  for (const [rk, m] of Object.entries(d.priors.respondentKindCues)) {
    if (!RESPONDENT_KINDS.includes(rk)) problems.push(`priors.respondentKindCues.${rk}: unknown respondent kind`);
    for (const cue of Object.keys(m)) cueNames.add(cue);
  }
  for (const [key, list] of [
    ['matterType', d.priors.matterType],
    ['respondentKind', d.priors.respondentKind],
  ] as const) {
    const allowed: readonly string[] = key === 'matterType' ? MATTER_TYPES_12309 : RESPONDENT_KINDS;
    for (const k of Object.keys(list)) if (!allowed.includes(k)) problems.push(`priors.${key}.${k}: unknown ${key}`);
  }
  d.clueRules.forEach((r, i) => {
    for (const cue of [...Object.keys(r.require), ...Object.keys(r.score)]) {
      if (!cueNames.has(cue)) problems.push(`clueRules.${i}: unknown cue "${cue}" (declare it under "cues")`);
    }
  });

  if (problems.length) throw new ConfigError(file, problems);
}

/** Validate, then build: for tests and tools that load a lexicon other than the deployed one. */
export function loadLexicon(data: unknown, file = 'config/lexicon.json'): Lexicon {
  validateLexicon(data, file);
  return buildLexicon(data);
}
