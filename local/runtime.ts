/**
 * Local mode: the same handlers as in AWS, wired to DynamoDB Local and to in-process stand-ins for SQS and
 * EventBridge that keep SQS's retry/dead-letter rules and the CDK stack's per-agency rules. Used by
 * `npm start`, the integration tests and the pipeline benchmark.
 */
import { createServer, type Server } from 'node:http';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoCaseStore } from '../functions/adapters/aws/dynamo-case-store.js';
import { EnvSecrets } from '../functions/adapters/local/env-secrets.js';
import { devContactCipher } from '../functions/adapters/envelope-contact-cipher.js';
import { InProcessBus } from '../functions/adapters/local/in-process-bus.js';
import { InProcessQueue, type ConsumerOptions, type SqsHandler } from '../functions/adapters/local/in-process-queue.js';
import { classifyAndRoute, deadlinesFor } from '../functions/config/decide.js';
import { clusterRules } from '../functions/config/cluster-rules.js';
import { groupKeysOf } from '../functions/config/group-keys.js';
import { deployedRules } from '../functions/config/deployed.js';
import { directory } from '../functions/config/directory.js';
import { agencyQueueName, caseDispatchedPattern } from '../functions/domain/directory/agency-queues.js';
import { makeIngestHandler } from '../functions/ingest/ingest.js';
import { EnvCallerKeySecret } from '../functions/adapters/local/env-caller-key-secret.js';
import { makeCasesHandler } from '../functions/cases/cases.js';
import { localDeadlineScheduler } from '../functions/deadlines/local.js';
import { startLocalCallbacks, type LocalCallbacks } from '../functions/callbacks/local.js';
import { makeFeedbackHandler } from '../functions/feedback/feedback.js';
import { decodeSegment, findRoute, matchPath } from '../functions/http/match-route.js';
import { ROUTES, type HttpFunctionName } from '../functions/http/routes.js';
import type { StoredScheduler } from '../functions/adapters/local/stored-scheduler.js';
import { DevJwtVerifier, devJwtSecret } from '../functions/auth/dev-jwt.js';
import { makeProcessHandler } from '../functions/process/process.js';
import type { AuditLog, CaseStore, LinkageStore } from '../functions/ports/case-store.js';
import type { DeadlineScheduler } from '../functions/ports/deadline-scheduler.js';
import type { EventBus } from '../functions/ports/event-bus.js';
import { LocalChangeFeed } from '../functions/adapters/local/dynamodb-local-stream.js';
import { makeRelayHandler } from '../functions/relay/relay.js';
import { observability } from '../functions/shared/observability.js';
import { startDynamoDbLocal, localDynamoClient, type DynamoDbLocal } from './dynamodb-local.js';
import { invokeHttp, routeKeyFor, splitRequestTarget, type HttpHandler } from './http-adapter.js';
import { createTables } from './tables.js';
import { openApiJson } from '../api/openapi.js';
import { calendarHorizon } from '../functions/domain/deadlines/calendar-horizon.js';
import { DEV_TOKEN_PATH, devToken, localConsoleConfig, serveSite, WEB_DIST } from './console.js';
import { SERVICE } from '../functions/shared/metric-names.js';

export interface LocalOptions {
  /** HTTP port; 0 picks a free one. */
  port?: number;
  host?: string;
  /** Use a running DynamoDB Local instead of starting one. */
  dynamoEndpoint?: string;
  tablePrefix?: string;
  env?: NodeJS.ProcessEnv;
  processConsumer?: Partial<ConsumerOptions>;
  /** Wraps the bus, e.g. to inject publish failures in tests. */
  wrapBus?: (bus: EventBus) => EventBus;
  /** The relay feed's backoff between retries (tests shorten it). */
  relayRetry?: { baseDelayMs: number; maxDelayMs?: number };
  /** Wraps the case store the handlers use (e.g. the soak's fault injection); `LocalRuntime.store` stays the raw one. */
  wrapStore?: (store: CaseStore & LinkageStore & AuditLog) => CaseStore & LinkageStore & AuditLog;
  /** Wraps the deadline scheduler the handlers use (its poller still fires timers from the table). */
  wrapScheduler?: (scheduler: DeadlineScheduler) => DeadlineScheduler;
  /** Wraps each process function instance (e.g. to kill invocations part way). */
  wrapProcess?: (handler: SqsHandler) => SqsHandler;
  now?: () => Date;
  /** The built web console served at `/` (default `web/dist`); `false` serves none. */
  siteDir?: string | false;
}

