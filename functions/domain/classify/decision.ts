/**
 * What classification and routing decide for one ticket (product.md §4). The pipeline stores this on the case
 * record and publishes it in `Ticket.Classified`; the CLI prints it. It never carries personal data: evidence
 * lists lexicon terms and features, not the caller's words around them.
 */
import type { AgencyId, ClueKind, Domain, TicketType, Urgency } from '../taxonomy.js';

export interface Decision {
  domain: Domain;
  /** Ticket type after classification; may overrule what the call taker recorded (`typeOverruled`). */
  ticketType: TicketType;
  typeOverruled: boolean;
  clue: ClueKind;
  /** Primary agency, region-scoped `<regionCode>:<kind>`. */
  agencyId: AgencyId;
  /** For a 12345 ticket with a clue: the procuratorate department that receives a copy (线索移送). */
  referralAgencyId: AgencyId | null;
  /** A 12309 ticket that belongs to the government (移送/转办). */
  transfer: boolean;
  /** 0–1, calibrated: a higher number is right more often. */
  confidence: number;
  /** True sends the ticket to the region's dispatch-center for a person to route. */
  needsReview: boolean;
  /** Urgency after reading the text: danger to life raises it to at least `urgent`. */
  urgency: Urgency;
  /** Terms and features that decided it, e.g. `domain:ecology_environment<=偷排(+3)`, `region-fallback:150300`. */
  evidence: string[];
}
