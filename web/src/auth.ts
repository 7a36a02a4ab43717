/**
 * Signing in. Two ways, chosen by the deployment's /config.json:
 * - `oidc`: authorization code with PKCE against the configured issuer (Cognito's hosted login, or the city's own
 *   SSO), the same issuer whose tokens the HTTP API's JWT authorizer verifies. The console sends the ID token.
 * - `dev` (local mode only): a development login page mints a development token for a chosen agency and role
 *   (`POST /local/dev-token`, the same key as `npm run token`).
 * What the console shows follows the token's agency and role; the API enforces all of it regardless.
 */
import * as oauth from 'oauth4webapi';
import type { Role } from './facts';

export type AuthConfig = { mode: 'dev'; devTokenPath: string } | { mode: 'oidc'; issuer: string; clientId: string; scope: string };
export interface ConsoleConfig {
  /** The API's base URL ('' = this origin, as in local mode). */
  apiUrl: string;
  auth: AuthConfig;
}

export interface Session {
  token: string;
  role: Role;
  agencyId: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

const SESSION_KEY = 'hotline.console.session';
const PENDING_KEY = 'hotline.console.oidc';

export async function loadConfig(): Promise<ConsoleConfig> {
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`无法读取工作台配置（/config.json 返回 ${res.status}）`);
  return (await res.json()) as ConsoleConfig;
}

function decodePayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  const bytes = Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

/**
 * The role and agency a token names, read as functions/auth/principal.ts reads them: `role` + `agencyId` claims, or
 * Cognito groups (`role:<role>` and the agency id). Only for what to show; the API verifies the token itself.
 */
export function sessionFromToken(token: string): Session | undefined {
  const claims = decodePayload(token);
  let role = claims['role'];
  let agencyId = claims['agencyId'];
  const groups = claims['cognito:groups'];
  if (role === undefined && Array.isArray(groups)) {
    const names = groups.map(String);
    role = names.find((g) => g.startsWith('role:'))?.slice('role:'.length);
    agencyId = names.find((g) => /^\d{6}:/.test(g));
  }
  if (typeof role !== 'string' || typeof agencyId !== 'string' || typeof claims['exp'] !== 'number') return undefined;
  return { token, role: role as Role, agencyId, expiresAt: claims['exp'] * 1000 };
}

export function storedSession(): Session | undefined {
  const raw = sessionStorage.getItem(SESSION_KEY);
  if (!raw) return undefined;
  const s = sessionFromToken(raw);
  if (!s || s.expiresAt <= Date.now()) {
    sessionStorage.removeItem(SESSION_KEY);
    return undefined;
  }
  return s;
}

export function saveSession(token: string): Session {
  const s = sessionFromToken(token);
  if (!s) throw new Error('登录凭证未包含单位和角色，请联系管理员把账号加入本单位的组和一个角色组');
  sessionStorage.setItem(SESSION_KEY, token);
  return s;
}

export const signOut = (): void => sessionStorage.removeItem(SESSION_KEY);

/** Local mode: a development token for the chosen agency and role. */
export async function devSignIn(cfg: ConsoleConfig, agencyId: string, role: Role): Promise<Session> {
  if (cfg.auth.mode !== 'dev') throw new Error('开发登录只在本地模式可用');
  const res = await fetch(`${cfg.apiUrl}${cfg.auth.devTokenPath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ agencyId, role }),
  });
  const body = (await res.json()) as { token?: string; message?: string };
  if (!res.ok || !body.token) throw new Error(body.message ?? `开发登录失败（${res.status}）`);
  return saveSession(body.token);
}

const redirectUri = () => `${location.origin}/`;

async function authorizationServer(cfg: Extract<AuthConfig, { mode: 'oidc' }>) {
  const issuer = new URL(cfg.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer));
}

/** Starts the authorization code flow with PKCE: off to the issuer's login page. */
export async function beginOidcSignIn(cfg: ConsoleConfig): Promise<void> {
  if (cfg.auth.mode !== 'oidc') return;
  const as = await authorizationServer(cfg.auth);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ codeVerifier, state, nonce }));
  const url = new URL(as.authorization_endpoint!);
  url.searchParams.set('client_id', cfg.auth.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', cfg.auth.scope);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  location.assign(url.href);
}

/** Back from the issuer with `?code=`: exchanges it for tokens and keeps the ID token. Undefined when not a callback. */
export async function completeOidcSignIn(cfg: ConsoleConfig): Promise<Session | undefined> {
  if (cfg.auth.mode !== 'oidc') return undefined;
  const current = new URL(location.href);
  if (!current.searchParams.has('code') && !current.searchParams.has('error')) return undefined;
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as { codeVerifier: string; state: string; nonce: string } | null;
  sessionStorage.removeItem(PENDING_KEY);
  history.replaceState(null, '', '/');
  if (!pending) throw new Error('登录回调已失效，请重新登录');
  const as = await authorizationServer(cfg.auth);
  const client: oauth.Client = { client_id: cfg.auth.clientId };
  const params = oauth.validateAuthResponse(as, client, current, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri(), pending.codeVerifier);
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
  return saveSession(result.id_token!);
}
