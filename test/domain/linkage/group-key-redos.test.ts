/**
 * Group-key extraction runs on citizen text in the process Lambda: a pattern that backtracks exponentially lets one
 * ticket block the event loop (a wage-arrears complaint followed by 建筑工程 twenty times took a second with the old
 * enterprise-tail regex, each repeat more doubling it). Every vocabulary word, repeated to the maximum content and
 * address length, runs in a child process under a hard timeout: linear extraction finishes in about a second, an
 * exponential pattern never.
 */
import { describe, expect, it } from 'vitest';
import { LOAD_TIMEOUT_MS, WORK_TIMEOUT_MS, runRedosProbe } from '../../support/redos.js';

describe('group keys on adversarial tickets (ReDoS)', () => {
  it(
    'every vocabulary word repeated to the maximum ticket length is handled within the hard timeout',
    async () => {
      const { outcome, output } = await runRedosProbe('group-keys');
      expect(outcome, output).toBe('done');
      expect(output).toMatch(/done \d{3,}/);
    },
    LOAD_TIMEOUT_MS + WORK_TIMEOUT_MS + 5_000,
  );
});
