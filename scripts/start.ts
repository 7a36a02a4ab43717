/**
 * `npm start`: the whole service on this machine (product.md §11). Starts DynamoDB Local, creates the tables,
 * serves the same handlers on PORT (default 3000) and prints what a developer needs. Ctrl-C stops all of it.
 *
 *   npm start -- --demo            also load the demo day (examples/demo-day.jsonl) once it is up, and keep serving
 *   npm run demo                   the same
 *   npm run demo -- --exit         load the demo day, print where everything went, and stop (exit 1 if a ticket
 *                                  was rejected or not processed); DEMO_EXIT=1 does the same
 *   --demo-file <path>             another file of {"source","ticket"} lines
 */
import { parseArgs } from 'node:util';
import { calendar } from '../functions/config/calendar.js';
import { calendarHorizon } from '../functions/domain/deadlines/calendar-horizon.js';
import { DEV_SECRETS } from '../functions/adapters/local/env-secrets.js';
import { directory } from '../functions/config/directory.js';
import { runDemo } from '../local/demo.js';
import { startLocal } from '../local/runtime.js';

const { values: args } = parseArgs({
  options: {
    demo: { type: 'boolean', default: false },
    exit: { type: 'boolean', default: false },
    'demo-file': { type: 'string' },
  },
});
const exitAfterDemo = args.exit || /^(1|true|yes)$/i.test(process.env.DEMO_EXIT ?? '');
const demo = args.demo || exitAfterDemo || args['demo-file'] !== undefined;

// Dependencies are pinned; Lambda runs Node 24. The SDK's notice about future releases needing Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_DEV ??= 'true';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= process.env.LOG_LEVEL ?? 'WARN';

const port = Number(process.env.PORT ?? 3000);
console.log('Starting DynamoDB Local and the hotline service ...');
const rt = await startLocal({ port, host: process.env.HOST ?? '127.0.0.1' });

const secret = (s: '12345' | '12309') => (process.env[`HOTLINE_SECRET_${s}`] ? `(from HOTLINE_SECRET_${s})` : DEV_SECRETS[s]);
console.log(`
Hotline integration running (local mode)
  URL            ${rt.url}
  web console    ${rt.url}/   (工作台: development login, choose an agency and a role)
  health         GET  ${rt.url}/health
  OpenAPI        GET  ${rt.url}/openapi.json   (integrators: docs/integrators.md)
  12345 tickets  POST ${rt.url}/v1/hotlines/12345/tickets
  12309 tickets  POST ${rt.url}/v1/hotlines/12309/tickets
  回访 feedback   POST ${rt.url}/v1/hotlines/<source>/feedback   (signed like tickets)
  agency API     GET  ${rt.url}/v1/agencies/<agencyId>/cases?status=dispatched   (bearer token)
                 GET  ${rt.url}/v1/cases/<caseId>
                 POST ${rt.url}/v1/cases/<caseId>/accept|return|extend|grant-extension|reply|close|reopen|route|decline
  府检联动        POST ${rt.url}/v1/recommendations   (a procuratorate department issues a 检察建议)
                 GET  ${rt.url}/v1/clusters?region=150302&status=open   (类案, operator or procuratorate, within its jurisdiction)
                 GET  ${rt.url}/v1/reports/monthly?month=YYYY-MM&region=&format=csv   (联合月报)
  agency SQS     GET  ${rt.url}/local/agencies/<agencyId>/queue   (e.g. 150304:ecology-environment)
  queue depths   GET  ${rt.url}/local/queues
  DynamoDB Local ${rt.dynamoEndpoint}  table ${rt.tables.caseTable}
  agencies       ${directory.list().length} in ${directory.listRegions().length} regions (config/agencies.json)

Status callbacks: ${['12345', '12309'].map((s) => `${s} → ${process.env[`HOTLINE_CALLBACK_URL_${s}`] ?? `(off: set HOTLINE_CALLBACK_URL_${s})`}`).join(', ')}

Development secrets (set HOTLINE_SECRET_12345 / HOTLINE_SECRET_12309 to change):
  12345  ${secret('12345')}
  12309  ${secret('12309')}

Send a signed ticket:  npm run --silent sign -- --source 12345 --file examples/ticket-12345.json --send
Mint an agency token:  npm run --silent token -- --agency 150304:ecology-environment --role agent   (or --agency 150300:dispatch-center --role operator)
${demo ? 'Loading the demo day ...' : 'Load a demo day:      npm run demo   (or npm start -- --demo)\nPress Ctrl-C to stop.'}
`);

// The working calendar's end (config/calendar.json), as /health and the deadline functions report it.
const horizon = calendarHorizon(calendar, new Date());
if (horizon.warning) console.warn(`WARNING: ${horizon.warning}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping ...');
  await rt.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

if (demo) {
  let ok = false;
  try {
    const summary = await runDemo(rt, { file: args['demo-file'] });
    const c = summary.counts;
    ok = c.rejected === 0 && c.deadLettered === 0 && c.accepted + c.duplicate === c.sent;
  } catch (e) {
    console.error(`\nThe demo day failed: ${(e as Error).message}`);
  }
  if (exitAfterDemo) {
    console.log(`\nStopping (--exit): the commands above need the service running, so use npm run demo for those.`);
    stopping = true;
    await rt.stop();
    process.exit(ok ? 0 : 1);
  }
  console.log(`\nStill serving on ${rt.url}. Press Ctrl-C to stop.`);
}
