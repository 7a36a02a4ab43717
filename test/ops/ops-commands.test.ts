/**
 * `npm run ops`: redrive (SQS StartMessageMoveTask) and replay (EventBridge StartReplay) against aws-sdk-client-mock.
 * A real SQS or EventBridge cannot be had locally (no emulator runs move tasks or archive replays), hence the mock. Each
 * test checks the plan printed and exactly which write calls went out: none in a dry run or a refusal.
 */
import { DescribeArchiveCommand, DescribeRuleCommand, EventBridgeClient, StartReplayCommand } from '@aws-sdk/client-eventbridge';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchCommandInput,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { runOps, type OpsDeps } from '../../scripts/ops/commands.js';

const sqs = mockClient(SQSClient);
const eb = mockClient(EventBridgeClient);
const NOW = new Date('2026-11-20T10:00:00Z');
let partition = 'aws';
const ARN = (name: string) => `arn:${partition}:sqs:cn-north-1:123456789012:${name}`;
const URL = (name: string) => `https://sqs.cn-north-1.amazonaws.com.cn/123456789012/${name}`;
const QUEUES: Record<string, number> = {
  'hotline-prod-process': 0,
  'hotline-prod-process-dlq': 7,
  'hotline-prod-agency-150302-market-regulation': 0,
  'hotline-prod-agency-150302-market-regulation-delivery-dlq': 3,
  'hotline-prod-relay-dlq': 2,
  'hotline-prod-callbacks-dlq': 0,
};

let lines: string[];
const deps = (): OpsDeps => ({
  sqs: new SQSClient({ region: 'cn-north-1' }),
  eventBridge: new EventBridgeClient({ region: 'cn-north-1' }),
  print: (l) => lines.push(l),
  now: () => NOW,
});
const out = () => lines.join('\n');

beforeEach(() => {
  partition = 'aws';
  lines = [];
  sqs.reset();
  eb.reset();
  for (const [name, n] of Object.entries(QUEUES)) {
    sqs.on(GetQueueUrlCommand, { QueueName: name }).resolves({ QueueUrl: URL(name) });
    sqs.on(GetQueueAttributesCommand, { QueueUrl: URL(name) }).resolves({ Attributes: { QueueArn: ARN(name), ApproximateNumberOfMessages: String(n) } });
    sqs.on(ListDeadLetterSourceQueuesCommand, { QueueUrl: URL(name) }).resolves({ queueUrls: [] });
  }
  sqs.on(ListDeadLetterSourceQueuesCommand, { QueueUrl: URL('hotline-prod-process-dlq') }).resolves({ queueUrls: [URL('hotline-prod-process')] });
  sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
  eb.on(DescribeArchiveCommand, { ArchiveName: 'hotline-prod-archive' }).resolves({
    ArchiveArn: 'arn:aws-cn:events:cn-north-1:123456789012:archive/hotline-prod-archive',
    EventSourceArn: 'arn:aws-cn:events:cn-north-1:123456789012:event-bus/hotline-prod',
    RetentionDays: 365,
    EventCount: 1234,
  });
  eb.on(DescribeRuleCommand, { Name: 'hotline-prod-status-callbacks', EventBusName: 'hotline-prod' }).resolves({
    Arn: 'arn:aws-cn:events:cn-north-1:123456789012:rule/hotline-prod/hotline-prod-status-callbacks',
  });
  eb.on(StartReplayCommand).resolves({ ReplayArn: 'arn:aws-cn:events:cn-north-1:123456789012:replay/r1', State: 'STARTING' });
});

