/**
 * Stage 6: the domain and its probability. A softmax (temperature `scoring.temperature`) over the domains that have
 * evidence plus an "unknown" pseudo-score; below `minDomainScore` the ticket is `other`. Evidence names the strongest
 * features of the chosen domain, the runner-up and the context markers that applied.
 */
import { DOMAINS, type Domain } from '../../taxonomy.js';
import { DOMAIN_INDEX, type Knowledge } from '../knowledge.js';
import type { ContextMarks } from './read-ticket.js';
import type { Tally } from './evidence.js';

export interface DomainProbability {
  domain: Domain;
  p: number;
}

export interface DomainChoice {
  /** Index of the chosen domain. */
  top: number;
  domain: Domain;
  confidence: number;
  alternatives: DomainProbability[];
  /** Unnormalised probabilities and their sum: a clue rule that sets the domain reads them. */
  exps: Float64Array;
  z: number;
  evidence: string[];
}

export const fmt = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(1);

const OTHER = DOMAIN_INDEX.get('other')!;

export function chooseDomain(tally: Tally, c: ContextMarks, k: Knowledge): DomainChoice {
  const s = k.lexicon.scoring;
  const scores = tally.scores;
  const evidence: string[] = [];
  let top = OTHER;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > scores[top]!) top = i;
  const weak = scores[top]! < s.minDomainScore;
  const exps = new Float64Array(scores.length);
  let z = Math.exp(s.otherBaseScore / s.temperature);
  const otherBase = z;
  // Only domains with evidence share the probability: 25 domains with no term at all say nothing about the rest.
  for (let i = 0; i < scores.length; i++) {
    exps[i] = scores[i]! > 0 ? Math.exp(scores[i]! / s.temperature) : 0;
    z += exps[i]!;
  }
  if (weak) {
    top = OTHER;
    exps[OTHER] = exps[OTHER]! + otherBase;
    evidence.push(`domain:other<=weak-evidence(${fmt(Math.max(...scores))})`);
  }
  const order: number[] = [];
  for (let i = 0; i < exps.length; i++) if (exps[i]! > 0 && i !== top) order.push(i);
  order.sort((a, b) => exps[b]! - exps[a]!);
  order.unshift(top);
  const alternatives: DomainProbability[] = [];
  for (let i = 0; i < order.length && alternatives.length < s.maxAlternatives; i++) {
    const p = exps[order[i]!]! / z;
    if (i === 0 || p >= s.minAlternativeP) alternatives.push({ domain: DOMAINS[order[i]!]!, p });
  }
  const domain = DOMAINS[top]!;
  evidence.push(...termEvidence(top, tally, k));
  const runnerUp = order[1];
  if (runnerUp !== undefined && scores[runnerUp]! > 0) evidence.push(`runner-up:${DOMAINS[runnerUp]}(${fmt(scores[runnerUp]!)})`);
  if (c.negFrom.size) evidence.push('context:negation');
  if (c.reqFrom.size) evidence.push('context:request');
  if (c.asideFrom.size || c.asideClauses.size) evidence.push('context:aside');
  return { top, domain, confidence: exps[top]! / z, alternatives, exps, z, evidence };
}

/** The lexicon features that spoke for domain `top` the most, as `domain:<domain><=<term>(<contribution>)`. */
function termEvidence(top: number, tally: Tally, k: Knowledge): string[] {
  const domain = DOMAINS[top]!;
  const byFeature = new Map<string, number>();
  for (let i = 0; i < tally.counted.length; i += 2) {
    const e = k.entries[tally.counted[i]!]!;
    for (const [di, w] of e.domains) if (di === top) byFeature.set(e.term, (byFeature.get(e.term) ?? 0) + w * tally.counted[i + 1]!);
  }
  for (const [di, feature, v] of tally.extra) if (di === top) byFeature.set(feature, (byFeature.get(feature) ?? 0) + v);
  const contributions = [...byFeature].sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, k.lexicon.evidence.domainFeatures);
  return contributions.map(([term, v]) => `domain:${domain}<=${term}(${fmt(v)})`);
}

/**
 * The learned router's choice (model/router-model.ts): its calibrated distribution decides; the evidence names the
 * model's probability, the lexicon's own choice when it differs, and the lexicon terms that support the chosen
 * domain (known vocabulary only: never n-grams of the ticket's text, which may hold personal data).
 */
export function chooseFromModel(p: Float64Array, lexicon: DomainChoice, tally: Tally, k: Knowledge): DomainChoice {
  const s = k.lexicon.scoring;
  let top = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[top]!) top = i;
  const order: number[] = [];
  for (let i = 0; i < p.length; i++) if (i !== top) order.push(i);
  order.sort((a, b) => p[b]! - p[a]!);
  order.unshift(top);
  const alternatives: DomainProbability[] = [];
  for (let i = 0; i < order.length && alternatives.length < s.maxAlternatives; i++) {
    if (i === 0 || p[order[i]!]! >= s.minAlternativeP) alternatives.push({ domain: DOMAINS[order[i]!]!, p: p[order[i]!]! });
  }
  const evidence = [`model:${DOMAINS[top]}(p=${p[top]!.toFixed(2)})`, ...termEvidence(top, tally, k)];
  if (lexicon.top !== top) evidence.push(`lexicon:${lexicon.domain}(p=${lexicon.confidence.toFixed(2)})`);
  return { top, domain: DOMAINS[top]!, confidence: p[top]!, alternatives, exps: p, z: 1, evidence };
}

/** The choice after a clue rule set the domain (taxonomy §5): that domain first, its probability as confidence. */
export function withDomain(choice: DomainChoice, domain: Domain, maxAlternatives: number): DomainChoice {
  const confidence = choice.exps[DOMAIN_INDEX.get(domain)!]! / choice.z;
  const rest = choice.alternatives.filter((a) => a.domain !== domain);
  return { ...choice, domain, confidence, alternatives: [{ domain, p: confidence }, ...rest.slice(0, maxAlternatives - 1)] };
}
