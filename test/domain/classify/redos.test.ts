/**
 * The lexicon's regular expressions run on every ticket. Each character and fragment they are written with, repeated
 * to the maximum content (and 12309 demand) length, is classified in a child process under a hard timeout. Before
 * their repeats were bounded ({1,8} instead of +), 几十 ×2,500 took ~0.4 s in one ticket (quadratic).
 */
import { describe, expect, it } from 'vitest';
import { LOAD_TIMEOUT_MS, WORK_TIMEOUT_MS, runRedosProbe } from '../../support/redos.js';

describe('classifier on adversarial tickets (ReDoS)', () => {
  it(
    'every pattern fragment repeated to the maximum ticket length is classified within the hard timeout',
    async () => {
      const { outcome, output } = await runRedosProbe('classify');
      expect(outcome, output).toBe('done');
      expect(output).toMatch(/done \d{3,}/);
    },
    LOAD_TIMEOUT_MS + WORK_TIMEOUT_MS + 5_000,
  );
});
