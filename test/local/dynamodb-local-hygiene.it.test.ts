/**
 * DynamoDB Local's JVM (a few GB under load) dies with the node process that started it, however that process
 * ends: SIGKILL (no handler can run), and SIGTERM or SIGINT in a process that has no handler for them (no `exit`
 * handler runs then either). A real node process starts a real DynamoDB Local; we kill the node process and
 * expect the JVM to be gone within seconds: no DynamoDB Local process with its port on the command line.
 */
import { execFileSync, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CHILD = resolve(ROOT, 'test/support/dynamodb-local-child.ts');

/** The pids of DynamoDB Local JVMs listening on `port`, from the process table (`ps`: Linux and macOS). */
function jvmsOn(port: number): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return table
    .split('\n')
    .filter((l) => l.includes('DynamoDBLocal.jar') && new RegExp(`-port ${port}(\\s|$)`).test(l))
    .map((l) => Number.parseInt(l.trim(), 10));
}

const answers = (port: number) =>
  new Promise<boolean>((r) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      r(true);
    });
    s.once('error', () => r(false));
  });

/** Polls `cond` every 200 ms until it holds or `ms` pass (a deadline for a process to go, not a timing assertion). */
async function within(ms: number, cond: () => boolean | Promise<boolean>): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return cond();
}

/** Starts the child (node + tsx, as `npm start` runs) and waits for its DynamoDB Local to answer. */
async function startChild(): Promise<{ pid: number; port: number; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((r) => child.once('exit', r));
  const port = await new Promise<number>((res, rej) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) res((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => rej(new Error(`the child exited (${code}) before DynamoDB Local answered`)));
  });
  return { pid: child.pid!, port, exited };
}

describe('DynamoDB Local dies with its parent', () => {
  it.each(['SIGKILL', 'SIGTERM', 'SIGINT'] as const)(
    'the node process that started it gets %s: the JVM is gone within seconds',
    async (signal) => {
      const child = await startChild();
      const jvms = jvmsOn(child.port);
      expect(jvms).toHaveLength(1);
      expect(await answers(child.port)).toBe(true);

      process.kill(child.pid, signal);
      await child.exited;
      const gone = await within(10_000, () => jvmsOn(child.port).length === 0);
      // Leave nothing behind even when the assertion fails.
      for (const pid of jvmsOn(child.port)) process.kill(pid, 'SIGKILL');
      // Not "the port refuses" afterwards: under a parallel test run another process may take the freed port at once.
      expect(gone).toBe(true);
    },
    90_000,
  );
});
