/**
 * Day-two commands on the AWS APIs made for them (`npm run ops -- …`, scripts/ops.ts):
 *
 * - `redrive <queue>`: SQS StartMessageMoveTask. A dead-letter queue of SQS queues goes back to the queues its messages
 *   came from; an EventBridge target's delivery DLQ (`…-delivery-dlq`) to the queue the rule delivers to (its messages
 *   are the events); `--to <queue>` names another destination. The on-failure destinations whose messages are not the
 *   work itself (the relay's stream ranges, the deadline timers' invocation records) are refused, with what to do instead.
 *   In the AWS China partition SQS offers no DLQ redrive (StartMessageMoveTask): there the messages are moved by hand,
 *   receive → send to the destination → delete, in batches of 10 (at least once: a crash between send and delete
 *   leaves a copy in both, which the pipeline's versioned writes and event ids absorb).
 * - `replay --from <t> --to <t>`: EventBridge StartReplay of the stage's archive onto its bus, optionally only to some
 *   rules (`--rules`). Consumers deduplicate on the envelope's `eventId`, which a replay keeps.
 *
 * Both read first and print their plan; `--dry-run` stops there. The SDK clients come in as arguments, so the tests
 * run them against aws-sdk-client-mock.
 */
import { DescribeArchiveCommand, DescribeRuleCommand, type EventBridgeClient, StartReplayCommand } from '@aws-sdk/client-eventbridge';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { eventArchiveName, eventBusName } from '../../lib/naming.js';

export class OpsError extends Error {}

export interface OpsDeps {
  sqs: SQSClient;
  eventBridge: EventBridgeClient;
  /** One line of output. */
  print: (line: string) => void;
  now: () => Date;
}

export const USAGE = `Usage:
  npm run ops -- redrive <queue name> [--to <queue name>] [--rate <messages/s>] [--dry-run]
  npm run ops -- replay --from <ISO time> --to <ISO time> [--stage <stage>] [--rules <rule>,<rule>…] [--name <replay name>] [--dry-run]

Credentials and region come from the usual AWS environment (AWS_PROFILE, AWS_REGION …).`;

/** On-failure destinations that hold a record about the work, not the work: moving them to a queue would do nothing good. */
const NOT_REDRIVABLE: readonly { suffix: string; why: string }[] = [
  {
    suffix: '-relay-dlq',
    why: "it holds the stream shard and sequence range of case changes the relay kept failing on, not the changes. Fix the cause; the changes' effects are rebuilt from the case records (README, 'Nothing saved is lost').",
  },
  {
    suffix: '-deadlines-failed',
    why: "it holds Lambda's records of deadline-timer invocations that kept failing (payload and error). Fix the cause, then re-invoke the deadlines function with each record's requestPayload: the events carry the same ids.",
  },
  {
    suffix: '-deadlines-dlq',
    why: 'it holds timers EventBridge Scheduler could not deliver to the deadlines function. Fix the cause, then invoke the function with each message body: the events carry the same ids.',
  },
];

interface Flags {
  positional: string[];
  values: Map<string, string>;
  dryRun: boolean;
}

const VALUE_FLAGS = new Set(['--to', '--from', '--rate', '--stage', '--rules', '--name']);

export function parseFlags(args: readonly string[]): Flags {
  const out: Flags = { positional: [], values: new Map(), dryRun: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--dry-run') out.dryRun = true;
    else if (VALUE_FLAGS.has(a)) {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new OpsError(`${a} needs a value`);
      out.values.set(a, v);
    } else if (a.startsWith('--')) throw new OpsError(`unknown option ${a}`);
    else out.positional.push(a);
  }
  return out;
}

async function queueOf(sqs: SQSClient, name: string): Promise<{ name: string; url: string; arn: string; messages: number }> {
  const { QueueUrl: url } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  if (!url) throw new OpsError(`queue ${name} not found`);
  const { Attributes: attrs } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages'] }));
  return { name, url, arn: attrs?.QueueArn ?? '', messages: Number(attrs?.ApproximateNumberOfMessages ?? 0) };
}

const nameOfUrl = (url: string) => url.slice(url.lastIndexOf('/') + 1);

export interface RedrivePlan {
  source: { name: string; arn: string; messages: number };
  /** Absent: back to the queues the messages came from (`returnsTo`). */
  destination?: { name: string; arn: string };
  returnsTo: string[];
  ratePerSecond?: number;
}

