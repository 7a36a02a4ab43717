/** `npm run events:export`: writes the zod event schemas as JSON Schema files into events/json/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventJsonFiles } from '../events/json-schemas.js';

const dir = join(import.meta.dirname, '..', 'events', 'json');
mkdirSync(dir, { recursive: true });
for (const [file, content] of eventJsonFiles()) writeFileSync(join(dir, file), content);
console.log(`wrote ${eventJsonFiles().length} schemas to events/json/`);
