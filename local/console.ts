/**
 * Local mode's part of the web console (工作台): the built site (`web/dist`, `npm run build:web`) at `/`, its
 * `/config.json` (development login), and the development login's token endpoint. None of this is an API route:
 * in AWS the site is in S3 behind CloudFront, its config.json names the OIDC issuer, and tokens come from the issuer.
 *
 *   POST /local/dev-token {"agencyId","role"} → {"token","agencyId","role","expiresAt"}   (the key of `npm run token`)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { signDevToken } from '../functions/auth/dev-jwt.js';
import { directory } from '../functions/config/directory.js';
import { ROLES, type Role } from '../functions/domain/lifecycle/transitions.js';

/** Where `npm run build:web` puts the site. */
export const WEB_DIST = join(import.meta.dirname, '..', 'web', 'dist');

export const DEV_TOKEN_PATH = '/local/dev-token';
const TOKEN_TTL_SECONDS = 8 * 3600;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** What the console reads at start in local mode: the API is this origin, and login is the development page. */
export const localConsoleConfig = () => ({ apiUrl: '', auth: { mode: 'dev', devTokenPath: DEV_TOKEN_PATH } });

const sendJson = (res: ServerResponse, status: number, body: unknown): void =>
  void res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));

async function readBody(req: IncomingMessage, limit = 4096): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > limit) throw new Error('too large');
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Mints a development token for an agency of the directory and a role: the development login page's endpoint. */
export async function devToken(req: IncomingMessage, res: ServerResponse, secret: string, now: () => Date): Promise<void> {
  let body: { agencyId?: unknown; role?: unknown };
  try {
    body = JSON.parse(await readBody(req)) as typeof body;
  } catch {
    return sendJson(res, 400, { error: 'validation_failed', message: '请求体须为 JSON：{"agencyId","role"}' });
  }
  const details: { path: string; message: string }[] = [];
  if (typeof body.agencyId !== 'string' || !directory.get(body.agencyId)) details.push({ path: 'agencyId', message: 'unknown agency (config/agencies.json)' });
  if (typeof body.role !== 'string' || !(ROLES as readonly string[]).includes(body.role)) details.push({ path: 'role', message: `one of ${ROLES.join(', ')}` });
  if (details.length) return sendJson(res, 400, { error: 'validation_failed', message: '未知的单位或角色', details });
  const at = now();
  const token = await signDevToken({ agencyId: body.agencyId as string, role: body.role as Role, secret, ttlSeconds: TOKEN_TTL_SECONDS, now: at });
  sendJson(res, 200, { token, agencyId: body.agencyId, role: body.role, expiresAt: new Date(at.getTime() + TOKEN_TTL_SECONDS * 1000).toISOString() });
}

/**
 * A GET for the site: `/` is its index.html, any other path a file under `siteDir`. Answers false when there is no
 * such file (the caller answers 404, as for any unknown path): the app has one page and no routes of its own.
 * `/` answers 503 with words when the site has not been built.
 */
export async function serveSite(siteDir: string, path: string, res: ServerResponse): Promise<boolean> {
  if (path === '/' || path === '/index.html') {
    const index = await readFile(join(siteDir, 'index.html')).catch(() => undefined);
    if (!index)
      res
        .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
        .end('The web console is not built: run `npm run build:web` (npm start does it first).\n工作台尚未构建：请运行 npm run build:web。\n');
    else res.writeHead(200, { 'content-type': TYPES['.html']!, 'cache-control': 'no-cache' }).end(index);
    return true;
  }
  let rel: string;
  try {
    rel = normalize(decodeURIComponent(path)).replace(/^([/\\])+/, '');
  } catch {
    return false; // a malformed percent-encoding names no file
  }
  const file = join(siteDir, rel);
  if (!rel || !file.startsWith(siteDir + sep)) return false;
  const body = await readFile(file).catch(() => undefined);
  if (!body) return false;
  const immutable = rel.startsWith(`assets${sep}`);
  res
    .writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    })
    .end(body);
  return true;
}
