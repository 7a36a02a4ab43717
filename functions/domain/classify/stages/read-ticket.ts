/**
 * Stages 1–2: one normalised text per ticket (title, content, 12309 demand; each part keeps its own base weight),
 * scanned once for every lexicon and routing term; then where the context markers stand (negation, request, emphasis,
 * asides, place words), and what weight a term gets at a given position.
 */
import type { SourcedTicket } from '../../ticket/schemas.js';
import type { Scoring } from '../lexicon.js';
import type { Knowledge } from '../knowledge.js';
import type { TermMatch } from '../matcher.js';
import { clauseTail, layout, readable, type Layout } from '../text.js';

export interface TicketText {
  text: string;
  layout: Layout;
  /** Every term occurrence, in order of end position. */
  matches: TermMatch[];
  /** End of the first part (title, or 12309 content), and the base factors of the first and second part. */
  partEnd1: number;
  factor1: number;
  factor2: number;
}

export function readTicket(t: SourcedTicket, k: Knowledge): TicketText {
  const s = k.lexicon.scoring;
  let text: string;
  let partEnd1 = Number.POSITIVE_INFINITY;
  let factor1 = 1;
  let factor2 = 1;
  if (t.source === '12345') {
    if (t.ticket.title) {
      const title = `${readable(t.ticket.title)}\n`;
      text = `${title + readable(t.ticket.content)}\n`;
      partEnd1 = title.length;
      factor1 = s.titleFactor;
    } else text = `${readable(t.ticket.content)}\n`;
  } else {
    const content = `${readable(t.ticket.content)}\n`;
    text = t.ticket.demand ? `${content + readable(t.ticket.demand)}\n` : content;
    partEnd1 = content.length;
    factor2 = s.demandFactor;
  }
  return { text, layout: layout(text), matches: k.matcher.search(text), partEnd1, factor1, factor2 };
}

/** Where each context marker takes effect, by clause or sentence index. */
export interface ContextMarks {
  /** clause → position after which the clause is negated. */
  negFrom: Map<number, number>;
  /** sentence → position of its request marker (要求/希望/请…). */
  reqFrom: Map<number, number>;
  /** sentence → start of the clause holding its emphasis marker (主要/关键是). */
  emphFrom: Map<number, number>;
  /** sentence → position of a forward aside (另外/顺便). */
  asideFrom: Map<number, number>;
  /** Clauses closed by a backward aside (先放放/先不说), and the clause before it in the same sentence. */
  asideClauses: Set<number>;
  /** Where a place word starts (门口/旁边/附近): a domain term right before it names a landmark, not the matter. */
  locativeAt: Set<number>;
  /** No marker at all: every position has its part's base factor. */
  plain: boolean;
}

export function readContext(tt: TicketText, k: Knowledge): ContextMarks {
  const { text, layout: lay } = tt;
  const negFrom = new Map<number, number>();
  const reqFrom = new Map<number, number>();
  const emphFrom = new Map<number, number>();
  const asideFrom = new Map<number, number>();
  const asideClauses = new Set<number>();
  const locativeAt = new Set<number>();
  for (const m of tt.matches) {
    const e = k.entries[m.pattern]!;
    if (e.ctx.length === 0) continue;
    const clause = lay.clauseOf[m.start]!;
    const sentence = lay.sentenceOf[m.start]!;
    for (const kind of e.ctx) {
      if (kind === 'locative') {
        locativeAt.add(m.start);
      } else if (kind === 'negation') {
        if (m.start > 0 && k.negationNotAfter.has(text[m.start - 1]!)) continue;
        // A double negative ("不是不让摆摊") affirms.
        if (m.end < text.length && k.negationNotBefore.has(text[m.end]!)) continue;
        if (k.rhetoricalEnd.has(clauseTail(text, lay, clause))) continue;
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
  return { negFrom, reqFrom, emphFrom, asideFrom, asideClauses, locativeAt, plain };
}

/** The weight of a term starting at `pos`: its part's base factor, then negation, request, emphasis and aside. */
export function factorAt(tt: TicketText, c: ContextMarks, s: Scoring, pos: number): number {
  let f = pos < tt.partEnd1 ? tt.factor1 : tt.factor2;
  if (c.plain) return f;
  const clause = tt.layout.clauseOf[pos]!;
  const sentence = tt.layout.sentenceOf[pos]!;
  const neg = c.negFrom.get(clause);
  if (neg !== undefined && pos >= neg) return s.negationFactor;
  const req = c.reqFrom.get(sentence);
  if (req !== undefined && pos >= req) f *= s.requestFactor;
  const emph = c.emphFrom.get(sentence);
  if (emph !== undefined && pos >= emph) f *= s.emphasisFactor;
  const aside = c.asideFrom.get(sentence);
  if ((aside !== undefined && pos >= aside) || c.asideClauses.has(clause)) f *= s.asideFactor;
  return f;
}
