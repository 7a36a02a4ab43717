/**
 * The lexicon and routing table compiled for matching: one entry per distinct (normalised) term saying everything
 * that term stands for, one Aho–Corasick automaton over all of them, and cue and domain names resolved to indexes.
 * Built once per classifier (module init, i.e. cold start); the stages in `stages/` only read it.
 */
import { DOMAINS, type Domain } from '../taxonomy.js';
import type { RoutingTable } from '../route/routing-table.js';
import type { CompiledClueRule, CompiledPattern, Lexicon } from './lexicon.js';
import { TermMatcher } from './matcher.js';
import { normalise } from './text.js';

export type ContextKind = 'negation' | 'request' | 'emphasis' | 'asideForward' | 'asideBackward' | 'locative';

/** What one pattern string stands for in the lexicon and routing table. */
export interface Entry {
  term: string;
  domains: [number, number][];
  stop: boolean;
  types: [string, number][];
  cues: [number, number][];
  ctx: ContextKind[];
  danger: number;
  /** [rule index, group index] for combos and topics; -1 group = a `none` term of the rule. */
  groups: [number, number][];
}

/** A combo (lexicon) or topic (routing table): one term from each group, none of the `none` terms. */
export interface GroupRule {
  id: string;
  kind: 'combo' | 'topic';
  groupCount: number;
  hasNone: boolean;
  scope: 'sentence' | 'ticket';
  domain: number;
  weight: number;
  cue?: { index: number; weight: number };
}

/** A clue rule with its cue names resolved to indexes. */
export type ClueRule = Omit<CompiledClueRule, 'require' | 'score'> & { require: [number, number][]; score: [number, number][] };

export interface Knowledge {
  lexicon: Lexicon;
  matcher: TermMatcher;
  entries: Entry[];
  groupRules: GroupRule[];
  domainPatterns: { domain: number; pattern: CompiledPattern }[];
  cuePatterns: { cue: number; pattern: CompiledPattern }[];
  cueNames: string[];
  cueCaps: number[];
  /** Cue name → index, for priors read per ticket. */
  cueIndex: ReadonlyMap<string, number>;
  clueRules: ClueRule[];
  /** Domain index → public-interest-litigation field (routing table). */
  pil: boolean[];
  negationNotAfter: ReadonlySet<string>;
  negationNotBefore: ReadonlySet<string>;
  rhetoricalEnd: ReadonlySet<string>;
  /** The lexicon's `noMatter` fillers, normalised, longest first (a longer filler goes before one it contains). */
  fillers: string[];
}

export const DOMAIN_INDEX: ReadonlyMap<Domain, number> = new Map<Domain, number>(DOMAINS.map((d, i) => [d, i]));

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

interface GroupRuleSource {
  id: string;
  kind: 'combo' | 'topic';
  all: string[][];
  none: string[];
  scope: 'sentence' | 'ticket';
  domain: Domain;
  weight: number;
  cue?: { index: number; weight: number };
}

export function compileKnowledge(lexicon: Lexicon, routing: RoutingTable): Knowledge {
  const entries: Entry[] = [];
  const groupRules: GroupRule[] = [];
  const domainPatterns: Knowledge['domainPatterns'] = [];
  const cuePatterns: Knowledge['cuePatterns'] = [];
  const cueNames = lexicon.cues.map((c) => c.name);
  const cueCaps = lexicon.cues.map((c) => c.cap);
  // Cues that only come from priors or topics (e.g. `pil_matter`) get a slot too, uncapped.
  const cueIndex = (name: string): number => {
    let i = cueNames.indexOf(name);
    if (i < 0) {
      i = cueNames.push(name) - 1;
      cueCaps.push(Number.POSITIVE_INFINITY);
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
      entries.push(e);
    }
    return e;
  };
  const addGroupRule = (r: GroupRuleSource): void => {
    const index = groupRules.length;
    groupRules.push({
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
  };

  for (const d of lexicon.domains) {
    const di = DOMAIN_INDEX.get(d.domain)!;
    // The largest loop at cold start (~6,000 terms): indexed, no destructuring (an iterator per pair when interpreted).
    const terms = d.terms;
    for (let i = 0; i < terms.length; i++) {
      const tw = terms[i]!;
      add(entry(tw[0]), 'domains', [di, tw[1]]);
    }
    for (const p of d.patterns) domainPatterns.push({ domain: di, pattern: p });
    for (const c of d.combos) {
      addGroupRule({
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
  for (const kind of ['negation', 'request', 'emphasis', 'asideForward', 'asideBackward', 'locative'] as const) {
    for (const t of ctx[kind]) add(entry(t), 'ctx', kind);
  }
  for (const [type, cues] of Object.entries(lexicon.types.cues)) for (const [t, w] of Object.entries(cues ?? {})) add(entry(t), 'types', [type, w]);
  lexicon.cues.forEach((c, ci) => {
    for (let i = 0; i < c.terms.length; i++) add(entry(c.terms[i]![0]), 'cues', [ci, c.terms[i]![1]]);
    for (const p of c.patterns) cuePatterns.push({ cue: ci, pattern: p });
  });
  const priors = lexicon.priors;
  for (const table of [priors.matterTypeCues, priors.ticketTypeCues, priors.respondentKindCues]) {
    for (const m of Object.values(table)) for (const name of Object.keys(m ?? {})) cueIndex(name);
  }
  const clueRules: ClueRule[] = lexicon.clueRules.map((r) => ({
    ...r,
    require: r.require.map(([name, min]) => [cueIndex(name), min] as [number, number]),
    score: r.score.map(([name, w]) => [cueIndex(name), w] as [number, number]),
  }));
  for (const [t, w] of Object.entries(lexicon.danger.terms)) entry(t).danger = w;
  for (const topic of routing.topics) {
    addGroupRule({
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

  return {
    lexicon,
    matcher: new TermMatcher(entries.map((e) => e.term)),
    entries,
    groupRules,
    domainPatterns,
    cuePatterns,
    cueNames,
    cueCaps,
    cueIndex: new Map(cueNames.map((n, i) => [n, i])),
    clueRules,
    pil: DOMAINS.map((d) => routing.domains[d].pil),
    negationNotAfter: new Set(ctx.negationNotAfter),
    negationNotBefore: new Set(ctx.negationNotBefore),
    rhetoricalEnd: new Set(ctx.rhetoricalEnd),
    fillers: [...new Set(lexicon.noMatter.fillers.map(normalise))].sort((a, b) => b.length - a.length),
  };
}
