/**
 * Stage 8: the clue for the procuratorate (taxonomy §5): the first rule whose required cues hold and whose weighted cue
 * score reaches its threshold. A 12345 ticket type adds its cue priors first (a 举报 leans to public harm).
 */
import type { ClueKind, Domain } from '../../taxonomy.js';
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

export function chooseClue(t: SourcedTicket, top: number, domain: Domain, type: TypeChoice, k: Knowledge, tally: Tally): ClueChoice {
  const { ticketType } = type;
  if (t.source === '12345') {
    for (const [name, w] of Object.entries(k.lexicon.priors.ticketTypeCues[ticketType] ?? {})) {
      const ci = k.cueIndex.get(name)!;
      tally.cueStrength[ci] = tally.cueStrength[ci]! + w;
      tally.cueSources[ci]!.push(`type:${ticketType}`);
    }
  }
  const strength = (ci: number): number => (ci < 0 ? 0 : Math.min(tally.cueStrength[ci]!, k.cueCaps[ci]!));
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
    const why = rule.score.filter(([ci, w]) => w > 0 && strength(ci) > 0).map(([ci]) => `${k.cueNames[ci]}:${tally.cueSources[ci]!.slice(0, shown).join('/')}`);
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
