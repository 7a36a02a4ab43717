/**
 * Stage 7: the ticket type. A 12309 ticket keeps its matter type; for 12345 the type cues may overrule what the call
 * taker recorded (which starts with `types.recordedBonus`), and a blank type is inferred (the default type starts with
 * `types.defaultBonus`).
 */
import type { TicketType } from '../../taxonomy.js';
import type { SourcedTicket } from '../../ticket/schemas.js';
import type { Knowledge } from '../knowledge.js';
import { fmt } from './choose-domain.js';

export interface TypeChoice {
  ticketType: TicketType;
  typeOverruled: boolean;
  /** A 12345 ticket whose type the call taker left blank: the type is a guess. */
  inferred: boolean;
  evidence: string[];
}

export function chooseTicketType(t: SourcedTicket, typeScores: ReadonlyMap<string, number>, k: Knowledge): TypeChoice {
  if (t.source === '12309') return { ticketType: t.ticket.matterType, typeOverruled: false, inferred: false, evidence: [] };
  const recorded = t.ticket.type;
  const ty = k.lexicon.types;
  const bonus = (key: string): number => (recorded ? (key === recorded ? ty.recordedBonus : 0) : key === ty.defaultType ? ty.defaultBonus : 0);
  let bestType: string = recorded ?? ty.defaultType;
  let bestScore = (typeScores.get(bestType) ?? 0) + bonus(bestType);
  for (const [key, v] of typeScores) {
    if (v + bonus(key) > bestScore) {
      bestType = key;
      bestScore = v + bonus(key);
    }
  }
  const evidence: string[] = [];
  let typeOverruled = false;
  if (recorded && bestType !== recorded) {
    typeOverruled = true;
    evidence.push(`type:${recorded}->${bestType}(${fmt(typeScores.get(bestType) ?? 0)})`);
  } else if (!recorded) evidence.push(`type:${bestType}(inferred)`);
  return { ticketType: bestType as TicketType, typeOverruled, inferred: !recorded, evidence };
}
