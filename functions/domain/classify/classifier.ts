/**
 * Ticket classifier (分类): domain, ticket type, procuratorate clue and urgency from a weighted lexicon.
 *
 * `classify` is a pipeline of named stages (`stages/`), each a function from typed input to typed output:
 *
 *   1 readTicket        normalise title, content and demand into one text; one scan for every term
 *     hasMatter         whether anything is left once greetings and fillers (`同上`) are taken out
 *   2 readContext       where negation, request, emphasis, aside and place markers stand (→ `factorAt`)
 *   3 scoreDomainTerms  weighted domain terms (longest match, repeats, landmarks)
 *     readTermFeatures  ticket-type cues, clue cues, danger to life, combo/topic groups, every term seen
 *     scorePatterns     regular-expression patterns for domains and cues
 *   4 applyGroupRules   combos (indirect descriptions) and topics (context rules of taxonomy §4)
 *   5 applyHints        the 12345 platform category; the 12309 matter type and respondent
 *   6 chooseDomain      softmax into probabilities; `other` below the minimum score
 *   7 chooseTicketType  12309 keeps its matter type; 12345 may overrule the recorded type
 *   8 chooseClue        the first clue rule that holds; it may set the domain (taxonomy §5). With a learned
 *                       router's clue head, the head chooses among the kinds the rules' filters allow
 *   9 chooseUrgency     danger to life raises the platform's urgency
 *
 * Stages 3–5 add to one tally in that order (the order of floating-point additions is part of the result). Everything
 * the stages know comes from the lexicon and routing files (`knowledge.ts` compiles them); there is no
 * domain-specific branch here, and no I/O at call time. Routing and review (stage 10) are the router's.
 */
import type { ClueKind, Domain, TicketType, Urgency } from '../taxonomy.js';
import type { SourcedTicket } from '../ticket/schemas.js';
import type { RoutingTable } from '../route/routing-table.js';
import type { Lexicon } from './lexicon.js';
import { compileKnowledge, type Knowledge } from './knowledge.js';
import { readContext, readTicket } from './stages/read-ticket.js';
import { applyGroupRules, applyHints, newTally, readTermFeatures, scoreDomainTerms, scorePatterns } from './stages/evidence.js';
import { chooseDomain, chooseFromModel, withDomain, type DomainProbability } from './stages/choose-domain.js';
import type { RouterInput } from './model/features.js';
import { predictAll, type RouterModel } from './model/router-model.js';
import { readable } from './text.js';
import { chooseTicketType } from './stages/ticket-type.js';
import { chooseClue, chooseClueFromModel, readClueCues } from './stages/clue.js';
import { chooseUrgency } from './stages/urgency.js';
import { hasMatter } from './stages/matter.js';

export type { DomainProbability } from './stages/choose-domain.js';

export interface Classification {
  domain: Domain;
  ticketType: TicketType;
  typeOverruled: boolean;
  clue: ClueKind;
  urgency: Urgency;
  /** P(domain) of the chosen domain. */
  confidence: number;
  /** The most probable domains, best first (at most `scoring.maxAlternatives`, p ≥ `scoring.minAlternativeP`). */
  alternatives: DomainProbability[];
  /** Lexicon and routing terms found in the ticket (normalised): the router's overrides and judicial routes read them. */
  terms: ReadonlySet<string>;
  evidence: string[];
  /** With a learned router: the lexicon's own domain (the router sends a disagreement on the agency to review). */
  lexiconDomain?: Domain;
  /** With a learned router: the lexicon's own distribution (its `alternatives`), for how sure it is of its agency. */
  lexiconAlternatives?: DomainProbability[];
  /**
   * With a learned router: a disagreement goes to review only when the lexicon gives its own agency at least this
   * probability (from the model file, chosen on its calibration slice; 0 = every disagreement).
   */
  disagreeMinConfidence?: number;
  /** With a learned router: the route probability below which the ticket goes to review (from the model file). */
  reviewThreshold?: number;
  /** The ticket has no matter of its own (a greeting, `同上`): the router sends it to review (lexicon `noMatter`). */
  noMatter: boolean;
}

export class Classifier {
  private readonly k: Knowledge;

