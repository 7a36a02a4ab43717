/**
 * Stages 3–5: what the terms, patterns, combos, topics and hints in a ticket add up to. Each stage adds to one
 * `Tally` (domain scores and clue-cue strengths) in a fixed order: the order of the additions is part of the result
 * (floating point), so the stages run in exactly the order `classify` calls them.
 */
import { DOMAINS, type Domain } from '../../taxonomy.js';
import type { SourcedTicket } from '../../ticket/schemas.js';
import { DOMAIN_INDEX, type Knowledge } from '../knowledge.js';
import { readable } from '../text.js';
import { factorAt, type ContextMarks, type TicketText } from './read-ticket.js';

/** Domain scores and clue-cue strengths, with what contributed to each. */
export interface Tally {
  scores: Float64Array;
  /** Counted domain-term hits as pairs: entry index, factor it was counted with (evidence is built from these). */
  counted: number[];
  /** Domain, feature, contribution: patterns, combos, topics, hints and priors. */
  extra: [number, string, number][];
  cueStrength: Float64Array;
  /** What fed each cue (terms, `pattern:<id>`, `combo:<id>`, priors), in order. */
  cueSources: string[][];
}

export function newTally(k: Knowledge): Tally {
  return {
    scores: new Float64Array(DOMAINS.length),
    counted: [],
    extra: [],
    cueStrength: new Float64Array(k.cueNames.length),
    cueSources: k.cueNames.map(() => []),
  };
}

function addCue(tally: Tally, ci: number, w: number, source: string): void {
  tally.cueStrength[ci] = tally.cueStrength[ci]! + w;
  tally.cueSources[ci]!.push(source);
}

/**
 * Stage 3a: domain terms. A term inside a longer lexicon term does not count on its own (电信 in 电信诈骗); repeats add
 * `repeatFactor`, at most `maxRepeats` times; a term right before a place word is a landmark (医院门口).
 */
export function scoreDomainTerms(tt: TicketText, c: ContextMarks, k: Knowledge, tally: Tally): void {
  const s = k.lexicon.scoring;
  const domainMatches = tt.matches.filter((m) => {
    const e = k.entries[m.pattern]!;
    return e.domains.length > 0 || e.stop;
  });
  domainMatches.sort((a, b) => a.start - b.start || b.end - a.end);
  const seen = new Map<number, number>(); // entry → occurrences counted
  const scores = tally.scores;
  let maxEnd = -1;
  for (const m of domainMatches) {
    if (m.end <= maxEnd) continue;
    maxEnd = m.end;
    const e = k.entries[m.pattern]!;
    if (e.stop) continue;
    const n = seen.get(m.pattern) ?? 0;
    if (n > s.maxRepeats) continue;
    seen.set(m.pattern, n + 1);
    let f = factorAt(tt, c, s, m.start) * (n === 0 ? 1 : s.repeatFactor);
    if (c.locativeAt.size && c.locativeAt.has(m.end)) f *= s.locativeFactor;
    for (const [di, w] of e.domains) scores[di] = scores[di]! + w * f;
    tally.counted.push(m.pattern, f);
  }
}

/** What the other term kinds say: ticket-type cues, danger to life, combo and topic groups, and every term seen. */
export interface TermFeatures {
  /** Lexicon and routing terms found (normalised): the router's overrides and judicial routes read them. */
  terms: Set<string>;
  typeScores: Map<string, number>;
  danger: number;
  dangerTerms: string[];
  /** rule × 4096 + sentence (4095 = whole ticket) → bit mask of the groups seen. */
  groupHits: Map<number, number>;
  /** Rules one of whose `none` terms was seen. */
  noneHit: Set<number>;
}

/** Stage 3b: each distinct term once for types, clue cues and danger (danger not in a negated clause); groups by scope. */
export function readTermFeatures(tt: TicketText, c: ContextMarks, k: Knowledge, tally: Tally): TermFeatures {
  const s = k.lexicon.scoring;
  const lay = tt.layout;
  const terms = new Set<string>();
  const typeScores = new Map<string, number>();
  const once = new Set<number>();
  let danger = 0;
  const dangerTerms: string[] = [];
  const groupHits = new Map<number, number>();
  const noneHit = new Set<number>();
  for (const m of tt.matches) {
    const e = k.entries[m.pattern]!;
    terms.add(e.term);
    const first = !once.has(m.pattern);
    if (first) once.add(m.pattern);
    if (first && e.types.length) {
      const f = factorAt(tt, c, s, m.start) > 1 ? s.typeCueFactor : 1;
      for (const [type, w] of e.types) typeScores.set(type, (typeScores.get(type) ?? 0) + w * f);
    }
    if (first && e.cues.length) {
      for (const [ci, w] of e.cues) addCue(tally, ci, w, e.term);
    }
    if (first && e.danger) {
      const neg = c.negFrom.get(lay.clauseOf[m.start]!);
      if (neg === undefined || m.start < neg) {
        danger += e.danger;
        dangerTerms.push(e.term);
      }
    }
    for (const [ri, gi] of e.groups) {
      if (gi < 0) {
        noneHit.add(ri);
        continue;
      }
      const key = ri * 4096 + (k.groupRules[ri]!.scope === 'sentence' ? Math.min(lay.sentenceOf[m.start]!, 4094) : 4095);
      groupHits.set(key, (groupHits.get(key) ?? 0) | (1 << gi));
    }
  }
  return { terms, typeScores, danger, dangerTerms, groupHits, noneHit };
}

