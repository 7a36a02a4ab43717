/**
 * The classifier's knowledge (词库): weighted terms per domain, ticket-type cues, clue cues and rules, context markers
 * (negation, request, aside), danger-to-life cues and the scoring constants, as `config/lexicon.json` holds them.
 *
 * Two steps, on purpose apart:
 * - `validateLexicon` (`lexicon-schema.ts`, zod) checks a file and lists every problem by path. It runs in the tests
 *   and in `cdk synth`, so a bad edit never reaches a deployment.
 * - `buildLexicon` (here, no zod) turns the file into what the classifier uses: defaults filled in, regular
 *   expressions compiled. It is what a Lambda runs at cold start, on the same JSON that synth validated.
 */
import type { ClueKind, Domain } from '../taxonomy.js';
import { DOMAINS } from '../taxonomy.js';

/**
 * What an omitted optional field means. The schema (`lexicon-schema.ts`) and `buildLexicon` both read this one table,
 * so a file is built exactly as it was validated.
 */
export const LEXICON_DEFAULTS = {
  scoring: {
    locativeFactor: 1,
    typeCueFactor: 1.3,
    maxAlternatives: 4,
    minAlternativeP: 0.02,
  },
  evidence: { domainFeatures: 4, cueFeatures: 3, dangerTerms: 3 },
  cueCap: 6,
  comboScope: 'sentence',
  clueRuleDomains: 'any',
} as const;

export type Terms = Record<string, number>;

/**
 * A ticket without a matter of its own (无实质诉求): once its fillers (greetings, courtesy, `同上`, `如题`) and
 * everything that is not a letter or a digit are taken out, fewer than `minChars` characters are left. The router sends
 * it to the dispatch center instead of guessing a domain from nothing.
 */
export interface NoMatter {
  $comment?: string;
  fillers: string[];
  minChars: number;
}

/** A regular expression scored like a term; evidence names its `id`, never the matched text (it may be personal data). */
export interface PatternSource {
  id: string;
  regex: string;
  weight: number;
}

/** Co-occurrence of one term from each group (in one sentence, or anywhere in the ticket): indirect descriptions. */
export interface ComboSource {
  id: string;
  all: string[][];
  weight: number;
  scope?: 'sentence' | 'ticket';
  /** Optionally also feeds a clue cue (damage to a protected relic is public harm by itself). */
  cue?: { name: string; weight: number };
}

export interface ClueRuleSource {
  kind: Exclude<ClueKind, 'none'>;
  /** Minimum strength per cue: all must hold. */
  require?: Record<string, number>;
  /** score = Σ weight × cue strength; the rule fires when score ≥ threshold and every `require` holds. */
  score: Record<string, number>;
  threshold: number;
  domains?: 'any' | 'pil' | 'non-pil';
  excludeDomains?: Domain[];
  /**
   * Ticket types the rule never fires for. For a 12345 ticket whose type the call taker left blank, the inferred type
   * is only a guess: it excludes unless the score reaches `threshold + inferredTypeMargin`.
   */
  excludeTypes?: string[];
  inferredTypeMargin?: number;
  /** When the rule fires on a ticket from `source`, the ticket's domain is `domain` (taxonomy §5). */
  setsDomain?: { source: '12345' | '12309'; domain: Domain };
}

export interface Scoring {
  /** Terms found in the platform's `hotlineCategory` count this much (a weak hint, sometimes wrong). */
  categoryWeight: number;
  titleFactor: number;
  /** Text after a request marker (要求/希望/请/诉求) and the 12309 `demand` field. */
  requestFactor: number;
  demandFactor: number;
  emphasisFactor: number;
  asideFactor: number;
  /** Multiplier for a term directly followed by a place word (医院门口): a landmark, not the matter. */
  locativeFactor: number;
  /** Multiplier for a term inside a negated clause ("不是噪音的事"): ≤ 0 takes the domain away. */
  negationFactor: number;
  /** Later occurrences of an already counted term add this fraction, at most `maxRepeats` times. */
  repeatFactor: number;
  maxRepeats: number;
  /** Below this best domain score the ticket is `other`. */
  minDomainScore: number;
  /** Softmax temperature turning domain scores into probabilities. */
  temperature: number;
  /** Pseudo-score of "none of these" in the softmax: weak evidence gives low confidence. */
  otherBaseScore: number;
  /** A ticket-type cue standing where domain terms count more (title, request, emphasis) counts this much. */
  typeCueFactor: number;
  /** At most this many domains in `alternatives`, each (after the first) with at least `minAlternativeP`. */
  maxAlternatives: number;
  minAlternativeP: number;
}

