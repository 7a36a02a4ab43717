/**
 * Group-key extraction runs on citizen text in the process Lambda: a pattern that backtracks exponentially lets one
 * ticket block the event loop for minutes (a wage-arrears complaint followed by 建筑工程 twenty times took seconds with
 * the old enterprise-tail regex). This runs every vocabulary word, repeated to the maximum ticket length, in a child
 * process under a hard timeout: linear extraction finishes in well under a second of CPU, an exponential pattern never.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PROBE = fileURLToPath(new URL('./redos-probe.ts', import.meta.url));
/** After the probe has loaded; generous for 2 shared cores under load, and still nothing an exponential case meets. */
const WORK_TIMEOUT_MS = 10_000;
const LOAD_TIMEOUT_MS = 60_000;

function runProbe(): Promise<{ outcome: 'done' | 'timeout' | 'failed'; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', PROBE], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let timer = setTimeout(() => finish('timeout'), LOAD_TIMEOUT_MS);
    const finish = (outcome: 'done' | 'timeout' | 'failed'): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve({ outcome, output });
    };
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('done')) finish('done');
      else if (output.includes('ready')) {
        clearTimeout(timer);
        timer = setTimeout(() => finish('timeout'), WORK_TIMEOUT_MS);
      }
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', () => finish(output.includes('done') ? 'done' : 'failed'));
  });
}

describe('group keys on adversarial tickets (ReDoS)', () => {
  it('every vocabulary word repeated to the maximum ticket length is handled within the hard timeout', async () => {
    const { outcome, output } = await runProbe();
    expect(outcome, output).toBe('done');
    expect(output).toMatch(/done \d{3,}/);
  }, LOAD_TIMEOUT_MS + WORK_TIMEOUT_MS + 5_000);
});
