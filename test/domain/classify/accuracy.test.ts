import { describe, it, expect } from 'vitest';
import { classifyAndRoute } from '../../../functions/config/classify.js';
import { fixtureTickets, kindOf } from './support.js';

/**
 * An accuracy floor on the project's own labelled fixtures (test/fixtures/tickets.jsonl). The floors sit a little
 * under the measured figures, so a lexicon or rule edit that breaks a class of tickets fails here.
 */
describe('accuracy on the fixture tickets', () => {
  const rows = fixtureTickets().map(({ t, label }) => ({ label, d: classifyAndRoute(t) }));

  it('has enough labelled tickets to mean something', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
  });

  it('domain accuracy ≥ 0.90', () => {
    const ok = rows.filter((r) => r.d.domain === r.label.domain).length;
    expect(ok / rows.length).toBeGreaterThanOrEqual(0.9);
  });

  it('agency: ≥ 0.90 right on the best guess, ≤ 5 % misrouted without a review flag, ≤ 12 % flagged', () => {
    const guess = (d: (typeof rows)[number]['d']): string | null =>
      d.needsReview
        ? kindOf(
            d.evidence
              .find((e) => e.startsWith('best-guess:'))
              ?.slice(11)
              .replace(/\(.*$/, '') ?? d.agencyId,
          )
        : kindOf(d.agencyId);
    const right = rows.filter((r) => guess(r.d) === r.label.agency).length;
    const misrouted = rows.filter((r) => !r.d.needsReview && kindOf(r.d.agencyId) !== r.label.agency).length;
    const flagged = rows.filter((r) => r.d.needsReview).length;
    expect(right / rows.length).toBeGreaterThanOrEqual(0.9);
    expect(misrouted / rows.length).toBeLessThanOrEqual(0.05);
    expect(flagged / rows.length).toBeLessThanOrEqual(0.12);
  });

  it('clue F1 ≥ 0.85 and clue kind right on ≥ 0.80 of true clues', () => {
    let tp = 0,
      fp = 0,
      fn = 0,
      kind = 0,
      clues = 0;
    for (const { d, label } of rows) {
      if (d.clue !== 'none' && label.clue !== 'none') tp++;
      else if (d.clue !== 'none') fp++;
      else if (label.clue !== 'none') fn++;
      if (label.clue !== 'none') {
        clues++;
        if (d.clue === label.clue) kind++;
      }
    }
    expect((2 * tp) / (2 * tp + fp + fn)).toBeGreaterThanOrEqual(0.85);
    expect(kind / clues).toBeGreaterThanOrEqual(0.8);
  });

  it('referral matches the label on ≥ 0.90', () => {
    const ok = rows.filter((r) => kindOf(r.d.referralAgencyId) === r.label.referral).length;
    expect(ok / rows.length).toBeGreaterThanOrEqual(0.9);
  });
});