export interface Context {
  negation: string[];
  /** A negation marker preceded by one of these characters is not one (`是不是`). */
  negationNotAfter: string[];
  /** A negation marker followed by one of these characters is a double negative (`不是不让摆摊`): it affirms. */
  negationNotBefore: string[];
  /** A clause ending in one of these characters is rhetorical (`城区不是禁放吗`): its negation does not count. */
  rhetoricalEnd: string[];
  request: string[];
  emphasis: string[];
  asideForward: string[];
  asideBackward: string[];
  /** Place words (门口/旁边/附近): the domain term right before one is a landmark ("医院门口的停车场"). */
  locative: string[];
}

/** `config/lexicon.json` as written: the optional fields are filled from `LEXICON_DEFAULTS` by `buildLexicon`. */
export interface LexiconSource {
  version: 1;
  scoring: Omit<Scoring, keyof typeof LEXICON_DEFAULTS.scoring> & Partial<Pick<Scoring, keyof typeof LEXICON_DEFAULTS.scoring>>;
  /** Longer strings that shadow a contained term (`来电人`, so that `来电` is not read as a power topic). */
  stopTerms?: string[];
  context: Pick<Context, 'negation' | 'request'> & Partial<Context>;
  domains: Partial<Record<Domain, { terms: Terms; patterns?: PatternSource[]; combos?: ComboSource[] }>>;
  types: { recordedBonus: number; defaultType: string; defaultBonus: number; cues: Record<string, Terms | undefined> };
  /** A cue's strength is the sum of its distinct matched terms, capped at `cap`. */
  cues: Record<string, { terms: Terms; patterns?: PatternSource[]; cap?: number }>;
  clueRules: ClueRuleSource[];
  priors: Partial<Priors>;
  danger: { terms: Terms; threshold: number };
  /** What a ticket with no matter of its own is made of (greetings, 同上); absent: every ticket is read as having one. */
  noMatter?: NoMatter;
  /** How much evidence a decision lists. */
  evidence?: Partial<Evidence>;
}

export interface Priors {
  /** 12309 matter type → domain score bonus. */
  matterType: Record<string, Partial<Record<Domain, number>> | undefined>;
  /** 12309 respondent kind → domain score bonus. */
  respondentKind: Record<string, Partial<Record<Domain, number>> | undefined>;
  /** 12309 matter type → clue cue strength (a `pil_clue` matter is itself a public-interest signal). */
  matterTypeCues: Record<string, Record<string, number> | undefined>;
  /** 12345 ticket type (recorded or inferred) → clue cue strength (a 举报 in a PIL field leans to public harm). */
  ticketTypeCues: Record<string, Record<string, number> | undefined>;
  /** 12309 respondent kind → clue cue strength (a complaint against an administrative agency names its actor). */
  respondentKindCues: Record<string, Record<string, number> | undefined>;
}

export interface Evidence {
  /** Strongest features listed for the chosen domain. */
  domainFeatures: number;
  /** Terms listed per clue cue. */
  cueFeatures: number;
  /** Danger-to-life terms listed. */
  dangerTerms: number;
}

