/**
 * Ticket classifier (分类): domain, ticket type, procuratorate clue and urgency from a weighted lexicon.
 *
 * One Aho–Corasick pass finds every lexicon and routing term in the ticket; each hit is weighted by where it stands
 * (a negated clause counts against its domain, text after 要求/希望/请 and the 12309 `demand` count more, an aside
 * counts less), domain scores become probabilities with a softmax, and clue rules read cue strengths. Everything it
 * knows comes from the lexicon and routing files; there is no domain-specific branch here. No I/O at call time.
 */
import { DOMAINS, type ClueKind, type Domain, type TicketType, type Urgency } from '../taxonomy.js';
import type { SourcedTicket } from '../ticket/schemas.js';
import type { Lexicon, CompiledClueRule, CompiledPattern } from './lexicon.js';
import type { RoutingTable } from '../route/routing-table.js';
import { TermMatcher } from './matcher.js';
import { clauseTail, layout, normalise } from './text.js';

export interface DomainProbability {
  domain: Domain;
  p: number;
}

export interface Classification {
  domain: Domain;
  ticketType: TicketType;
  typeOverruled: boolean;
  clue: ClueKind;
  urgency: Urgency;
  /** P(domain) of the chosen domain. */
  confidence: number;
  /** The most probable domains, best first (at most 4, p ≥ 0.02). */
  alternatives: DomainProbability[];
  /** Lexicon and routing terms found in the ticket (normalised): the router's overrides and judicial routes read them. */
  terms: ReadonlySet<string>;
  evidence: string[];
}

/** What one pattern string stands for in the lexicon and routing table. */
interface Entry {
  term: string;
  domains: [number, number][];
  stop: boolean;
  types: [string, number][];
  cues: [number, number][];
  ctx: ('negation' | 'request' | 'emphasis' | 'asideForward' | 'asideBackward' | 'locative')[];
  danger: number;
  /** [rule index, group index] for combos and topics; -1 group = a `none` term of the rule. */
  groups: [number, number][];
}

interface GroupRule {
  id: string;
  kind: 'combo' | 'topic';
  groupCount: number;
  hasNone: boolean;
  scope: 'sentence' | 'ticket';
  domain: number;
  weight: number;
  cue?: { index: number; weight: number };
}

/**
 * Most of the ~8,000 entries use one or two of their lists: they all start with this shared empty list and get their
 * own on first `add` (fewer allocations at module init, i.e. cold start).
 */
const NONE: never[] = [];
type ListKey = 'domains' | 'types' | 'cues' | 'ctx' | 'groups';
function add<K extends ListKey>(e: Entry, key: K, value: Entry[K][number]): void {
  let list = e[key] as Entry[K][number][];
  if (list === NONE) list = (e as unknown as Record<ListKey, unknown[]>)[key] = [];
  list.push(value);
}

const DOMAIN_INDEX = new Map<Domain, number>(DOMAINS.map((d, i) => [d, i]));
const OTHER = DOMAIN_INDEX.get('other')!;
const fmt = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(1);

export class Classifier {
  private readonly matcher: TermMatcher;
  private readonly entries: Entry[] = [];
  private readonly groupRules: GroupRule[] = [];
  private readonly domainPatterns: { domain: number; pattern: CompiledPattern }[] = [];
  private readonly cuePatterns: { cue: number; pattern: CompiledPattern }[] = [];
  private readonly cueNames: string[];
  private readonly cueCaps: number[];
  /** Clue rules with cue names resolved to indexes. */
  private readonly clueRules: (Omit<CompiledClueRule, 'require' | 'score'> & { require: [number, number][]; score: [number, number][] })[];
  private readonly pil: boolean[];
  private readonly negationNotAfter: ReadonlySet<string>;
  private readonly rhetoricalEnd: ReadonlySet<string>;

