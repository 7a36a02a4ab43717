/**
 * The city's routing corrections as training lines, for `npm run train` (docs/classifier.md):
 *
 *   npm run export:training -- --since 2026-01-01 --table hotline-prod-cases [--region cn-north-1] [--closed] [--out file]
 *   npm run export:training -- --since 2026-01-01 --endpoint http://127.0.0.1:8000 --table <local table>   # local mode
 *
 * Reads every case record once (a table scan: run it offline, not at peak). A line per case whose route a person
 * settled since `--since` (a flagged ticket a dispatcher routed, a return that ended in a reroute) and, with
 * `--closed`, per case closed since then, labelled with the agency that finally handled it; personal data masked
 * (functions/domain/classify/model/training-export.ts). Lines go to `--out` or standard output; a summary to stderr.
 * Local mode prints its DynamoDB Local endpoint and table when it starts.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoCaseStore } from '../functions/adapters/aws/dynamo-case-store.js';
import { routing } from '../functions/config/routing.js';
import { exportTraining } from '../functions/app/export-training.js';

const { values } = parseArgs({
  options: {
    since: { type: 'string' },
    table: { type: 'string' },
    endpoint: { type: 'string' },
    region: { type: 'string' },
    closed: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
if (!values.since || Number.isNaN(Date.parse(values.since)) || !values.table) {
  process.stderr.write('usage: npm run export:training -- --since <ISO date> --table <case table> [--endpoint URL] [--region R] [--closed] [--out file]\n');
  process.exit(2);
}
const client = new DynamoDBClient({
  ...(values.region ? { region: values.region } : {}),
  ...(values.endpoint ? { endpoint: values.endpoint, region: values.region ?? 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
});
const store = new DynamoCaseStore(client, values.table);
const { lines, scanned } = await exportTraining(store, routing, { since: new Date(values.since).toISOString(), closed: values.closed });
const text = lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length ? '\n' : '');
if (values.out) writeFileSync(values.out, text);
else process.stdout.write(text);
process.stderr.write(`${lines.length} training line(s) from ${scanned} case record(s)\n`);