describe('ops redrive', () => {
  it('prints the plan and moves nothing in a dry run', async () => {
    expect(await runOps(deps(), ['redrive', 'hotline-prod-process-dlq', '--dry-run'])).toBe(0);
    expect(out()).toContain('dry run');
    expect(out()).toContain(`from      hotline-prod-process-dlq (${ARN('hotline-prod-process-dlq')}), about 7 message(s)`);
    expect(out()).toContain('the queue each message came from: hotline-prod-process');
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });

  it('moves a DLQ back to the queues its messages came from (no destination: SQS uses each message’s source)', async () => {
    expect(await runOps(deps(), ['redrive', 'hotline-prod-process-dlq', '--rate', '50'])).toBe(0);
    const calls = sqs.commandCalls(StartMessageMoveTaskCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({ SourceArn: ARN('hotline-prod-process-dlq'), MaxNumberOfMessagesPerSecond: 50 });
    expect(out()).toContain('task-1');
  });

  it("moves a rule target's delivery DLQ into the queue the rule delivers to", async () => {
    expect(await runOps(deps(), ['redrive', 'hotline-prod-agency-150302-market-regulation-delivery-dlq'])).toBe(0);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]!.args[0].input).toEqual({
      SourceArn: ARN('hotline-prod-agency-150302-market-regulation-delivery-dlq'),
      DestinationArn: ARN('hotline-prod-agency-150302-market-regulation'),
    });
  });

  it('refuses the relay DLQ (it holds stream ranges, not work) and says what to do instead, calling nothing', async () => {
    expect(await runOps(deps(), ['redrive', 'hotline-prod-relay-dlq'])).toBe(2);
    expect(out()).toMatch(/hotline-prod-relay-dlq is not redriven to a queue: it holds the stream shard and sequence range/);
    expect(sqs.calls()).toHaveLength(0);
  });

  it('starts nothing when the queue is empty, and rejects a bad rate before any call', async () => {
    expect(await runOps(deps(), ['redrive', 'hotline-prod-callbacks-dlq', '--to', 'hotline-prod-process'])).toBe(0);
    expect(out()).toContain('Nothing to move.');
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
    sqs.resetHistory();
    expect(await runOps(deps(), ['redrive', 'hotline-prod-process-dlq', '--rate', '1000'])).toBe(2);
    expect(out()).toContain('--rate must be a whole number of messages per second from 1 to 500');
    expect(sqs.calls()).toHaveLength(0);
  });
});

describe('ops redrive in the AWS China partition (no SQS DLQ redrive there)', () => {
  it('moves the messages by hand to the queue the DLQ serves: receive, send, delete only what was sent', async () => {
    partition = 'aws-cn';
    sqs.reset();
    for (const name of ['hotline-prod-process', 'hotline-prod-process-dlq']) {
      sqs.on(GetQueueUrlCommand, { QueueName: name }).resolves({ QueueUrl: URL(name) });
      sqs
        .on(GetQueueAttributesCommand, { QueueUrl: URL(name) })
        .resolves({ Attributes: { QueueArn: ARN(name), ApproximateNumberOfMessages: name.endsWith('dlq') ? '3' : '0' } });
    }
    sqs.on(ListDeadLetterSourceQueuesCommand).resolves({ queueUrls: [URL('hotline-prod-process')] });
    const msg = (n: number) => ({
      MessageId: `m${n}`,
      ReceiptHandle: `r${n}`,
      Body: `{"caseId":"c${n}"}`,
      MessageAttributes: { a: { DataType: 'String', StringValue: String(n) } },
    });
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [msg(1), msg(2)] })
      .resolvesOnce({ Messages: [msg(3)] })
      .resolves({ Messages: [] });
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => ({ Successful: (input.Entries ?? []).map((e) => ({ Id: e.Id })) }));
    sqs.on(DeleteMessageBatchCommand).resolves({});

    expect(await runOps(deps(), ['redrive', 'hotline-prod-process-dlq'])).toBe(0);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
    const sends = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input);
    expect(sends.map((i) => i.QueueUrl)).toEqual([URL('hotline-prod-process'), URL('hotline-prod-process')]);
    expect(sends[0]!.Entries).toEqual([
      { Id: '0', MessageBody: '{"caseId":"c1"}', MessageAttributes: { a: { DataType: 'String', StringValue: '1' } } },
      { Id: '1', MessageBody: '{"caseId":"c2"}', MessageAttributes: { a: { DataType: 'String', StringValue: '2' } } },
    ]);
    const deletes = sqs.commandCalls(DeleteMessageBatchCommand).map((c) => c.args[0].input);
    expect(deletes.flatMap((d) => d.Entries!.map((e) => e.ReceiptHandle))).toEqual(['r1', 'r2', 'r3']);
    expect(out()).toContain('Moved 3 message(s) by hand');
  });

  it('keeps in the DLQ what the destination refused, and says so', async () => {
    partition = 'aws-cn';
    sqs.reset();
    for (const name of ['hotline-prod-process', 'hotline-prod-process-dlq']) {
      sqs.on(GetQueueUrlCommand, { QueueName: name }).resolves({ QueueUrl: URL(name) });
      sqs.on(GetQueueAttributesCommand, { QueueUrl: URL(name) }).resolves({ Attributes: { QueueArn: ARN(name), ApproximateNumberOfMessages: '2' } });
    }
    sqs.on(ListDeadLetterSourceQueuesCommand).resolves({ queueUrls: [URL('hotline-prod-process')] });
    sqs.on(ReceiveMessageCommand).resolves({
      Messages: [
        { ReceiptHandle: 'r1', Body: 'a' },
        { ReceiptHandle: 'r2', Body: 'b' },
      ],
    });
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [{ Id: '0', MessageId: 'x', MD5OfMessageBody: '' }], Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError' }] });
    sqs.on(DeleteMessageBatchCommand).resolves({});
    expect(await runOps(deps(), ['redrive', 'hotline-prod-process-dlq'])).toBe(2);
    expect(sqs.commandCalls(DeleteMessageBatchCommand)[0]!.args[0].input.Entries).toEqual([{ Id: '0', ReceiptHandle: 'r1' }]);
    expect(out()).toContain('the destination refused 1 message(s) after 1 moved; they stay in the DLQ');
  });
});

