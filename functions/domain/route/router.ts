/**
 * Router (分拨): turns a classification into the primary agency, the procuratorate referral and the transfer flag,
 * following taxonomy.md §6 with the routing table as data, and scopes agency kinds to the ticket's region through the
 * agency directory (a district without the agency falls back to its city).
 */
import { parseAgencyId, type AgencyId, type ClueKind, type Domain } from '../taxonomy.js';
import type { SourcedTicket } from '../ticket/schemas.js';
import type { AgencyDirectory } from '../directory/directory.js';
import type { Classification } from '../classify/classifier.js';
import type { Decision } from '../classify/decision.js';
import type { RoutingTable } from './routing-table.js';

export interface RouteChoice {
  kind: string;
  /** The rule that chose it: `default`, `override:<id>`, `judicial:<id>`, `clue:<kind>`, `12309:<domain>`. */
  rule: string;
}

export class Router {
  private readonly judicialRoutes: { id: string; agency: string; terms: [string, number][] }[];

  constructor(
    private readonly routing: RoutingTable,
    private readonly directory: AgencyDirectory,
  ) {
    this.judicialRoutes = routing.judicial.routes.map((r) => ({ id: r.id, agency: r.agency, terms: Object.entries(r.terms) }));
  }

  /** The domain's agency after the overrides of taxonomy §4 (highest priority first); judicial domains by sub-route. */
  domainAgency(domain: Domain, terms: ReadonlySet<string>): RouteChoice {
    const d = this.routing.domains[domain];
    if (d.route === 'judicial') return this.judicialRoute(terms);
    for (const o of this.routing.overrides.get(domain) ?? []) {
      let any = 0;
      for (const t of o.any) if (terms.has(t)) any++;
      if (any === 0) continue;
      let unless = 0;
      for (const t of o.unless) if (terms.has(t)) unless++;
      if (any > unless) return { kind: o.agency, rule: `override:${o.id}` };
    }
    return { kind: d.agency, rule: 'default' };
  }

  /** Judicial sub-routes (taxonomy §6): the best-scoring route if it reaches `minScore`, else the default. */
  judicialRoute(terms: ReadonlySet<string>): RouteChoice {
    const j = this.routing.judicial;
    let bestKind = j.default;
    let bestId = 'default';
    let bestScore = j.minScore - 1e-9;
    for (const r of this.judicialRoutes) {
      let score = 0;
      for (const [t, w] of r.terms) if (terms.has(t)) score += w;
      if (score > bestScore) {
        bestScore = score;
        bestKind = r.agency;
        bestId = r.id;
      }
    }
    return { kind: bestKind, rule: `judicial:${bestId}` };
  }

  /** Primary agency kind for a ticket of `domain` with `clue` (taxonomy §6). */
  primary(source: SourcedTicket['source'], domain: Domain, clue: ClueKind, terms: ReadonlySet<string>): RouteChoice {
    if (source === '12345') return this.domainAgency(domain, terms);
    if (clue !== 'none') return { kind: this.routing.clueDepartment(clue, domain), rule: `clue:${clue}` };
    if (this.routing.domains[domain].route === 'judicial') return this.judicialRoute(terms);
    const kept = this.routing.hotline12309.procuratorateDomains[domain];
    if (kept) return { kind: kept, rule: `12309:${domain}` };
    return this.domainAgency(domain, terms);
  }

  /** Routing confidence: the probability mass of the domains that would send the ticket to agency kind `kind`. */
  private routeConfidence(source: SourcedTicket['source'], alternatives: Classification['alternatives'], kind: string, c: Classification): number {
    let p = 0;
    for (const alt of alternatives) if (this.primary(source, alt.domain, c.clue, c.terms).kind === kind) p += alt.p;
    return Math.min(1, Math.max(0, p));
  }

  route(t: SourcedTicket, c: Classification): Decision {
    const region = t.source === '12345' ? t.ticket.regionCode : (t.ticket.regionCode ?? t.ticket.procuratorateCode);
    const evidence = [...c.evidence];
    const choice = this.primary(t.source, c.domain, c.clue, c.terms);
    if (choice.rule !== 'default') evidence.push(`route:${choice.rule}`);

    const confidence = this.routeConfidence(t.source, c.alternatives, choice.kind, c);
    const review = this.routing.review;
    // With a learned router its own threshold applies (chosen on its calibration slice), and a lexicon that would
    // send the ticket elsewhere, and is sure enough of it (the model's `disagreeMinConfidence`, also chosen on that
    // slice), is a disagreement a person settles.
    const threshold = c.reviewThreshold ?? review.minConfidence;
    let disagree = false;
    if (c.lexiconDomain !== undefined) {
      const lexiconKind = this.primary(t.source, c.lexiconDomain, c.clue, c.terms).kind;
      if (lexiconKind !== choice.kind) {
        const lexiconConfidence = this.routeConfidence(t.source, c.lexiconAlternatives ?? [], lexiconKind, c);
        // Below the level the lexicon's differing choice stays in the evidence (`lexicon:<domain>(p=…)`) only.
        disagree = lexiconConfidence >= (c.disagreeMinConfidence ?? 0);
        if (disagree) evidence.push(`review:lexicon-model-disagree(${c.lexiconDomain})`);
      }
    }
    if (c.noMatter) evidence.push('review:no-matter');
    const needsReview = confidence < threshold || disagree || c.noMatter || choice.kind === review.agency;

    const fallbacks = new Set<string>();
    const resolve = (kind: string): AgencyId => {
      const r = this.directory.resolve(region, kind);
      // The routing table is checked against the directory at load, so every kind it yields resolves.
      if (!r) throw new Error(`no agency of kind "${kind}" for region ${region}`);
      if (r.fallback) fallbacks.add(r.agency.regionCode);
      return r.agency.id;
    };
    const guess = resolve(choice.kind);
    let primaryId = guess;
    if (needsReview) {
      primaryId = resolve(review.agency);
      if (guess !== primaryId) evidence.push(`${BEST_GUESS}${guess}(${confidence.toFixed(2)})`);
      else evidence.push(`review:no-domain`);
    }
    const referralAgencyId = t.source === '12345' && c.clue !== 'none' ? resolve(this.routing.clueDepartment(c.clue, c.domain)) : null;
    const primaryKind = parseAgencyId(primaryId)?.kind ?? '';
    const transfer = t.source === '12309' && !primaryKind.startsWith(this.routing.hotline12309.procuratoratePrefix);
    for (const code of fallbacks) evidence.push(`region-fallback:${code}`);

    return {
      domain: c.domain,
      ticketType: c.ticketType,
      typeOverruled: c.typeOverruled,
      clue: c.clue,
      agencyId: primaryId,
      referralAgencyId,
      transfer,
      confidence: Math.round(confidence * 1000) / 1000,
      needsReview,
      urgency: c.urgency,
      evidence,
    };
  }
}

/** Evidence a flagged decision carries: the agency the router would have chosen, `best-guess:<agencyId>(<confidence>)`. */
const BEST_GUESS = 'best-guess:';

/** The agency the router chose or, for a ticket flagged for review, would have chosen (read from its evidence). */
export function bestGuessOf(d: Pick<Decision, 'agencyId' | 'needsReview' | 'evidence'>): AgencyId {
  if (!d.needsReview) return d.agencyId;
  const e = d.evidence.find((x) => x.startsWith(BEST_GUESS));
  return e ? (e.slice(BEST_GUESS.length).replace(/\(.*$/, '') as AgencyId) : d.agencyId;
}