  constructor(
    private readonly lexicon: Lexicon,
    private readonly routing: RoutingTable,
  ) {
    this.cueNames = lexicon.cues.map((c) => c.name);
    this.cueCaps = lexicon.cues.map((c) => c.cap);
    // Cues that only come from priors or topics (e.g. `pil_matter`) get a slot too, uncapped.
    const cueIndex = (name: string): number => {
      let i = this.cueNames.indexOf(name);
      if (i < 0) {
        i = this.cueNames.push(name) - 1;
        this.cueCaps.push(Number.POSITIVE_INFINITY);
      }
      return i;
    };
    const byTerm = new Map<string, Entry>();
    const entry = (raw: string): Entry => {
      const term = normalise(raw);
      let e = byTerm.get(term);
      if (!e) {
        e = { term, domains: NONE, stop: false, types: NONE, cues: NONE, ctx: NONE, danger: 0, groups: NONE };
        byTerm.set(term, e);
        this.entries.push(e);
      }
      return e;
    };
    for (const d of lexicon.domains) {
      const di = DOMAIN_INDEX.get(d.domain)!;
      for (const [t, w] of d.terms) add(entry(t), 'domains', [di, w]);
      for (const p of d.patterns) this.domainPatterns.push({ domain: di, pattern: p });
      for (const c of d.combos) {
        this.addGroupRule(entry, {
          id: c.id,
          kind: 'combo',
          all: c.groups,
          none: [],
          scope: c.scope,
          domain: d.domain,
          weight: c.weight,
          ...(c.cue ? { cue: { index: cueIndex(c.cue.name), weight: c.cue.weight } } : {}),
        });
      }
    }
    for (const t of lexicon.stopTerms) entry(t).stop = true;
    const ctx = lexicon.context;
    for (const [kind, list] of [
      ['negation', ctx.negation],
      ['request', ctx.request],
      ['emphasis', ctx.emphasis],
      ['asideForward', ctx.asideForward],
      ['asideBackward', ctx.asideBackward],
      ['locative', ctx.locative],
    ] as const) {
      for (const t of list) add(entry(t), 'ctx', kind);
    }
    for (const [type, cues] of Object.entries(lexicon.types.cues)) for (const [t, w] of Object.entries(cues ?? {})) add(entry(t), 'types', [type, w]);
    lexicon.cues.forEach((c, ci) => {
      for (const [t, w] of c.terms) add(entry(t), 'cues', [ci, w]);
      for (const p of c.patterns) this.cuePatterns.push({ cue: ci, pattern: p });
    });
    for (const table of [lexicon.priors.matterTypeCues, lexicon.priors.ticketTypeCues, lexicon.priors.respondentKindCues]) {
      for (const m of Object.values(table)) for (const name of Object.keys(m)) cueIndex(name);
    }
    this.clueRules = lexicon.clueRules.map((r) => ({
      ...r,
      require: r.require.map(([name, min]) => [cueIndex(name), min] as [number, number]),
      score: r.score.map(([name, w]) => [cueIndex(name), w] as [number, number]),
    }));
    for (const [t, w] of Object.entries(lexicon.danger.terms)) entry(t).danger = w;
    for (const topic of routing.topics) {
      this.addGroupRule(entry, {
        id: topic.id,
        kind: 'topic',
        all: topic.all,
        none: topic.none,
        scope: topic.scope,
        domain: topic.domain,
        weight: topic.weight,
        ...(topic.cue ? { cue: { index: cueIndex(topic.cue.name), weight: topic.cue.weight } } : {}),
      });
    }
    // Routing terms (overrides, judicial sub-routes) only need to be seen: the router reads them from `terms`.
    for (const list of routing.overrides.values()) for (const o of list) for (const t of [...o.any, ...o.unless]) entry(t);
    for (const r of routing.judicial.routes) for (const t of Object.keys(r.terms)) entry(t);
    this.pil = DOMAINS.map((d) => routing.domains[d].pil);
    this.negationNotAfter = new Set(ctx.negationNotAfter);
    this.rhetoricalEnd = new Set(ctx.rhetoricalEnd);
    this.matcher = new TermMatcher(this.entries.map((e) => e.term));
  }