describe('ops replay', () => {
  const window = ['--stage', 'prod', '--from', '2026-11-19T08:00:00+08:00', '--to', '2026-11-19T12:00:00+08:00'];

  it('prints the plan and replays nothing in a dry run, warning that every rule gets the events', async () => {
    expect(await runOps(deps(), ['replay', ...window, '--dry-run'])).toBe(0);
    expect(out()).toContain('window    2026-11-19T00:00:00.000Z – 2026-11-19T04:00:00.000Z');
    expect(out()).toContain('EVERY rule on the bus');
    expect(out()).toContain('1234 event(s)');
    expect(eb.commandCalls(StartReplayCommand)).toHaveLength(0);
  });

  it('replays the archive onto its bus, limited to the named rules', async () => {
    expect(await runOps(deps(), ['replay', ...window, '--rules', 'hotline-prod-status-callbacks'])).toBe(0);
    const calls = eb.commandCalls(StartReplayCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toMatchObject({
      ReplayName: 'hotline-prod-20261119T000000Z-20261120T100000Z',
      EventSourceArn: 'arn:aws-cn:events:cn-north-1:123456789012:archive/hotline-prod-archive',
      EventStartTime: new Date('2026-11-19T00:00:00Z'),
      EventEndTime: new Date('2026-11-19T04:00:00Z'),
      Destination: {
        Arn: 'arn:aws-cn:events:cn-north-1:123456789012:event-bus/hotline-prod',
        FilterArns: ['arn:aws-cn:events:cn-north-1:123456789012:rule/hotline-prod/hotline-prod-status-callbacks'],
      },
    });
    expect(out()).toContain('describe-replay --replay-name hotline-prod-20261119T000000Z-20261120T100000Z');
  });

  it.each([
    [['--from', '2026-11-19T12:00:00+08:00', '--to', '2026-11-19T08:00:00+08:00'], /--from must be before --to/],
    [['--from', '2026-11-19 08:00', '--to', '2026-11-19T12:00:00+08:00'], /not an ISO 8601 time with an offset/],
    [['--from', '2026-11-19T08:00:00', '--to', '2026-11-19T12:00:00Z'], /not an ISO 8601 time with an offset/],
    [['--from', '2026-11-19T08:00:00Z', '--to', '2026-12-01T00:00:00Z'], /is in the future/],
    [['--to', '2026-11-19T12:00:00Z'], /replay needs --from/],
  ])('refuses %j before starting anything', async (args, message) => {
    expect(await runOps(deps(), ['replay', '--stage', 'prod', ...args])).toBe(2);
    expect(out()).toMatch(message);
    expect(eb.commandCalls(StartReplayCommand)).toHaveLength(0);
  });

  it('refuses a window older than the archive keeps, and an unknown rule', async () => {
    expect(await runOps(deps(), ['replay', '--stage', 'prod', '--from', '2025-01-01T00:00:00Z', '--to', '2025-01-02T00:00:00Z'])).toBe(2);
    expect(out()).toContain('older than the archive keeps events (365 days)');
    eb.on(DescribeRuleCommand, { Name: 'nope', EventBusName: 'hotline-prod' }).resolves({});
    expect(await runOps(deps(), ['replay', ...window, '--rules', 'nope'])).toBe(2);
    expect(out()).toContain('rule nope not found on bus hotline-prod');
    expect(eb.commandCalls(StartReplayCommand)).toHaveLength(0);
  });
});

describe('ops usage', () => {
  it('answers an unknown command or option with the usage and exit code 2', async () => {
    expect(await runOps(deps(), ['purge'])).toBe(2);
    expect(out()).toContain('unknown command purge');
    expect(await runOps(deps(), ['redrive', 'q', '--force'])).toBe(2);
    expect(out()).toContain('unknown option --force');
    expect(sqs.calls()).toHaveLength(0);
  });
});