export async function redrive(deps: OpsDeps, args: readonly string[]): Promise<RedrivePlan | undefined> {
  const flags = parseFlags(args);
  const [name, ...extra] = flags.positional;
  if (!name || extra.length) throw new OpsError(`redrive takes one queue name\n${USAGE}`);
  const rate = flags.values.get('--rate');
  const ratePerSecond = rate === undefined ? undefined : Number(rate);
  if (ratePerSecond !== undefined && !(Number.isInteger(ratePerSecond) && ratePerSecond >= 1 && ratePerSecond <= 500))
    throw new OpsError(`--rate must be a whole number of messages per second from 1 to 500 (SQS's limit), not ${rate}`);

  const refused = NOT_REDRIVABLE.find((r) => name.endsWith(r.suffix));
  if (refused && !flags.values.has('--to')) throw new OpsError(`${name} is not redriven to a queue: ${refused.why}`);

  const source = await queueOf(deps.sqs, name);
  const { queueUrls = [] } = await deps.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: source.url }));
  const returnsTo = queueUrls.map(nameOfUrl);
  let destinationName = flags.values.get('--to');
  if (!destinationName && returnsTo.length === 0) {
    if (name.endsWith('-delivery-dlq')) destinationName = name.slice(0, -'-delivery-dlq'.length);
    else throw new OpsError(`${name} is no queue's dead-letter queue and not a rule target's delivery DLQ: name the destination with --to <queue>`);
  }
  const destination = destinationName ? await queueOf(deps.sqs, destinationName) : undefined;
  const plan: RedrivePlan = {
    source: { name: source.name, arn: source.arn, messages: source.messages },
    ...(destination ? { destination: { name: destination.name, arn: destination.arn } } : {}),
    returnsTo,
    ...(ratePerSecond !== undefined ? { ratePerSecond } : {}),
  };

  deps.print(`Redrive plan${flags.dryRun ? ' (dry run: nothing is moved)' : ''}:`);
  deps.print(`  from      ${source.name} (${source.arn}), about ${source.messages} message(s)`);
  deps.print(destination ? `  to        ${destination.name} (${destination.arn})` : `  to        the queue each message came from: ${returnsTo.join(', ')}`);
  deps.print(`  rate      ${ratePerSecond === undefined ? 'as fast as SQS moves them (up to 500 per second)' : `${ratePerSecond} per second`}`);
  deps.print("  effect    each message is handled again by the destination's consumer; the pipeline changes nothing twice (versioned writes, event ids)");
  if (flags.dryRun) return plan;
  if (source.messages === 0) {
    deps.print('Nothing to move.');
    return plan;
  }
  if (source.arn.startsWith('arn:aws-cn:')) {
    const to = destination ?? (returnsTo.length === 1 ? await queueOf(deps.sqs, returnsTo[0]!) : undefined);
    if (!to)
      throw new OpsError(`${name} is the DLQ of ${returnsTo.length} queues; in AWS China each message is moved by hand, so name the destination with --to`);
    const moved = await moveByHand(deps, source, to);
    deps.print(`Moved ${moved} message(s) by hand (SQS DLQ redrive is not offered in the China regions).`);
    return plan;
  }
  const { TaskHandle } = await deps.sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: source.arn,
      ...(destination ? { DestinationArn: destination.arn } : {}),
      ...(ratePerSecond !== undefined ? { MaxNumberOfMessagesPerSecond: ratePerSecond } : {}),
    }),
  );
  deps.print(`Started: task ${TaskHandle ?? '(no handle)'}. Follow it with: aws sqs list-message-move-tasks --source-arn ${source.arn}`);
  return plan;
}

/**
 * Receive → send → delete, 10 at a time, until the queue answers empty or the messages counted at the start are moved
 * (so messages that fail again and come back are not chased forever). Bodies and message attributes are kept.
 */
async function moveByHand(deps: OpsDeps, from: { url: string; messages: number }, to: { url: string }): Promise<number> {
  let moved = 0;
  while (moved < from.messages) {
    const { Messages: batch = [] } = await deps.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: from.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60, MessageAttributeNames: ['All'] }),
    );
    if (batch.length === 0) break;
    const entries = batch.map((m, i) => ({
      Id: String(i),
      MessageBody: m.Body ?? '',
      ...(m.MessageAttributes ? { MessageAttributes: m.MessageAttributes } : {}),
    }));
    const sent = await deps.sqs.send(new SendMessageBatchCommand({ QueueUrl: to.url, Entries: entries }));
    const ok = new Set((sent.Successful ?? []).map((e) => e.Id));
    // Only what the destination took is deleted; the rest becomes visible again in the DLQ after the visibility timeout.
    const done = batch.flatMap((m, i) => (ok.has(String(i)) && m.ReceiptHandle ? [{ Id: String(i), ReceiptHandle: m.ReceiptHandle }] : []));
    if (done.length) await deps.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: from.url, Entries: done }));
    moved += done.length;
    if (done.length < batch.length)
      throw new OpsError(`the destination refused ${batch.length - done.length} message(s) after ${moved} moved; they stay in the DLQ`);
  }
  return moved;
}