  private addGroupRule(
    entry: (t: string) => Entry,
    r: { id: string; kind: 'combo' | 'topic'; all: string[][]; none: string[]; scope: 'sentence' | 'ticket'; domain: Domain; weight: number; cue?: { index: number; weight: number } },
  ): void {
    const index = this.groupRules.length;
    this.groupRules.push({
      id: r.id,
      kind: r.kind,
      groupCount: r.all.length,
      hasNone: r.none.length > 0,
      scope: r.scope,
      domain: DOMAIN_INDEX.get(r.domain)!,
      weight: r.weight,
      ...(r.cue ? { cue: r.cue } : {}),
    });
    r.all.forEach((group, gi) => {
      for (const t of group) add(entry(t), 'groups', [index, gi]);
    });
    for (const t of r.none) add(entry(t), 'groups', [index, -1]);
  }

  get termCount(): number {
    return this.entries.length;
  }

  classify(t: SourcedTicket): Classification {
    const s = this.lexicon.scoring;
    const evidence: string[] = [];

    // 1. One text: title, content, demand; each part keeps its own base weight.
    let text: string;
    let partEnd1 = Number.POSITIVE_INFINITY; // end of the first part
    let factor1 = 1;
    let factor2 = 1;
    if (t.source === '12345') {
      if (t.ticket.title) {
        const title = normalise(t.ticket.title) + '\n';
        text = title + normalise(t.ticket.content) + '\n';
        partEnd1 = title.length;
        factor1 = s.titleFactor;
      } else text = normalise(t.ticket.content) + '\n';
    } else {
      const content = normalise(t.ticket.content) + '\n';
      text = t.ticket.demand ? content + normalise(t.ticket.demand) + '\n' : content;
      partEnd1 = content.length;
      factor2 = s.demandFactor;
    }
    const lay = layout(text);
    const matches = this.matcher.search(text);

    // 2. Context markers: where negation, request, emphasis and asides start.
    const negFrom = new Map<number, number>(); // clause → position
    const reqFrom = new Map<number, number>(); // sentence → position
    const emphFrom = new Map<number, number>();
    const asideFrom = new Map<number, number>();
    const asideClauses = new Set<number>();
    /** Where a place word starts (门口/旁边/附近): a domain term right before it names a landmark, not the matter. */
    const locativeAt = new Set<number>();
    for (const m of matches) {
      const e = this.entries[m.pattern]!;
      if (e.ctx.length === 0) continue;
      const clause = lay.clauseOf[m.start]!;
      const sentence = lay.sentenceOf[m.start]!;
      for (const kind of e.ctx) {
        if (kind === 'locative') {
          locativeAt.add(m.start);
        } else if (kind === 'negation') {
          if (m.start > 0 && this.negationNotAfter.has(text[m.start - 1]!)) continue;
          // A double negative ("不是不让摆摊") affirms.
          if (text[m.end] === '不') continue;
          if (this.rhetoricalEnd.has(clauseTail(text, lay, clause))) continue;
          if (!negFrom.has(clause)) negFrom.set(clause, m.end);
        } else if (kind === 'request') {
          if (!reqFrom.has(sentence)) reqFrom.set(sentence, m.start);
        } else if (kind === 'emphasis') {
          if (!emphFrom.has(sentence)) emphFrom.set(sentence, lay.clauseStart[clause]!);
        } else if (kind === 'asideForward') {
          if (!asideFrom.has(sentence)) asideFrom.set(sentence, m.start);
        } else {
          asideClauses.add(clause);
          if (clause > 0 && lay.clauseSentence[clause - 1] === sentence) asideClauses.add(clause - 1);
        }
      }
    }
    const plain = negFrom.size === 0 && reqFrom.size === 0 && emphFrom.size === 0 && asideFrom.size === 0 && asideClauses.size === 0;
    const factorAt = (pos: number): number => {
      let f = pos < partEnd1 ? factor1 : factor2;
      if (plain) return f;
      const clause = lay.clauseOf[pos]!;
      const sentence = lay.sentenceOf[pos]!;
      const neg = negFrom.get(clause);
      if (neg !== undefined && pos >= neg) return s.negationFactor;
      const req = reqFrom.get(sentence);
      if (req !== undefined && pos >= req) f *= s.requestFactor;
      const emph = emphFrom.get(sentence);
      if (emph !== undefined && pos >= emph) f *= s.emphasisFactor;
      const aside = asideFrom.get(sentence);
      if ((aside !== undefined && pos >= aside) || asideClauses.has(clause)) f *= s.asideFactor;
      return f;
    };

    // 3. Domain scores. A term inside a longer lexicon term does not count on its own (电信 in 电信诈骗).
    const scores = new Float64Array(DOMAINS.length);
    /** Counted domain hits: entry index and the factor it was counted with (evidence is built from these). */
    const counted: number[] = [];
    const seen = new Map<number, number>(); // entry → occurrences counted
    const terms = new Set<string>();
    const typeScores = new Map<string, number>();
    const cueStrength = new Float64Array(this.cueNames.length);
    const cueTerms: string[][] = this.cueNames.map(() => []);
    const once = new Set<number>();
    let danger = 0;
    const dangerTerms: string[] = [];
    const groupHits = new Map<number, number>(); // rule × 4096 + sentence (4095 = whole ticket) → groups seen
    const noneHit = new Set<number>();

    const domainMatches = matches.filter((m) => {
      const e = this.entries[m.pattern]!;
      return e.domains.length > 0 || e.stop;
    });
    domainMatches.sort((a, b) => a.start - b.start || b.end - a.end);
    let maxEnd = -1;
    for (const m of domainMatches) {
      if (m.end <= maxEnd) continue;
      maxEnd = m.end;
      const e = this.entries[m.pattern]!;
      if (e.stop) continue;
      const n = seen.get(m.pattern) ?? 0;
      if (n > s.maxRepeats) continue;
      seen.set(m.pattern, n + 1);
      let f = factorAt(m.start) * (n === 0 ? 1 : s.repeatFactor);
      // "医院门口那条路": the hospital is where the parking lot is, not what the ticket is about.
      if (locativeAt.size && locativeAt.has(m.end)) f *= s.locativeFactor;
      for (const [di, w] of e.domains) scores[di] = scores[di]! + w * f;
      counted.push(m.pattern, f);
    }
    for (const m of matches) {
      const e = this.entries[m.pattern]!;
      terms.add(e.term);
      const first = !once.has(m.pattern);
      if (first) once.add(m.pattern);
      if (first && e.types.length) {
        const f = factorAt(m.start) > 1 ? 1.3 : 1;
        for (const [type, w] of e.types) typeScores.set(type, (typeScores.get(type) ?? 0) + w * f);
      }
      if (first && e.cues.length) {
        for (const [ci, w] of e.cues) {
          cueStrength[ci] = cueStrength[ci]! + w;
          cueTerms[ci]!.push(e.term);
        }
      }
      if (first && e.danger) {
        const neg = negFrom.get(lay.clauseOf[m.start]!);
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
        const key = ri * 4096 + (this.groupRules[ri]!.scope === 'sentence' ? Math.min(lay.sentenceOf[m.start]!, 4094) : 4095);
        groupHits.set(key, (groupHits.get(key) ?? 0) | (1 << gi));
      }
    }
    const extra: [number, string, number][] = []; // domain, feature, contribution (patterns, combos, hints, priors)
    for (const { domain, pattern } of this.domainPatterns) {
      pattern.regex.lastIndex = 0;
      let c = 0;
      // The strongest occurrence counts; a negative (counter-evidence) pattern counts by its size, not Math.max with 0.
      for (let m = pattern.regex.exec(text); m; m = pattern.regex.exec(text)) {
        const v = pattern.weight * factorAt(m.index);
        if (Math.abs(v) > Math.abs(c)) c = v;
      }
      if (c !== 0) {
        scores[domain] = scores[domain]! + c;
        extra.push([domain, `pattern:${pattern.id}`, c]);
      }
    }
    for (const { cue, pattern } of this.cuePatterns) {
      pattern.regex.lastIndex = 0;
      if (pattern.regex.test(text)) {
        cueStrength[cue] = cueStrength[cue]! + pattern.weight;
        cueTerms[cue]!.push(`pattern:${pattern.id}`);
      }
    }

    // 4. Combos (indirect descriptions) and topics (context rules of taxonomy §4).
    const fired = new Set<number>();
    for (const [key, mask] of groupHits) {
      const ri = Math.floor(key / 4096);
      const rule = this.groupRules[ri]!;
      if (fired.has(ri) || mask !== (1 << rule.groupCount) - 1 || (rule.hasNone && noneHit.has(ri))) continue;
      fired.add(ri);
      scores[rule.domain] = scores[rule.domain]! + rule.weight;
      extra.push([rule.domain, `${rule.kind}:${rule.id}`, rule.weight]);
      if (rule.cue) {
        cueStrength[rule.cue.index] = cueStrength[rule.cue.index]! + rule.cue.weight;
        cueTerms[rule.cue.index]!.push(`${rule.kind}:${rule.id}`);
      }
      if (rule.kind === 'topic') evidence.push(`topic:${rule.id}->${DOMAINS[rule.domain]}`);
    }

    // 5. Hints: the platform's category (weak), and for 12309 the matter type and respondent.
    if (t.source === '12345' && t.ticket.hotlineCategory) {
      const hits = this.matcher.search(normalise(t.ticket.hotlineCategory)).filter((m) => this.entries[m.pattern]!.domains.length || this.entries[m.pattern]!.stop);
      hits.sort((a, b) => a.start - b.start || b.end - a.end);
      let end = -1;
      const hinted = new Set<number>();
      for (const m of hits) {
        if (m.end <= end) continue;
        end = m.end;
        const e = this.entries[m.pattern]!;
        if (e.stop || hinted.has(m.pattern)) continue;
        hinted.add(m.pattern);
        for (const [di, w] of e.domains) {
          scores[di] = scores[di]! + w * s.categoryWeight;
          extra.push([di, `hint:${e.term}`, w * s.categoryWeight]);
        }
      }
    }
    if (t.source === '12309') {
      const priors = this.lexicon.priors;
      for (const [name, map] of [
        [`matterType:${t.ticket.matterType}`, priors.matterType[t.ticket.matterType]],
        [`respondent:${t.ticket.respondent?.kind ?? ''}`, t.ticket.respondent ? priors.respondentKind[t.ticket.respondent.kind] : undefined],
      ] as const) {
        for (const [d, w] of Object.entries(map ?? {})) {
          const di = DOMAIN_INDEX.get(d as Domain)!;
          scores[di] = scores[di]! + w;
          extra.push([di, name, w]);
        }
      }
      for (const [name, w] of Object.entries(priors.matterTypeCues[t.ticket.matterType] ?? {})) {
        const ci = this.cueNames.indexOf(name);
        cueStrength[ci] = cueStrength[ci]! + w;
        cueTerms[ci]!.push(`matterType:${t.ticket.matterType}`);
      }
      const rk = t.ticket.respondent?.kind;
      for (const [name, w] of Object.entries((rk && priors.respondentKindCues[rk]) || {})) {
        const ci = this.cueNames.indexOf(name);
        cueStrength[ci] = cueStrength[ci]! + w;
        cueTerms[ci]!.push(`respondent:${rk}`);
      }
    }

    // 6. Domain and its probability.
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
    for (let i = 0; i < order.length && alternatives.length < 4; i++) {
      const p = exps[order[i]!]! / z;
      if (i === 0 || p >= 0.02) alternatives.push({ domain: DOMAINS[order[i]!]!, p });
    }
    let domain = DOMAINS[top]!;
    let confidence = exps[top]! / z;
    const byFeature = new Map<string, number>();
    for (let i = 0; i < counted.length; i += 2) {
      const e = this.entries[counted[i]!]!;
      for (const [di, w] of e.domains) if (di === top) byFeature.set(e.term, (byFeature.get(e.term) ?? 0) + w * counted[i + 1]!);
    }
    for (const [di, feature, c] of extra) if (di === top) byFeature.set(feature, (byFeature.get(feature) ?? 0) + c);
    const contributions = [...byFeature].sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, 4);
    for (const [term, c] of contributions) evidence.push(`domain:${domain}<=${term}(${fmt(c)})`);
    const runnerUp = order[1];
    if (runnerUp !== undefined && scores[runnerUp]! > 0) evidence.push(`runner-up:${DOMAINS[runnerUp]}(${fmt(scores[runnerUp]!)})`);
    if (negFrom.size) evidence.push('context:negation');
    if (reqFrom.size) evidence.push('context:request');
    if (asideFrom.size || asideClauses.size) evidence.push('context:aside');

