/**
 * `npm run ops -- redrive <queue> | replay --from <t> --to <t>` (scripts/ops/commands.ts): day-two operations on a
 * deployed stage, with the AWS SDK's default credentials and region. `--dry-run` prints the plan and changes nothing.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { runOps } from './ops/commands.js';

const code = await runOps(
  { sqs: new SQSClient({}), eventBridge: new EventBridgeClient({}), print: (line) => console.log(line), now: () => new Date() },
  process.argv.slice(2),
);
process.exitCode = code;