/** An ISO 8601 time with its offset (`Z` or `+08:00`): a replay window must not depend on the shell's time zone. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function timeFlag(flags: Flags, flag: '--from' | '--to'): Date {
  const raw = flags.values.get(flag);
  if (!raw) throw new OpsError(`replay needs ${flag} <ISO time with offset, e.g. 2026-11-03T08:00:00+08:00>\n${USAGE}`);
  const t = new Date(raw);
  if (!ISO_WITH_OFFSET.test(raw) || Number.isNaN(t.getTime()))
    throw new OpsError(`${flag} ${raw}: not an ISO 8601 time with an offset (e.g. 2026-11-03T08:00:00+08:00)`);
  return t;
}

export interface ReplayPlan {
  name: string;
  archive: { name: string; arn: string; retentionDays?: number };
  busArn: string;
  from: Date;
  to: Date;
  /** Rule ARNs the replay is limited to; empty: every rule on the bus. */
  ruleArns: string[];
}

const REPLAY_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

export async function replay(deps: OpsDeps, args: readonly string[]): Promise<ReplayPlan> {
  const flags = parseFlags(args);
  if (flags.positional.length) throw new OpsError(`replay takes no positional argument (${flags.positional.join(' ')})\n${USAGE}`);
  const stage = flags.values.get('--stage') ?? 'dev';
  const from = timeFlag(flags, '--from');
  const to = timeFlag(flags, '--to');
  const now = deps.now();
  if (from >= to) throw new OpsError(`--from must be before --to (${from.toISOString()} is not before ${to.toISOString()})`);
  if (to > now) throw new OpsError(`--to ${to.toISOString()} is in the future: a replay covers events already archived`);
  const stamp = (d: Date) =>
    d
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
  const name = flags.values.get('--name') ?? `hotline-${stage}-${stamp(from)}-${stamp(now)}`;
  if (!REPLAY_NAME.test(name)) throw new OpsError(`--name ${name}: 1–64 of [.-_A-Za-z0-9]`);

  const archiveName = eventArchiveName(stage);
  const archive = await deps.eventBridge.send(new DescribeArchiveCommand({ ArchiveName: archiveName }));
  if (!archive.ArchiveArn || !archive.EventSourceArn) throw new OpsError(`archive ${archiveName} not found (is the stage ${stage} deployed here?)`);
  const retentionDays = archive.RetentionDays;
  if (retentionDays && from.getTime() < now.getTime() - retentionDays * 86_400_000)
    throw new OpsError(`--from ${from.toISOString()} is older than the archive keeps events (${retentionDays} days)`);

  const busName = eventBusName(stage);
  const ruleNames = (flags.values.get('--rules') ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const ruleArns: string[] = [];
  for (const rule of ruleNames) {
    const r = await deps.eventBridge.send(new DescribeRuleCommand({ Name: rule, EventBusName: busName }));
    if (!r.Arn) throw new OpsError(`rule ${rule} not found on bus ${busName}`);
    ruleArns.push(r.Arn);
  }
  const plan: ReplayPlan = {
    name,
    archive: { name: archiveName, arn: archive.ArchiveArn, ...(retentionDays ? { retentionDays } : {}) },
    busArn: archive.EventSourceArn,
    from,
    to,
    ruleArns,
  };

  deps.print(`Replay plan${flags.dryRun ? ' (dry run: nothing is replayed)' : ''}:`);
  deps.print(`  name      ${name}`);
  deps.print(`  from      archive ${archiveName} (${archive.ArchiveArn}), ${archive.EventCount ?? '?'} event(s) archived in all`);
  deps.print(`  window    ${from.toISOString()} – ${to.toISOString()} (event time)`);
  deps.print(`  onto      ${archive.EventSourceArn}`);
  deps.print(
    ruleArns.length
      ? `  rules     ${ruleNames.join(', ')}`
      : '  rules     EVERY rule on the bus: every agency queue and the status callbacks to the hotlines (limit with --rules)',
  );
  deps.print('  effect    consumers see the events again with the same eventId and deduplicate on it');
  if (flags.dryRun) return plan;
  const started = await deps.eventBridge.send(
    new StartReplayCommand({
      ReplayName: name,
      Description: `npm run ops -- replay (${from.toISOString()} – ${to.toISOString()})`,
      EventSourceArn: archive.ArchiveArn,
      EventStartTime: from,
      EventEndTime: to,
      Destination: { Arn: archive.EventSourceArn, ...(ruleArns.length ? { FilterArns: ruleArns } : {}) },
    }),
  );
  deps.print(`Started: ${started.ReplayArn ?? name} (${started.State ?? 'STARTING'}). Follow it with: aws events describe-replay --replay-name ${name}`);
  return plan;
}

/** Runs one command line; the exit code. */
export async function runOps(deps: OpsDeps, argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === 'redrive') await redrive(deps, args);
    else if (command === 'replay') await replay(deps, args);
    else if (command === undefined || command === 'help' || command === '--help') {
      deps.print(USAGE);
      return command === undefined ? 2 : 0;
    } else throw new OpsError(`unknown command ${command}\n${USAGE}`);
    return 0;
  } catch (e) {
    if (e instanceof OpsError) {
      deps.print(`ops: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