export interface LocalRuntime {
  url: string;
  server: Server;
  dynamo: DynamoDBClient;
  dynamoEndpoint: string;
  /** The process id of the DynamoDB Local this runtime started (undefined with `dynamoEndpoint`). */
  dynamoPid: number | undefined;
  store: DynamoCaseStore;
  bus: InProcessBus;
  processQueue: InProcessQueue;
  processDlq: InProcessQueue;
  /** The outbox relay's feed (DynamoDB Local's stream of the case table) and its on-failure destination. */
  relay: LocalChangeFeed;
  relayDlq: InProcessQueue;
  agencyQueues: Map<string, { queue: InProcessQueue; dlq: InProcessQueue }>;
  scheduler: StoredScheduler;
  callbacks: LocalCallbacks;
  tables: { caseTable: string; timerTable: string };
  /** Resolves when every saved change has been relayed and every queued ticket processed or dead-lettered. */
  drained(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * How much the development views keep, so memory stays flat over a long run: `LOCAL_BUS_ARCHIVE_SIZE` (the bus
 * archive, default 10 000 events) and `LOCAL_AGENCY_QUEUE_SIZE` (each agency queue and its DLQ, default 100
 * messages: with 154 agencies, at most about 23 MB of message bodies in all).
 */
export function localViewLimits(env: NodeJS.ProcessEnv): { archiveSize: number; agencyQueueSize: number } {
  const int = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
    return n;
  };
  return { archiveSize: int('LOCAL_BUS_ARCHIVE_SIZE', 10_000), agencyQueueSize: int('LOCAL_AGENCY_QUEUE_SIZE', 100) };
}

/**
 * An HTTP function as Lambda runs it: each instance serves one request at a time, and a request that finds every
 * instance busy gets a new one (a cold start). Nothing one request leaves on an instance (logger keys, metrics) can
 * reach a request running beside it.
 */
function lambdaInstances(make: () => HttpHandler): HttpHandler {
  const idle: HttpHandler[] = [];
  return async (event, context) => {
    const instance = idle.pop() ?? make();
    try {
      return await instance(event, context);
    } finally {
      idle.push(instance);
    }
  };
}

/**
 * The process queue's consumer, as the CDK stack sets it up: batches of 10, a function timeout, and a visibility
 * timeout longer than the function may run, so a message comes back only after a failure or a death, never while
 * a slow invocation is still working on it.
 */
export const DEFAULT_CONSUMER: ConsumerOptions = { batchSize: 10, concurrency: 4, functionTimeoutMs: 5_000, visibilityTimeoutMs: 6_000, maxReceiveCount: 5 };

export async function startLocal(opts: LocalOptions = {}): Promise<LocalRuntime> {
  const ddb: DynamoDbLocal | undefined = opts.dynamoEndpoint ? undefined : await startDynamoDbLocal();
  const dynamoEndpoint = opts.dynamoEndpoint ?? ddb!.endpoint;
  const dynamo = localDynamoClient(dynamoEndpoint);
  const prefix = opts.tablePrefix ?? 'hotline-local';
  const tables = { caseTable: `${prefix}-cases`, timerTable: `${prefix}-timers` };
  await createTables(dynamo, tables);

  const now = opts.now ?? (() => new Date());
  const store = new DynamoCaseStore(dynamo, tables.caseTable);
  const contacts = devContactCipher((opts.env ?? process.env)['DEV_CONTACT_KEY'] || undefined);
  const views = localViewLimits(opts.env ?? process.env);
  const bus = new InProcessBus({ archiveSize: views.archiveSize });
  const agencyQueues = new Map<string, { queue: InProcessQueue; dlq: InProcessQueue }>();
  for (const agency of directory.list()) {
    const name = agencyQueueName(agency.id);
    // Nobody consumes agency queues locally: each keeps its latest messages for /local/agencies/{id}/queue.
    const queue = new InProcessQueue(name, { maxMessages: views.agencyQueueSize });
    const dlq = new InProcessQueue(`${name}-dlq`, { maxMessages: views.agencyQueueSize });
    agencyQueues.set(agency.id, { queue, dlq });
    bus.addRule({ name: `${name}-dispatched`, pattern: caseDispatchedPattern(agency), target: queue, deadLetter: dlq });
  }

  const publishBus = opts.wrapBus ? opts.wrapBus(bus) : bus;
  // What the handlers use: the adapters themselves, or whatever wraps them (the soak injects faults this way).
  const handlerStore = opts.wrapStore ? opts.wrapStore(store) : store;
  const scheduler = localDeadlineScheduler({ store: handlerStore, bus: publishBus, rules: deployedRules, client: dynamo, tableName: tables.timerTable });
  const handlerScheduler = opts.wrapScheduler ? opts.wrapScheduler(scheduler) : scheduler;
  const callbacks = startLocalCallbacks({ bus, store, secrets: new EnvSecrets(opts.env), env: opts.env ?? process.env, now });

  const processQueue = new InProcessQueue('hotline-process');
  const processDlq = new InProcessQueue('hotline-process-dlq');
  const ingest = lambdaInstances(() =>
    makeIngestHandler({
      ...observability(SERVICE.ingest),
      store: handlerStore,
      queue: processQueue,
      contacts,
      callerKeys: new EnvCallerKeySecret(opts.env),
      secrets: new EnvSecrets(opts.env),
      now,
      receipt: deployedRules.policy.receipt,
    }),
  );
  // One handler instance per concurrent invocation, each with its own logger and metrics, as Lambda runs them.
  const makeProcess = () => {
    const handler = makeProcessHandler({
      ...observability(SERVICE.process),
      store: handlerStore,
      classify: classifyAndRoute,
      deadlines: deadlinesFor,
      rules: deployedRules,
      clusterRules,
      groupKeysOf,
      now,
    });
    return opts.wrapProcess ? opts.wrapProcess(handler) : handler;
  };
  processQueue.consumeEach(makeProcess, { ...DEFAULT_CONSUMER, ...opts.processConsumer }, processDlq);
  // The outbox relay, fed by DynamoDB Local's own stream of the case table, as the stream event source feeds it in AWS.
  const relayDlq = new InProcessQueue('hotline-relay-dlq');
  const relay = new LocalChangeFeed({
    client: dynamo,
    tableName: tables.caseTable,
    deadLetter: relayDlq,
    handler: makeRelayHandler({
      ...observability(SERVICE.relay),
      // The relay gets what the handlers get: the soak's faults on the store, the bus and the scheduler reach it too.
      store: handlerStore,
      bus: publishBus,
      queue: processQueue,
      scheduler: handlerScheduler,
      rules: deployedRules,
      now,
    }),
    ...(opts.relayRetry ? { retry: opts.relayRetry } : {}),
  });
  relay.start();
  const cases = lambdaInstances(() =>
    makeCasesHandler({
      ...observability(SERVICE.cases),
      store: handlerStore,
      contacts,
      auth: new DevJwtVerifier({ secret: devJwtSecret(opts.env ?? process.env).secret }),
      rules: deployedRules,
      now,
    }),
  );
  const feedback = lambdaInstances(() =>
    makeFeedbackHandler({
      ...observability(SERVICE.feedback),
      store: handlerStore,
      secrets: new EnvSecrets(opts.env),
      rules: deployedRules,
      now,
    }),
  );
  // The API's routes come from the route table, exactly as API Gateway's do; the handler then matches the same
  // table itself (parameters, 404, 400 for a malformed one). Only the development views below are local.
  const functions: Record<HttpFunctionName, HttpHandler> = { ingest, feedback, cases };
  const serve = (handler: HttpHandler, req: Parameters<typeof invokeHttp>[1], res: Parameters<typeof invokeHttp>[2], routeKey: string) =>
    void invokeHttp(handler, req, res, routeKey).catch((e: unknown) => {
      console.error('local server: request failed', (e as Error).message);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ error: 'internal_error' }));
    });

  let openApi: string | undefined;
  const siteDir = opts.siteDir ?? WEB_DIST;
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    // Nothing a request carries may take the server down: whatever escapes below is a 500 for this request only.
    try {
      const { path } = splitRequestTarget(req.url);
      const method = req.method ?? 'GET';
      const hit = findRoute(ROUTES, method, path);
      if (hit) return serve(functions[hit.route.fn], req, res, routeKeyFor(hit));
      // Development views (not part of the AWS API).
      if (method === 'GET' && path === '/health') {
        // Up is up (200); a working calendar about to end is a warning beside it, not a failure.
        const { lastDay, daysLeft, warning } = calendarHorizon(deployedRules.calendar, now());
        return send(200, { status: 'ok', calendar: { lastDay, daysLeft }, warnings: warning ? [warning] : [] });
      }
      // The contract, as api/openapi.ts builds it from the route table (the same content as the committed openapi.json).
      if (method === 'GET' && path === '/openapi.json') {
        openApi ??= openApiJson();
        return res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(openApi);
      }
      if (method === 'GET' && path === '/local/queues') {
        const depths: Record<string, number> = { 'hotline-process': processQueue.depth, 'hotline-process-dlq': processDlq.depth };
        for (const { queue, dlq } of agencyQueues.values()) {
          if (queue.depth) depths[queue.name] = queue.depth;
          if (dlq.depth) depths[dlq.name] = dlq.depth;
        }
        return send(200, depths);
      }
      const q = method === 'GET' ? matchPath('/local/agencies/{agencyId}/queue', path) : undefined;
      if (q) {
        const agencyId = decodeSegment(q['agencyId']!);
        if (agencyId === undefined)
          return send(400, { error: 'validation_failed', details: [{ index: null, path: 'agencyId', message: 'malformed percent-encoding in the path' }] });
        const entry = agencyQueues.get(agencyId);
        if (!entry) return send(404, { error: 'not_found' });
        return send(200, { messages: entry.queue.peek().map((m) => JSON.parse(m.body) as unknown) });
      }
      // The web console (工作台): its config, the development login's tokens, and the built site's files (else 404).
      if (method === 'GET' && path === '/config.json') return send(200, localConsoleConfig());
      if (method === 'POST' && path === DEV_TOKEN_PATH)
        return void devToken(req, res, devJwtSecret(opts.env ?? process.env).secret, now).catch(
          () => !res.headersSent && send(400, { error: 'validation_failed' }),
        );
      if (method === 'GET' && siteDir !== false && !path.startsWith('/v1/') && !path.startsWith('/local/'))
        return void serveSite(siteDir, path, res).then(
          (served) => served || send(404, { error: 'not_found' }),
          () => !res.headersSent && send(500, { error: 'internal_error' }),
        );
      return send(404, { error: 'not_found' });
    } catch (e) {
      console.error('local server: request failed', (e as Error).message);
      if (!res.headersSent) send(500, { error: 'internal_error' });
    }
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', r));
  const { port } = server.address() as { port: number };

  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    server,
    dynamo,
    dynamoEndpoint,
    dynamoPid: ddb?.pid,
    store,
    bus,
    processQueue,
    processDlq,
    relay,
    relayDlq,
    agencyQueues,
    scheduler,
    callbacks,
    tables,
    drained: async () => {
      // Relayed changes enqueue tickets, processed tickets save changes to relay: settle until both are idle.
      for (let settled = false; !settled; ) {
        await relay.caughtUp();
        const before = relay.delivered;
        await processQueue.drained();
        await relay.caughtUp();
        settled = relay.delivered === before && processQueue.depth === 0;
      }
    },
    stop: async () => {
      await processQueue.stop(); // lets batches in progress finish their writes
      await relay.stop();
      await scheduler.stop();
      callbacks.stop();
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      dynamo.destroy();
      await ddb?.stop();
    },
  };
}