    // 7. Ticket type: 12309 keeps its matter type; 12345 may overrule the call taker's record.
    let ticketType: TicketType;
    let typeOverruled = false;
    if (t.source === '12309') {
      ticketType = t.ticket.matterType;
    } else {
      const recorded = t.ticket.type;
      const ty = this.lexicon.types;
      const bonus = (k: string): number => (recorded ? (k === recorded ? ty.recordedBonus : 0) : k === ty.defaultType ? ty.defaultBonus : 0);
      let bestType: string = recorded ?? ty.defaultType;
      let bestScore = (typeScores.get(bestType) ?? 0) + bonus(bestType);
      for (const [k, v] of typeScores) {
        if (v + bonus(k) > bestScore) {
          bestType = k;
          bestScore = v + bonus(k);
        }
      }
      ticketType = bestType as TicketType;
      if (recorded && bestType !== recorded) {
        typeOverruled = true;
        evidence.push(`type:${recorded}->${bestType}(${fmt(typeScores.get(bestType) ?? 0)})`);
      } else if (!recorded) evidence.push(`type:${bestType}(inferred)`);
    }

    // 8. Clue: the first rule whose cues hold and whose score reaches its threshold.
    if (t.source === '12345') {
      for (const [name, w] of Object.entries(this.lexicon.priors.ticketTypeCues[ticketType] ?? {})) {
        const ci = this.cueNames.indexOf(name);
        cueStrength[ci] = cueStrength[ci]! + w;
        cueTerms[ci]!.push(`type:${ticketType}`);
      }
    }
    const typeInferred = t.source === '12345' && !t.ticket.type;
    const strength = (ci: number): number => (ci < 0 ? 0 : Math.min(cueStrength[ci]!, this.cueCaps[ci]!));
    let clue: ClueKind = 'none';
    for (const rule of this.clueRules) {
      if (rule.domains === 'pil' && !this.pil[top]) continue;
      if (rule.domains === 'non-pil' && this.pil[top]) continue;
      if (rule.excludeDomains.has(domain)) continue;
      const excluded = rule.excludeTypes.has(ticketType);
      if (excluded && !typeInferred) continue;
      if (!rule.require.every(([ci, min]) => strength(ci) >= min)) continue;
      let score = 0;
      for (const [ci, w] of rule.score) score += w * strength(ci);
      if (score < rule.threshold + (excluded ? rule.inferredTypeMargin : 0)) continue;
      if (excluded && rule.inferredTypeMargin === 0) continue;
      clue = rule.kind;
      const why = rule.score.filter(([ci, w]) => w > 0 && strength(ci) > 0).map(([ci]) => `${this.cueNames[ci]}:${cueTerms[ci]!.slice(0, 3).join('/')}`);
      evidence.push(`clue:${clue}(${score.toFixed(1)}>=${rule.threshold})<=${why.join(';')}`);
      // Taxonomy §5: some clues decide the domain on one hotline (a 12309 judicial-aid request is judicial_affairs).
      if (rule.setsDomain && rule.setsDomain.source === t.source && rule.setsDomain.domain !== domain) {
        const di = DOMAIN_INDEX.get(rule.setsDomain.domain)!;
        evidence.push(`domain:${domain}->${rule.setsDomain.domain}<=clue:${clue}`);
        domain = rule.setsDomain.domain;
        confidence = exps[di]! / z;
        const rest = alternatives.filter((a) => a.domain !== domain);
        alternatives.length = 0;
        alternatives.push({ domain, p: confidence }, ...rest.slice(0, 3));
      }
      break;
    }

    // 9. Urgency: the platform's, raised to `urgent` by danger to life in the text.
    const recordedUrgency: Urgency = t.source === '12345' ? t.ticket.urgency : 'normal';
    let urgency = recordedUrgency;
    if (danger >= this.lexicon.danger.threshold) {
      if (urgency === 'normal') urgency = 'urgent';
      evidence.push(`danger:${dangerTerms.slice(0, 3).join('/')}`);
    }

    return { domain, ticketType, typeOverruled, clue, urgency, confidence, alternatives, terms, evidence };
  }
}

