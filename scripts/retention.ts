/**
 * The retention job by hand (docs/privacy.md), against local mode's DynamoDB Local or a deployed table:
 *
 *   npm run retention -- --endpoint http://127.0.0.1:8000 --table <local table> [--dry-run]   # local mode
 *   npm run retention -- --table hotline-prod-cases --region cn-north-1 --dry-run              # what the daily run would do
 *
 * Runs exactly what the scheduled function runs (app/retention.ts, config/retention-policy.json): erases the contact
 * of cases closed more than `contactErasedAfterDays` ago and anonymises the text of those closed more than
 * `textAnonymisedAfterDays` ago, found through the table's sparse `retentionDue` index (no scan). `--dry-run` changes
 * nothing and lists what would change. `--now <ISO instant>` runs as of another time (to see what falls due when).
 * `--max <n>` bounds the cases changed (default: the policy's maxCasesPerRun). Output: one JSON object (case ids and
 * what was done to each; no personal data). Local mode prints its DynamoDB Local endpoint and table when it starts.
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoCaseStore } from '../functions/adapters/aws/dynamo-case-store.js';
import { runRetention } from '../functions/app/retention.js';
import { retentionPolicy } from '../functions/config/retention-policy.js';

const { values } = parseArgs({
  options: {
    table: { type: 'string' },
    endpoint: { type: 'string' },
    region: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    now: { type: 'string' },
    max: { type: 'string' },
  },
});
const now = values.now === undefined ? new Date() : new Date(values.now);
const max = values.max === undefined ? undefined : Number(values.max);
if (!values.table || Number.isNaN(now.getTime()) || (max !== undefined && (!Number.isInteger(max) || max < 1))) {
  process.stderr.write('usage: npm run retention -- --table <case table> [--endpoint URL] [--region R] [--dry-run] [--now ISO] [--max n]\n');
  process.exit(2);
}
const client = new DynamoDBClient({
  ...(values.region ? { region: values.region } : {}),
  ...(values.endpoint ? { endpoint: values.endpoint, region: values.region ?? 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
});
const store = new DynamoCaseStore(client, values.table);
const run = await runRetention({ store, policy: retentionPolicy, now: () => now }, { dryRun: values['dry-run'], ...(max ? { maxCases: max } : {}) });
process.stdout.write(`${JSON.stringify({ policy: retentionPolicy, now: now.toISOString(), ...run }, null, 2)}\n`);
process.stderr.write(
  `${run.dryRun ? 'would erase' : 'erased'}: ${run.erased.contact} contact(s), ${run.erased.text} text(s); ${run.skipped} skipped, ${run.conflicts} conflict(s)${run.more ? '; more are due (run again)' : ''}\n`,
);