/**
 * Stage 3c: regular-expression patterns. For a domain the strongest occurrence counts (a negative, counter-evidence
 * pattern by its size); a cue pattern counts once if it occurs at all.
 */
export function scorePatterns(tt: TicketText, c: ContextMarks, k: Knowledge, tally: Tally): void {
  const s = k.lexicon.scoring;
  const text = tt.text;
  for (const { domain, pattern } of k.domainPatterns) {
    pattern.regex.lastIndex = 0;
    let v = 0;
    for (let m = pattern.regex.exec(text); m; m = pattern.regex.exec(text)) {
      const x = pattern.weight * factorAt(tt, c, s, m.index);
      if (Math.abs(x) > Math.abs(v)) v = x;
    }
    if (v !== 0) {
      tally.scores[domain] = tally.scores[domain]! + v;
      tally.extra.push([domain, `pattern:${pattern.id}`, v]);
    }
  }
  for (const { cue, pattern } of k.cuePatterns) {
    pattern.regex.lastIndex = 0;
    if (pattern.regex.test(text)) addCue(tally, cue, pattern.weight, `pattern:${pattern.id}`);
  }
}

/**
 * Stage 4: combos (indirect descriptions) and topics (the context rules of taxonomy §4): a rule fires once when one
 * term of each of its groups stands in one sentence (or the ticket), and none of its `none` terms anywhere.
 * Returns the evidence for the topics that fired.
 */
export function applyGroupRules(f: TermFeatures, k: Knowledge, tally: Tally): string[] {
  const evidence: string[] = [];
  const fired = new Set<number>();
  for (const [key, mask] of f.groupHits) {
    const ri = Math.floor(key / 4096);
    const rule = k.groupRules[ri]!;
    if (fired.has(ri) || mask !== (1 << rule.groupCount) - 1 || (rule.hasNone && f.noneHit.has(ri))) continue;
    fired.add(ri);
    tally.scores[rule.domain] = tally.scores[rule.domain]! + rule.weight;
    tally.extra.push([rule.domain, `${rule.kind}:${rule.id}`, rule.weight]);
    if (rule.cue) addCue(tally, rule.cue.index, rule.cue.weight, `${rule.kind}:${rule.id}`);
    if (rule.kind === 'topic') evidence.push(`topic:${rule.id}->${DOMAINS[rule.domain]}`);
  }
  return evidence;
}

/**
 * Stage 5: hints outside the text. The 12345 platform's category is scored with the same terms at `categoryWeight`
 * (it can be wrong, so the text overrules it); for 12309 the matter type and respondent kind add priors.
 */
export function applyHints(t: SourcedTicket, k: Knowledge, tally: Tally): void {
  const scores = tally.scores;
  if (t.source === '12345') {
    if (!t.ticket.hotlineCategory) return;
    const weight = k.lexicon.scoring.categoryWeight;
    const hits = k.matcher.search(readable(t.ticket.hotlineCategory)).filter((m) => k.entries[m.pattern]!.domains.length || k.entries[m.pattern]!.stop);
    hits.sort((a, b) => a.start - b.start || b.end - a.end);
    let end = -1;
    const hinted = new Set<number>();
    for (const m of hits) {
      if (m.end <= end) continue;
      end = m.end;
      const e = k.entries[m.pattern]!;
      if (e.stop || hinted.has(m.pattern)) continue;
      hinted.add(m.pattern);
      for (const [di, w] of e.domains) {
        scores[di] = scores[di]! + w * weight;
        tally.extra.push([di, `hint:${e.term}`, w * weight]);
      }
    }
    return;
  }
  const priors = k.lexicon.priors;
  const { matterType, respondent } = t.ticket;
  for (const [name, map] of [
    [`matterType:${matterType}`, priors.matterType[matterType]],
    [`respondent:${respondent?.kind ?? ''}`, respondent ? priors.respondentKind[respondent.kind] : undefined],
  ] as const) {
    for (const [d, w] of Object.entries(map ?? {})) {
      const di = DOMAIN_INDEX.get(d as Domain)!;
      scores[di] = scores[di]! + w;
      tally.extra.push([di, name, w]);
    }
  }
  for (const [name, w] of Object.entries(priors.matterTypeCues[matterType] ?? {})) addCue(tally, k.cueIndex.get(name)!, w, `matterType:${matterType}`);
  const rk = respondent?.kind;
  for (const [name, w] of Object.entries((rk && priors.respondentKindCues[rk]) || {})) addCue(tally, k.cueIndex.get(name)!, w, `respondent:${rk}`);
}
