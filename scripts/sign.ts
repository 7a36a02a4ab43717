/**
 * Signing helper for hotline integrators and developers.
 *
 *   npm run --silent sign -- --source 12345 --file examples/ticket-12345.json            # prints the header
 *   npm run --silent sign -- --source 12345 --file examples/ticket-12345.json --send     # POSTs to local mode
 *
 * Options: --secret (default: HOTLINE_SECRET_<source> or the development secret), --url (default
 * http://127.0.0.1:$PORT or :3000), --stdin to read the body from standard input.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEV_SECRETS } from '../functions/adapters/local/env-secrets.js';
import { sign } from '../functions/domain/ingest/signature.js';
import { SOURCES, type Source } from '../functions/domain/taxonomy.js';
import { postTickets } from '../local/hotline-client.js';

const { values } = parseArgs({
  options: {
    source: { type: 'string', default: '12345' },
    file: { type: 'string' },
    stdin: { type: 'boolean', default: false },
    secret: { type: 'string' },
    url: { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? 3000}` },
    send: { type: 'boolean', default: false },
  },
});

const source = values.source as Source;
if (!(SOURCES as readonly string[]).includes(source)) {
  console.error(`--source must be one of ${SOURCES.join(', ')}`);
  process.exit(2);
}
if (!values.file && !values.stdin) {
  console.error('give --file <ticket.json> or --stdin');
  process.exit(2);
}
const body = values.stdin ? readFileSync(0, 'utf8') : readFileSync(values.file!, 'utf8');
const secret = values.secret ?? process.env[`HOTLINE_SECRET_${source}`] ?? DEV_SECRETS[source];

if (values.send) {
  const r = await postTickets(values.url, source, secret, body);
  console.log(`HTTP ${r.status}`);
  console.log(JSON.stringify(r.body, null, 2));
  process.exit(r.status < 300 ? 0 : 1);
} else {
  console.log(`X-Hotline-Signature: ${sign(secret, body, Math.floor(Date.now() / 1000))}`);
}
