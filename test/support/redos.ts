/** Runs `redos-probe.ts` in a child process with a hard timeout once it has loaded (see the probe). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PROBE = fileURLToPath(new URL('./redos-probe.ts', import.meta.url));
/** After the probe has loaded: generous for 2 shared cores under load, and still nothing an exponential case meets. */
export const WORK_TIMEOUT_MS = 10_000;
export const LOAD_TIMEOUT_MS = 60_000;

export function runRedosProbe(mode: 'group-keys' | 'classify'): Promise<{ outcome: 'done' | 'timeout' | 'failed'; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', PROBE, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let settled = false;
    let timer = setTimeout(() => finish('timeout'), LOAD_TIMEOUT_MS);
    const finish = (outcome: 'done' | 'timeout' | 'failed'): void => {
      if (settled) return;
      settled = true;
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
