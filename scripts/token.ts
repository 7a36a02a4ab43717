/**
 * Development bearer tokens for the agency API in local mode (HS256, the development key).
 *
 *   npm run --silent token -- --agency 150302:market-regulation --role agent
 *   npm run --silent token -- --agency 150300:dispatch-center --role operator   # reads every case of 乌海市, acts on none
 *   TOKEN=$(npm run --silent token -- --agency 150300:dispatch-center --role dispatcher | tail -1)
 *
 * Options: --ttl <seconds> (default 28800); --subject <sub>, the person the audit trail records (default `dev:<role>`;
 * docs/privacy.md). The key is DEV_JWT_SECRET or the printed default. The token is the
 * LAST line of standard output; notes go to standard error.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_DEV_JWT_SECRET, DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, devJwtSecret, signDevToken } from '../functions/auth/dev-jwt.js';
import { directory } from '../functions/config/directory.js';
import { MAX_SUB_LENGTH } from '../functions/auth/principal.js';
import { ROLES, type Role } from '../functions/domain/lifecycle/transitions.js';

const { values } = parseArgs({
  options: {
    agency: { type: 'string' },
    role: { type: 'string', default: 'agent' },
    ttl: { type: 'string', default: String(8 * 3600) },
    subject: { type: 'string' },
  },
});

const fail = (msg: string): never => {
  console.error(msg);
  process.exit(2);
};

const role = values.role as Role;
if (!(ROLES as readonly string[]).includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
if (!values.agency)
  fail(`--agency <agencyId> is required for role ${role} (e.g. 150302:market-regulation; an operator reads within its agency's jurisdiction)`);
if (values.agency && !directory.get(values.agency)) fail(`unknown agency ${values.agency} (see config/agencies.json)`);
if (role === 'dispatcher' && values.agency && directory.get(values.agency)?.kind !== 'dispatch-center') {
  console.error(`note: dispatchers route the cases of a dispatch-center; ${values.agency} is not one`);
}
const ttl = Number(values.ttl);
if (!Number.isInteger(ttl) || ttl < 1) fail('--ttl must be a whole number of seconds');
if (values.subject !== undefined && (values.subject.length === 0 || values.subject.length > MAX_SUB_LENGTH))
  fail(`--subject must be 1 to ${MAX_SUB_LENGTH} characters`);

const { secret, isDefault } = devJwtSecret();
console.error(
  isDefault ? `using the default development key "${DEFAULT_DEV_JWT_SECRET}" (set DEV_JWT_SECRET to change it)` : 'using the key from DEV_JWT_SECRET',
);
const subject = values.subject ?? `dev:${role}`;
console.error(`iss=${DEV_JWT_ISSUER} aud=${DEV_JWT_AUDIENCE} sub=${subject} role=${role}${values.agency ? ` agencyId=${values.agency}` : ''} ttl=${ttl}s`);
console.log(await signDevToken({ role, agencyId: values.agency, secret, ttlSeconds: ttl, subject }));
