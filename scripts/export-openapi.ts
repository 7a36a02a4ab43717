/** `npm run openapi:export`: writes the OpenAPI document of the HTTP API (api/openapi.ts) to openapi.json. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiDocument, openApiJson } from '../api/openapi.js';

writeFileSync(join(import.meta.dirname, '..', 'openapi.json'), openApiJson());
const paths = openApiDocument()['paths'] as Record<string, Record<string, unknown>>;
const operations = Object.values(paths).reduce((n, p) => n + Object.keys(p).length, 0);
console.log(`wrote openapi.json: ${operations} operations on ${Object.keys(paths).length} paths`);
