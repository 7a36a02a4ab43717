/**
 * Deployment parameters, read from CDK context (`cdk.json` defaults, `-c key=value` overrides) and validated
 * once, so a typo fails `cdk synth` with a clear message instead of producing a half-right stack.
 */
import type { Node } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** The hotline systems that push tickets (the product's SOURCES); each has its own route and its own HMAC shared secret. */
import { SOURCES as HOTLINE_SOURCES, type Source as HotlineSource } from '../functions/domain/taxonomy.js';
export { HOTLINE_SOURCES, type HotlineSource };

/** EventBridge `source` of every event the service publishes (spec §6). */
export { EVENT_SOURCE } from '../events/envelope.js';

/**
 * Function timeouts live here because the stateful side needs them too: an SQS event source's visibility
 * timeout must be at least 6× the consuming function's timeout (AWS guidance), or a batch still being
 * processed becomes visible again and is handled twice.
 */
export const INGEST_TIMEOUT = Duration.seconds(10);
export const PROCESS_TIMEOUT = Duration.seconds(30);
export const RELAY_TIMEOUT = Duration.seconds(60);
export const PROCESS_QUEUE_VISIBILITY_TIMEOUT = Duration.seconds(PROCESS_TIMEOUT.toSeconds() * 6);

export interface AppConfig {
  /** Short lower-case stage name (`dev`, `prod` ...): part of every physical name. */
  readonly stage: string;
  /** Where alarm notifications go by email; none when unset (subscribe the topic some other way). */
  readonly alarmEmail?: string;
  /** Retention of Lambda and API access logs, and of the event archive, in days. */
  readonly logRetentionDays: RetentionDays;
  /**
   * Callback URL per hotline source for status updates (spec §10), e.g. `{"12345": "https://..."}`. Validated and
   * carried on the stateful stack. Not wired to delivery yet: EventBridge API destinations can only send
   * static credentials, not the per-request HMAC signature spec §10 asks for, so delivery needs a signing function.
   */
  readonly hotlineCallbackUrls: Partial<Record<HotlineSource, string>>;
  /**
   * Target region (context `region`) and optionally account (context `account`, only with a region). Unset:
   * environment-agnostic stacks, which synthesize anywhere without credentials and deploy to the CLI profile's
   * account and region. A region of the AWS China partition (`cn-north-1`, `cn-northwest-1`) has no Cognito user
   * pools, so it needs `jwtIssuer` and `jwtAudience`.
   */
  readonly env?: { account?: string; region: string };
  /**
   * Issuer and audience of the agency API's bearer tokens (context `jwtIssuer`, `jwtAudience` — comma-separated).
   * Unset: the stack creates a Cognito user pool with one group per agency and verifies its ID tokens.
   */
  readonly agencyJwt?: { issuer: string; audience: string[] };
  /** The web console's OIDC client id at the deployer's issuer (context `consoleClientId`; default the first `jwtAudience`). */
  readonly consoleClientId?: string;
  /**
   * Lambda active tracing with Powertools Tracer (context `tracing=true`). Off by default: the Tracer and the X-Ray
   * SDK cost every function about 25 ms of cold start and are then not even in the bundle (lib/bundling.ts).
   */
  readonly tracing: boolean;
}

/** Context `tracing`: `true` or `false` (default). Read where functions are built, so every function agrees. */
export function readTracing(node: Node): boolean {
  const raw = node.tryGetContext('tracing') as unknown;
  if (raw === undefined || raw === null || raw === '' || raw === false || raw === 'false') return false;
  if (raw === true || raw === 'true') return true;
  throw new Error(`Invalid CDK context:\n  - tracing: "${String(raw)}" must be true or false`);
}

const STAGE = /^[a-z][a-z0-9-]{0,11}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function readConfig(node: Node): AppConfig {
  const problems: string[] = [];

  const stage = String(node.tryGetContext('stage') ?? 'dev');
  if (!STAGE.test(stage)) problems.push(`stage: "${stage}" must match ${STAGE} (it becomes part of queue, rule and alarm names)`);

  const rawEmail = node.tryGetContext('alarmEmail') as unknown;
  let alarmEmail: string | undefined;
  if (rawEmail !== undefined && rawEmail !== null && rawEmail !== '') {
    if (typeof rawEmail === 'string' && EMAIL.test(rawEmail)) alarmEmail = rawEmail;
    else problems.push(`alarmEmail: "${String(rawEmail)}" is not an email address`);
  }

  const rawDays = node.tryGetContext('logRetentionDays') as unknown;
  const days = rawDays === undefined ? 365 : Number(rawDays);
  const allowed = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number' && v > 0);
  if (!allowed.includes(days)) problems.push(`logRetentionDays: ${String(rawDays)} is not one of ${allowed.join(', ')}`);

  const hotlineCallbackUrls = parseCallbackUrls(node.tryGetContext('hotlineCallbackUrls'), problems);

  const account = node.tryGetContext('account') as unknown;
  const region = node.tryGetContext('region') as unknown;
  let env: AppConfig['env'];
  if (account !== undefined || region !== undefined) {
    if (account !== undefined && !/^\d{12}$/.test(String(account))) problems.push(`account: "${String(account)}" is not a 12-digit AWS account id`);
    if (typeof region !== 'string') problems.push('region: required when account is set');
    else if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) problems.push(`region: "${region}" is not an AWS region name`);
    if (problems.length === 0) env = { ...(account !== undefined ? { account: String(account) } : {}), region: String(region) };
  }

  const issuer = node.tryGetContext('jwtIssuer') as unknown;
  const audience = node.tryGetContext('jwtAudience') as unknown;
  let agencyJwt: AppConfig['agencyJwt'];
  if (issuer !== undefined || audience !== undefined) {
    if (typeof issuer !== 'string' || !/^https:\/\/\S+$/.test(issuer)) problems.push('jwtIssuer: an https:// issuer URL is required with jwtAudience');
    const aud =
      typeof audience === 'string'
        ? audience
            .split(',')
            .map((a) => a.trim())
            .filter(Boolean)
        : [];
    if (aud.length === 0) problems.push('jwtAudience: one or more audiences (comma-separated) are required with jwtIssuer');
    if (problems.length === 0) agencyJwt = { issuer: issuer as string, audience: aud };
  }

  // Cognito user pools are not offered in the AWS China regions: the agency API must verify the city's own issuer.
  if (typeof region === 'string' && isChinaRegion(region) && !agencyJwt && !problems.some((p) => p.startsWith('jwt')))
    problems.push(
      `jwtIssuer, jwtAudience: Cognito user pools are not offered in ${region} (AWS China); name the OIDC issuer of the agency API's tokens, e.g. -c jwtIssuer=https://sso.example.gov.cn -c jwtAudience=hotline-agency-api`,
    );

  const consoleClientId = node.tryGetContext('consoleClientId') as unknown;
  if (consoleClientId !== undefined && (typeof consoleClientId !== 'string' || !consoleClientId.trim()))
    problems.push("consoleClientId: the web console's client id at the issuer (a non-empty string)");

  let tracing = false;
  try {
    tracing = readTracing(node);
  } catch {
    problems.push(`tracing: "${String(node.tryGetContext('tracing'))}" must be true or false`);
  }
  // Lambda's X-Ray integration is not offered in the China regions (docs.amazonaws.cn, Lambda in China).
  if (tracing && typeof region === 'string' && isChinaRegion(region))
    problems.push(`tracing: Lambda active tracing (X-Ray) is not offered in ${region} (AWS China); leave tracing off there`);

  if (problems.length) throw new Error(`Invalid CDK context:\n  - ${problems.join('\n  - ')}`);
  return {
    stage,
    alarmEmail,
    logRetentionDays: days as RetentionDays,
    hotlineCallbackUrls,
    tracing,
    ...(env ? { env } : {}),
    ...(agencyJwt ? { agencyJwt } : {}),
    ...(typeof consoleClientId === 'string' ? { consoleClientId: consoleClientId.trim() } : {}),
  };
}

function parseCallbackUrls(raw: unknown, problems: string[]): Partial<Record<HotlineSource, string>> {
  if (raw === undefined || raw === null || raw === '') return {};
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      problems.push('hotlineCallbackUrls: not valid JSON (expected {"12345": "https://...", "12309": "https://..."})');
      return {};
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push('hotlineCallbackUrls: expected an object keyed by hotline source');
    return {};
  }
  const out: Partial<Record<HotlineSource, string>> = {};
  for (const [source, url] of Object.entries(value)) {
    if (!(HOTLINE_SOURCES as readonly string[]).includes(source)) {
      problems.push(`hotlineCallbackUrls.${source}: unknown hotline source (expected one of ${HOTLINE_SOURCES.join(', ')})`);
      continue;
    }
    if (typeof url !== 'string' || !/^https:\/\/\S+$/.test(url)) {
      problems.push(`hotlineCallbackUrls.${source}: must be an https:// URL`);
      continue;
    }
    out[source as HotlineSource] = url;
  }
  return out;
}

/** Regions of the AWS China partition (aws-cn), where some services (Cognito user pools) are not offered. */
export const isChinaRegion = (region: string | undefined): boolean => !!region?.startsWith('cn-');
