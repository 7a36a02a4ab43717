/**
 * Stage 8: the clue for the procuratorate (taxonomy §5): the first rule whose required cues hold and whose weighted cue
 * score reaches its threshold. A 12345 ticket type adds its cue priors first (a 举报 leans to public harm).
 */
import { CLUE_KINDS, type ClueKind, type Domain } from '../../taxonomy.js';
import type { SourcedTicket } from '../../ticket/schemas.js';
import type { Knowledge } from '../knowledge.js';
import type { Tally } from './evidence.js';
import type { TypeChoice } from './ticket-type.js';

export interface ClueChoice {
  clue: ClueKind;
  /** The domain the firing rule sets for this hotline (`setsDomain`), when it differs from the chosen one. */
  setsDomain?: Domain;
  evidence: string[];
}

/** Each clue cue's strength after the ticket type's priors, capped (what the rules and the clue head read). */
export interface ClueCues {
  strength: Float64Array;
  sources: string[][];
}

/** The tally's cue strengths plus a 12345 ticket type's cue priors (a 举报 leans to public harm), capped; the tally is not changed. */
export function readClueCues(t: SourcedTicket, type: TypeChoice, k: Knowledge, tally: Tally): ClueCues {
  const strength = Float64Array.from(tally.cueStrength);
  const sources = tally.cueSources.map((s) => [...s]);
  if (t.source === '12345') {
    for (const [name, w] of Object.entries(k.lexicon.priors.ticketTypeCues[type.ticketType] ?? {})) {
      const ci = k.cueIndex.get(name)!;
      strength[ci] = strength[ci]! + w;
      sources[ci]!.push(`type:${type.ticketType}`);
    }
  }
  for (let ci = 0; ci < strength.length; ci++) strength[ci] = Math.min(strength[ci]!, k.cueCaps[ci]!);
  return { strength, sources };
}

export function chooseClue(t: SourcedTicket, top: number, domain: Domain, type: TypeChoice, k: Knowledge, cues: ClueCues): ClueChoice {
  const { ticketType } = type;
  const strength = (ci: number): number => (ci < 0 ? 0 : cues.strength[ci]!);
  const shown = k.lexicon.evidence.cueFeatures;
  for (const rule of k.clueRules) {
    if (rule.domains === 'pil' && !k.pil[top]) continue;
    if (rule.domains === 'non-pil' && k.pil[top]) continue;
    if (rule.excludeDomains.has(domain)) continue;
    const excluded = rule.excludeTypes.has(ticketType);
    if (excluded && !type.inferred) continue;
    if (!rule.require.every(([ci, min]) => strength(ci) >= min)) continue;
    let score = 0;
    for (const [ci, w] of rule.score) score += w * strength(ci);
    if (score < rule.threshold + (excluded ? rule.inferredTypeMargin : 0)) continue;
    if (excluded && rule.inferredTypeMargin === 0) continue;
    const why = rule.score.filter(([ci, w]) => w > 0 && strength(ci) > 0).map(([ci]) => `${k.cueNames[ci]}:${cues.sources[ci]!.slice(0, shown).join('/')}`);
    const evidence = [`clue:${rule.kind}(${score.toFixed(1)}>=${rule.threshold})<=${why.join(';')}`];
    // Taxonomy §5: some clues decide the domain on one hotline (a 12309 judicial-aid request is judicial_affairs).
    if (rule.setsDomain && rule.setsDomain.source === t.source && rule.setsDomain.domain !== domain) {
      evidence.push(`domain:${domain}->${rule.setsDomain.domain}<=clue:${rule.kind}`);
      return { clue: rule.kind, setsDomain: rule.setsDomain.domain, evidence };
    }
    return { clue: rule.kind, evidence };
  }
  return { clue: 'none', evidence: [] };
}

/**
 * With the learned clue head: the best clue kind that taxonomy §5 allows here, i.e. that some clue rule of that kind
 * admits for this domain and ticket type (its domain and type filters; the head replaces its cue thresholds). A kind
 * scores log P(kind) + `ruleBonus` if the rules chose it + `noneBias` for `none` (both fitted on the calibration slice).
 * `none` is always allowed. A rule's `setsDomain` applies as with the rules alone.
 */
export function chooseClueFromModel(
  p: Float64Array,
  fit: { ruleBonus: number; noneBias: number },
  lexicon: ClueChoice,
  t: SourcedTicket,
  top: number,
  domain: Domain,
  type: TypeChoice,
  k: Knowledge,
): ClueChoice {
  const admits = (rule: Knowledge['clueRules'][number]): boolean =>
    !(rule.domains === 'pil' && !k.pil[top]) &&
    !(rule.domains === 'non-pil' && k.pil[top]) &&
    !rule.excludeDomains.has(domain) &&
    !(rule.excludeTypes.has(type.ticketType) && !type.inferred);
  const score = (c: number): number => Math.log(p[c]!) + (CLUE_KINDS[c] === lexicon.clue ? fit.ruleBonus : 0) + (c === 0 ? fit.noneBias : 0);
  let best = 0; // CLUE_KINDS[0] is 'none'
  let bestScore = score(0);
  for (let c = 1; c < CLUE_KINDS.length; c++) {
    const s = score(c);
    if (s > bestScore && k.clueRules.some((r) => r.kind === CLUE_KINDS[c] && admits(r))) [best, bestScore] = [c, s];
  }
  const clue = CLUE_KINDS[best]!;
  const evidence = [`clue-model:${clue}(p=${p[best]!.toFixed(2)})`];
  if (lexicon.clue === clue) evidence.push(...lexicon.evidence.filter((e) => !e.startsWith('domain:')));
  else evidence.push(`lexicon-clue:${lexicon.clue}`);
  const sets = k.clueRules.find((r) => r.kind === clue && r.setsDomain && r.setsDomain.source === t.source)?.setsDomain;
  if (clue !== 'none' && sets && sets.domain !== domain) {
    evidence.push(`domain:${domain}->${sets.domain}<=clue:${clue}`);
    return { clue, setsDomain: sets.domain, evidence };
  }
  return { clue, evidence };
}