  private readonly model: RouterModel | undefined;

  /** The clue head's hint name for each cue (`cue:<name>`), built once. */
  private readonly cueHints: string[];

  constructor(lexicon: Lexicon, routing: RoutingTable, model?: RouterModel) {
    this.k = compileKnowledge(lexicon, routing);
    this.model = model;
    this.cueHints = this.k.cueNames.map((n) => `cue:${n}`);
  }

  /**
   * Stages 1–8 with the lexicon alone: the tally, its domain choice, the ticket type and the rules' clue; and what the
   * learned router reads (`withInput`), built from them.
   */
  private lexiconStages(t: SourcedTicket) {
    const k = this.k;
    const text = readTicket(t, k);
    const context = readContext(text, k);
    const tally = newTally(k);
    scoreDomainTerms(text, context, k, tally);
    const features = readTermFeatures(text, context, k, tally);
    scorePatterns(text, context, k, tally);
    const topicEvidence = applyGroupRules(features, k, tally);
    applyHints(t, k, tally);
    const choice = chooseDomain(tally, context, k);
    const type = chooseTicketType(t, features.typeScores, k);
    const cues = readClueCues(t, type, k, tally);
    const clue = chooseClue(t, choice.top, choice.domain, type, k, cues);
    return { text, tally, features, topicEvidence, choice, type, cues, clue };
  }

  /** What the learned router reads for this ticket (training uses it; `classify` builds the same). */
  routerInput(t: SourcedTicket): RouterInput {
    return this.inputOf(t, this.lexiconStages(t));
  }

  private inputOf(t: SourcedTicket, s: ReturnType<Classifier['lexiconStages']>): RouterInput {
    const hints: [string, number][] = [
      [`lexicon-clue:${s.clue.clue}`, 1],
      [`type:${s.type.ticketType}`, 1],
    ];
    for (let ci = 0; ci < s.cues.strength.length; ci++) {
      const v = s.cues.strength[ci]!;
      if (v > 0) hints.push([this.cueHints[ci]!, Math.log1p(v) / 2]);
    }
    return {
      source: t.source,
      text: s.text.text,
      category: t.source === '12345' && t.ticket.hotlineCategory ? readable(t.ticket.hotlineCategory) : '',
      lexiconScores: s.tally.scores,
      lexiconTop: s.choice.top,
      hints,
    };
  }

  get termCount(): number {
    return this.k.entries.length;
  }

  classify(t: SourcedTicket): Classification {
    const k = this.k;
    const s = this.lexiconStages(t);
    const { text, tally, features, topicEvidence, type } = s;
    let choice = s.choice;
    let clue = s.clue;
    const model = this.model;
    if (model) {
      const input = this.inputOf(t, s);
      const p = predictAll(model, input);
      choice = chooseFromModel(p.domain, s.choice, tally, k);
      const pClue = p.clue;
      // With a clue head the head decides among the kinds §5 allows; a domains-only model leaves the clue to the rules
      // (read again for the model's domain).
      clue = pClue
        ? chooseClueFromModel(pClue, model.clue!, s.clue, t, choice.top, choice.domain, type, k)
        : chooseClue(t, choice.top, choice.domain, type, k, s.cues);
    }
    if (clue.setsDomain) choice = withDomain(choice, clue.setsDomain, k.lexicon.scoring.maxAlternatives);
    const urgency = chooseUrgency(t, features, k);
    return {
      domain: choice.domain,
      ticketType: type.ticketType,
      typeOverruled: type.typeOverruled,
      clue: clue.clue,
      urgency: urgency.urgency,
      confidence: choice.confidence,
      alternatives: choice.alternatives,
      terms: features.terms,
      evidence: [...topicEvidence, ...choice.evidence, ...type.evidence, ...clue.evidence, ...urgency.evidence],
      noMatter: !hasMatter(text.text, k),
      ...(model
        ? {
            lexiconDomain: s.choice.domain,
            lexiconAlternatives: s.choice.alternatives,
            reviewThreshold: model.reviewThreshold,
            disagreeMinConfidence: model.disagreeMinConfidence,
          }
        : {}),
    };
  }
}