export interface CompiledPattern {
  id: string;
  regex: RegExp;
  weight: number;
}
export interface CompiledCombo {
  id: string;
  groups: string[][];
  weight: number;
  scope: 'sentence' | 'ticket';
  cue?: { name: string; weight: number };
}
export interface CompiledClueRule {
  kind: Exclude<ClueKind, 'none'>;
  require: [string, number][];
  score: [string, number][];
  threshold: number;
  domains: 'any' | 'pil' | 'non-pil';
  excludeDomains: ReadonlySet<Domain>;
  excludeTypes: ReadonlySet<string>;
  inferredTypeMargin: number;
  setsDomain?: { source: '12345' | '12309'; domain: Domain };
}

/** The lexicon with defaults filled in and regular expressions compiled; what the classifier is built from. */
export interface Lexicon {
  scoring: Scoring;
  stopTerms: string[];
  context: Context;
  domains: { domain: Domain; terms: [string, number][]; patterns: CompiledPattern[]; combos: CompiledCombo[] }[];
  types: { recordedBonus: number; defaultType: string; defaultBonus: number; cues: Record<string, Terms | undefined> };
  cues: { name: string; terms: [string, number][]; patterns: CompiledPattern[]; cap: number }[];
  clueRules: CompiledClueRule[];
  priors: Priors;
  danger: { terms: Terms; threshold: number };
  noMatter: NoMatter;
  evidence: Evidence;
}

const compile = (list: PatternSource[] | undefined): CompiledPattern[] =>
  (list ?? []).map((p) => ({ id: p.id, regex: new RegExp(p.regex, 'gu'), weight: p.weight }));

/**
 * The classifier's lexicon from `config/lexicon.json` as `validateLexicon` accepted it. No validation here (that is
 * the point: it is the cold-start path); given a file that fails validation the result is undefined behaviour.
 */
export function buildLexicon(file: LexiconSource): Lexicon {
  const D = LEXICON_DEFAULTS;
  const domains: Lexicon['domains'] = [];
  for (const domain of DOMAINS) {
    const e = file.domains[domain];
    if (!e) continue;
    domains.push({
      domain,
      terms: Object.entries(e.terms),
      patterns: compile(e.patterns),
      combos: (e.combos ?? []).map((c) => ({ id: c.id, groups: c.all, weight: c.weight, scope: c.scope ?? D.comboScope, ...(c.cue ? { cue: c.cue } : {}) })),
    });
  }
  const ctx = file.context;
  const priors = file.priors;
  return {
    scoring: { ...D.scoring, ...file.scoring },
    stopTerms: file.stopTerms ?? [],
    context: {
      negation: ctx.negation,
      negationNotAfter: ctx.negationNotAfter ?? [],
      negationNotBefore: ctx.negationNotBefore ?? [],
      rhetoricalEnd: ctx.rhetoricalEnd ?? [],
      request: ctx.request,
      emphasis: ctx.emphasis ?? [],
      asideForward: ctx.asideForward ?? [],
      asideBackward: ctx.asideBackward ?? [],
      locative: ctx.locative ?? [],
    },
    domains,
    types: file.types,
    cues: Object.entries(file.cues).map(([name, c]) => ({ name, terms: Object.entries(c.terms), patterns: compile(c.patterns), cap: c.cap ?? D.cueCap })),
    clueRules: file.clueRules.map((r) => ({
      kind: r.kind,
      require: Object.entries(r.require ?? {}),
      score: Object.entries(r.score),
      threshold: r.threshold,
      domains: r.domains ?? D.clueRuleDomains,
      excludeDomains: new Set(r.excludeDomains ?? []),
      excludeTypes: new Set(r.excludeTypes ?? []),
      inferredTypeMargin: r.inferredTypeMargin ?? 0,
      ...(r.setsDomain ? { setsDomain: r.setsDomain } : {}),
    })),
    priors: {
      matterType: priors.matterType ?? {},
      respondentKind: priors.respondentKind ?? {},
      matterTypeCues: priors.matterTypeCues ?? {},
      ticketTypeCues: priors.ticketTypeCues ?? {},
      respondentKindCues: priors.respondentKindCues ?? {},
    },
    danger: file.danger,
    noMatter: file.noMatter ?? { fillers: [], minChars: 0 },
    evidence: { ...D.evidence, ...file.evidence },
  };
}
