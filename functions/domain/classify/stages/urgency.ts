/** Stage 9: urgency — the platform's, raised to `urgent` when the danger-to-life cues reach `danger.threshold`. */
import type { Urgency } from '../../taxonomy.js';
import type { SourcedTicket } from '../../ticket/schemas.js';
import type { Knowledge } from '../knowledge.js';
import type { TermFeatures } from './evidence.js';

export function chooseUrgency(t: SourcedTicket, f: Pick<TermFeatures, 'danger' | 'dangerTerms'>, k: Knowledge): { urgency: Urgency; evidence: string[] } {
  let urgency: Urgency = t.source === '12345' ? t.ticket.urgency : 'normal';
  if (f.danger < k.lexicon.danger.threshold) return { urgency, evidence: [] };
  if (urgency === 'normal') urgency = 'urgent';
  return { urgency, evidence: [`danger:${f.dangerTerms.slice(0, k.lexicon.evidence.dangerTerms).join('/')}`] };
}
