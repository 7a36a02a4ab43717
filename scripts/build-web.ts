/**
 * Builds the web console (工作台, `web/`) into `web/dist`: first the facts the console shows, generated from where the
 * repository declares them (the agency directory, the lifecycle's transition table, the report's metrics, the
 * due-soon share of the deadline policy) into `web/src/generated/facts.json`, then `vite build`.
 *
 *   npm run build:web          (npm start and npm run demo run it first; the CDK app runs it when it bundles the site)
 *   npm run build:web -- --out <dir>
 *   npm run build:web -- --facts-only      only the facts (the console's type check reads them)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { consoleFacts, WEB_ROOT } from '../web/facts.js';

const { values } = parseArgs({ options: { out: { type: 'string' }, 'facts-only': { type: 'boolean', default: false } } });
const factsFile = join(WEB_ROOT, 'src', 'generated', 'facts.json');
mkdirSync(dirname(factsFile), { recursive: true });
writeFileSync(factsFile, `${JSON.stringify(consoleFacts())}\n`);
if (values['facts-only']) process.exit(0);

const { build } = await import('vite');
await build({
  root: WEB_ROOT,
  configFile: join(WEB_ROOT, 'vite.config.ts'),
  logLevel: 'warn',
  ...(values.out ? { build: { outDir: values.out, emptyOutDir: true } } : {}),
});
console.log(`web console built into ${values.out ?? join(WEB_ROOT, 'dist')}`);
