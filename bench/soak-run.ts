/**
 * The soak (`npm run soak`, bench/soak.ts; a small one runs in test/local/soak.it.test.ts): local mode in process —
 * the runtime `npm start` uses, with its own DynamoDB Local — under at-least-once clients and injected faults, then
 * an audit of what is stored and what was published.
 *
 * Clients. Both hotlines send signed batches (1–`maxBatch` tickets). A client resends the same body after a timeout,
 * a 503 or any other 5xx (with backoff), until it gets a 202. Some batches go out as two concurrent copies, some get
 * a second copy while the first is in flight. Agencies sign for (签收 accept) a share of the dispatched cases and
 * reply (办结) to half of those, through the cases API, retrying on 503 and timeouts; a 409 whose status shows the
 * action already applied (an earlier attempt's answer was lost) counts as done.
 *
 * Faults (local/faults.ts), while the clients run and until the process queue has caught up with them: the store, the bus and the scheduler fail a share of calls
 * (writes half before, half after taking effect), process invocations are killed part way (their messages come back
 * after the visibility timeout), and DynamoDB Local is paused (SIGSTOP/SIGCONT) for seconds.
 *
 * Then faults stop, and the soak waits (bounded) for quiescence: the process queue drained and nothing in flight,
 * twice in a row. The audit reads the store (a Scan of the case items of this run) and what a subscriber on the
 * local bus saw (every event id, not the bounded archive).
 */
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DEV_SECRETS } from '../functions/adapters/local/env-secrets.js';
import { devJwtSecret, signDevToken } from '../functions/auth/dev-jwt.js';
import { deployedRules } from '../functions/config/deployed.js';
import { caseIdFor } from '../functions/domain/case/case-id.js';
import type { Source } from '../functions/domain/taxonomy.js';
import { backoffMs } from '../functions/shared/retry.js';
import { Faults, type FaultRates, type InjectedFaults } from '../local/faults.js';
import { seededRandom } from '../functions/domain/seeded-random.js';
import { SAMPLE_CONTENTS_12345 as CONTENTS_12345 } from './sample-tickets.js';
import { postTickets } from '../local/hotline-client.js';
import { startLocal } from '../local/runtime.js';
import { audit, type Audit, type AuditInput } from './soak-audit.js';

export interface SoakOptions {
  tickets: number;
  /** Client batches in flight at once (default 16). */
  concurrency?: number;
  /** Most tickets per request (default 20). */
  maxBatch?: number;
  faults?: Partial<FaultRates>;
  /** DynamoDB Local pauses while the clients run: how many at most, and how long each (ms, random in the range). */
  pauses?: { count: number; minMs: number; maxMs: number };
  /** A client gives up waiting for an answer after this long and resends (default 3 000 ms). */
  clientTimeoutMs?: number;
  /** Share of batches sent as two concurrent copies (default 0.05). */
  concurrentCopies?: number;
  /** Share of batches that get a second copy while the first is in flight (default 0.05). */
  resendInFlight?: number;
  /** Share of dispatched cases an agency signs for; half of those it also replies to (default 0.2). */
  actions?: number;
  /** Longest wait for the process queue to catch up under faults once the clients are done, and again for quiescence (default 180 000 ms each). */
  quiescenceTimeoutMs?: number;
  seed?: number;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

/** The soak's line: the audit (bench/soak-audit.ts says what each count means), then what the clients and faults did. */
export interface SoakResult extends Audit {
  /** 5xx answers other than a retryable 503. */
  http5xx: number;
  /** The 5xx answers counted in http5xx, by status and error (`503 event_not_published` is a saved change whose event is not out). */
  http5xxByError: Record<string, number>;
  /** Retryable 503 answers (`retryable: true`), which the clients resend. */
  http503: number;
  /** 4xx answers (none is expected: every request is valid). */
  http4xx: number;
  tickets: number;
  requests: number;
  clientTimeouts: number;
  concurrentCopies: number;
  resentInFlight: number;
  /** Tickets whose batch never got a 202 (the client gave up). */
  unanswered: number;
  actionsDone: number;
  actionsRejected: number;
  actionsGaveUp: number;
  deadLettered: number;
  quiescent: boolean;
  faults: InjectedFaults;
  seconds: number;
}

const CONTENTS_12309: { matterType: string; content: string }[] = [
  { matterType: 'report', content: '我们小区3号楼的电梯坏了两个多月，物业一直拖着不修，楼里好几位八十多岁的老人下不了楼。' },
  { matterType: 'appeal', content: '对法院的民事判决不服，申请检察院监督。' },
  { matterType: 'accusation', content: '控告某派出所民警办案中违规收取费用。' },
  { matterType: 'pil_clue', content: '镇上的采石场无证开采多年，山体破坏严重，扬尘污染农田，相关部门一直没有处理。' },
  { matterType: 'consultation', content: '咨询一下申请国家赔偿需要准备哪些材料。' },
];
const REGIONS = ['150302', '150303', '150304'];
const ADDRESSES = ['乌达区工业园区', '海勃湾区人民路18号', '海南区滨河小区', '海勃湾区新华街', '乌达区三道坎'];

interface Batch {
  source: Source;
  caseIds: string[];
  body: string;
}

interface Counters {
  requests: number;
  http503: number;
  http5xx: number;
  http4xx: number;
  clientTimeouts: number;
  concurrentCopies: number;
  resentInFlight: number;
  unanswered: number;
  actionsDone: number;
  actionsRejected: number;
  actionsGaveUp: number;
}

/**
 * The default fault rates. A process message fails a receive when its batch meets any fault (about three store calls,
 * one publish, its own timer, a kill): about 11 % here, so with five receives before the DLQ about 1.6e-5 of the
 * messages would be dead-lettered by chance alone (0.11^5).
 */
export const DEFAULT_FAULT_RATES: FaultRates = { store: 0.01, bus: 0.05, scheduler: 0.02, kill: 0.01 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CLIENT_RETRY = { maxAttempts: 40, baseDelayMs: 100, maxDelayMs: 2_000 };

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const started = performance.now();
  const log = opts.log ?? (() => undefined);
  const random = seededRandom(opts.seed ?? 12345);
  const rates: FaultRates = { ...DEFAULT_FAULT_RATES, ...opts.faults };
  const faults = new Faults(rates, random);
  const concurrency = opts.concurrency ?? 16;
  const maxBatch = opts.maxBatch ?? 20;
  const clientTimeoutMs = opts.clientTimeoutMs ?? 3_000;
  const pauses = opts.pauses ?? { count: Math.max(1, Math.ceil(opts.tickets / 2_500)), minMs: 2_000, maxMs: 6_000 };
  const env: NodeJS.ProcessEnv = {};

  const rt = await startLocal({
    tablePrefix: 'soak',
    env,
    wrapStore: faults.wrapStore,
    wrapBus: faults.wrapBus,
    wrapScheduler: faults.wrapScheduler,
    wrapProcess: faults.wrapProcess,
  });
  try {
    // ---- what was published: every event id, counted (the archive is bounded, this is not) ----
    const published = new Map<string, number>();
    const ours = new Set<string>();
    const actionQueue: { caseId: string; agencyId: string; reply: boolean }[] = [];
    const chosen = new Set<string>();
    rt.bus.subscribe((e) => {
      const id = e.detail['eventId'] as string;
      published.set(id, (published.get(id) ?? 0) + 1);
      const caseId = e.detail['caseId'] as string;
      if (e['detail-type'] === 'Case.Dispatched' && e.detail['status'] === 'dispatched' && ours.has(caseId) && !chosen.has(caseId)) {
        chosen.add(caseId);
        if (random() < (opts.actions ?? 0.2)) actionQueue.push({ caseId, agencyId: e.detail['agencyId'] as string, reply: random() < 0.5 });
      }
    });

    // ---- the tickets, in batches of one source each ----
    const runId = Date.now().toString(36);
    const now = () => new Date().toISOString().replace('Z', '+00:00');
    const makeTicket = (source: Source, i: number): { id: string; ticket: Record<string, unknown> } => {
      const regionCode = REGIONS[i % REGIONS.length]!;
      if (source === '12345') {
        const id = `SOAK-${runId}-${i}`;
        const t: Record<string, unknown> = {
          ticketId: id,
          receivedAt: now(),
          channel: 'phone',
          content: CONTENTS_12345[i % CONTENTS_12345.length]!,
          regionCode,
          // One caller per ticket: one phone for all would make every ticket a repeat request (merged, 重复诉求合并).
          caller: { name: '测试', phone: `138${String(i).padStart(8, '0')}` },
        };
        if (i % 10 === 0) t['address'] = ADDRESSES[(i / 10) % ADDRESSES.length]!;
        return { id, ticket: t };
      }
      const id = `SOAKJ-${runId}-${i}`;
      const m = CONTENTS_12309[i % CONTENTS_12309.length]!;
      return {
        id,
        ticket: {
          caseNo: id,
          receivedAt: now(),
          channel: 'web',
          ...m,
          procuratorateCode: '150300',
          regionCode,
          petitioner: { name: '测试', phone: `139${String(i).padStart(8, '0')}` },
        },
      };
    };
    const batches: { source: Source; from: number; to: number }[] = [];
    for (let i = 0; i < opts.tickets; ) {
      const r = random();
      const size = Math.min(opts.tickets - i, r < 0.4 ? 1 : r < 0.8 ? 2 + Math.floor(random() * 9) : 11 + Math.floor(random() * Math.max(1, maxBatch - 10)));
      batches.push({ source: random() < 0.7 ? '12345' : '12309', from: i, to: i + Math.max(1, Math.min(size, maxBatch)) });
      i = batches.at(-1)!.to;
    }
    const answers = new Map<string, { accepted: number; duplicate: number }>();
    const counters: Counters = {
      requests: 0,
      http503: 0,
      http5xx: 0,
      http4xx: 0,
      clientTimeouts: 0,
      concurrentCopies: 0,
      resentInFlight: 0,
      unanswered: 0,
      actionsDone: 0,
      actionsRejected: 0,
      actionsGaveUp: 0,
    };

    /** One copy of a request: the answer's status, or 0 for a timeout or a network error. */
    const postOnce = async (b: Batch): Promise<number> => {
      counters.requests += 1;
      try {
        const res = await postTickets(rt.url, b.source, DEV_SECRETS[b.source], b.body, { signal: AbortSignal.timeout(clientTimeoutMs) });
        if (res.status === 202) {
          for (const r of (res.body as { results: { caseId: string; status: 'accepted' | 'duplicate' }[] }).results) {
            const a = answers.get(r.caseId) ?? { accepted: 0, duplicate: 0 };
            a[r.status] += 1;
            answers.set(r.caseId, a);
          }
        } else countError(res.status, res.body);
        return res.status;
      } catch {
        counters.clientTimeouts += 1;
        return 0;
      }
    };
    const http5xxByError: Record<string, number> = {};
    const countError = (status: number, body: unknown) => {
      if (status === 503 && (body as { retryable?: unknown })?.retryable === true) counters.http503 += 1;
      else if (status >= 500) {
        counters.http5xx += 1;
        const key = `${status} ${(body as { error?: unknown })?.error ?? ''}`.trim();
        http5xxByError[key] = (http5xxByError[key] ?? 0) + 1;
      } else if (status >= 400) {
        counters.http4xx += 1;
        if (counters.http4xx <= 5) log(`soak: unexpected ${status} ${JSON.stringify(body).slice(0, 300)}`);
      }
    };

    /** At-least-once delivery of one batch: resend until a 202 (a 4xx is final). */
    const deliver = async (b: Batch): Promise<void> => {
      for (let attempt = 0; attempt < CLIENT_RETRY.maxAttempts; attempt++) {
        if (attempt > 0) await sleep(backoffMs(CLIENT_RETRY, Math.min(attempt, 6)));
        const r = random();
        let statuses: number[];
        if (r < (opts.concurrentCopies ?? 0.05)) {
          counters.concurrentCopies += 1;
          statuses = await Promise.all([postOnce(b), postOnce(b)]);
        } else if (r < (opts.concurrentCopies ?? 0.05) + (opts.resendInFlight ?? 0.05)) {
          counters.resentInFlight += 1;
          const first = postOnce(b);
          await sleep(5 + Math.floor(random() * 100));
          statuses = await Promise.all([first, postOnce(b)]);
        } else statuses = [await postOnce(b)];
        if (statuses.includes(202)) return;
        if (statuses.some((s) => s >= 400 && s < 500)) return;
      }
      counters.unanswered += b.caseIds.length;
    };

    // ---- agency actions: 签收 (accept), then 办结 (reply) for half ----
    const tokens = new Map<string, Promise<string>>();
    const tokenFor = (agencyId: string) => {
      let t = tokens.get(agencyId);
      if (!t) {
        t = signDevToken({ role: 'agent', agencyId, secret: devJwtSecret(env).secret, ttlSeconds: 3_600 });
        tokens.set(agencyId, t);
      }
      return t;
    };
    /** One action until it is applied: 'done', 'rejected' (a 4xx, or a 409 from another state) or 'gaveUp'. */
    const act = async (
      caseId: string,
      agencyId: string,
      action: 'accept' | 'reply',
      target: string,
      body: unknown,
    ): Promise<'done' | 'rejected' | 'gaveUp'> => {
      const token = await tokenFor(agencyId);
      for (let attempt = 0; attempt < CLIENT_RETRY.maxAttempts; attempt++) {
        if (attempt > 0) await sleep(backoffMs(CLIENT_RETRY, Math.min(attempt, 6)));
        counters.requests += 1;
        let status: number;
        let answer: unknown;
        try {
          const res = await fetch(`${rt.url}/v1/cases/${encodeURIComponent(caseId)}/${action}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(clientTimeoutMs),
          });
          status = res.status;
          const text = await res.text();
          answer = text ? JSON.parse(text) : undefined;
        } catch {
          counters.clientTimeouts += 1;
          continue;
        }
        if (status === 200) return 'done';
        // An earlier attempt was applied but its answer was lost (a timeout, a 503 after the save).
        if (status === 409) return (answer as { status?: string })?.status === target ? 'done' : 'rejected';
        countError(status, answer);
        if (status < 500) return 'rejected';
      }
      return 'gaveUp';
    };
    const actions = new Set<Promise<void>>();
    const runAction = async (a: { caseId: string; agencyId: string; reply: boolean }) => {
      let r = await act(a.caseId, a.agencyId, 'accept', 'accepted', {});
      if (r === 'done' && a.reply) r = await act(a.caseId, a.agencyId, 'reply', 'replied', { result: '已处理，已答复来电人。' });
      if (r === 'done') counters.actionsDone += 1;
      else if (r === 'rejected') counters.actionsRejected += 1;
      else counters.actionsGaveUp += 1;
    };
    let actorsStop = false;
    const actors = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (!actorsStop || actionQueue.length) {
          const a = actionQueue.shift();
          if (!a) {
            await sleep(50);
            continue;
          }
          const p = runAction(a);
          actions.add(p);
          await p;
          actions.delete(p);
        }
      }),
    );

    // ---- the load, with faults: until the clients are done and the process queue has caught up ----
    faults.enabled = true;
    const pauser = (async () => {
      if (rt.dynamoPid === undefined) return;
      for (let k = 0; k < pauses.count && faults.enabled; k++) {
        await sleep(1_000 + Math.floor(random() * 4_000));
        if (!faults.enabled) break;
        const ms = pauses.minMs + Math.floor(random() * (pauses.maxMs - pauses.minMs + 1));
        log(`soak: pausing DynamoDB Local for ${ms} ms`);
        await faults.pauseDynamo(rt.dynamoPid, ms);
      }
    })();
    const progress = setInterval(() => {
      log(
        `soak: ${answers.size}/${opts.tickets} tickets answered, ${counters.requests} requests, queue ${rt.processQueue.depth}, dlq ${rt.processDlq.depth}, actions ${counters.actionsDone}, ${Math.round((performance.now() - started) / 1000)} s`,
      );
    }, 10_000);
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < batches.length) {
          const { source, from, to } = batches[next++]!;
          const made = Array.from({ length: to - from }, (_, k) => makeTicket(source, from + k));
          const caseIds = made.map((m) => caseIdFor(source, m.id));
          for (const id of caseIds) ours.add(id);
          const tickets = made.map((m) => m.ticket);
          await deliver({ source, caseIds, body: JSON.stringify(tickets.length === 1 ? tickets[0] : { tickets }) });
        }
      }),
    );
    log('soak: clients done; faults go on until the process queue has caught up');
    const quiescenceTimeoutMs = opts.quiescenceTimeoutMs ?? 180_000;
    await Promise.race([rt.drained(), sleep(quiescenceTimeoutMs)]);
    faults.enabled = false;
    await pauser;
    log('soak: faults off; waiting for quiescence');

    // ---- quiescence: the process queue drained, no action in flight, twice in a row, one second apart ----
    const deadline = Date.now() + quiescenceTimeoutMs;
    let quiet = 0;
    while (quiet < 2 && Date.now() < deadline) {
      await Promise.race([rt.drained(), sleep(Math.max(0, deadline - Date.now()))]);
      await sleep(1_000);
      const idle = rt.processQueue.depth === 0 && actionQueue.length === 0 && actions.size === 0;
      quiet = idle ? quiet + 1 : 0;
    }
    actorsStop = true;
    await Promise.race([actors, sleep(Math.max(1_000, deadline - Date.now()))]);
    clearInterval(progress);
    const quiescent = quiet >= 2;

    // ---- audit ----
    const scanned: AuditInput['stored'] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await rt.dynamo.send(
        new ScanCommand({
          TableName: rt.tables.caseTable,
          FilterExpression: 'sk = :case AND begins_with(sourceTicketId, :run)',
          ProjectionExpression: 'caseId, #k, #s, sourceTicketId',
          ExpressionAttributeNames: { '#k': 'kind', '#s': 'source' },
          ExpressionAttributeValues: { ':case': { S: 'CASE' }, ':run': { S: 'SOAK' } },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const i of page.Items ?? []) {
        const sourceTicketId = i['sourceTicketId']!.S!;
        if (!sourceTicketId.includes(`-${runId}-`)) continue;
        const kind = i['kind']!.S!;
        if (kind !== 'ticket' && kind !== 'transfer') continue;
        scanned.push({ caseId: i['caseId']!.S!, source: i['source']!.S!, sourceTicketId });
      }
      start = page.LastEvaluatedKey;
    } while (start);

    const timers = new Map((await rt.scheduler.list(Number.MAX_SAFE_INTEGER)).map((t) => [t.caseId, Date.parse(t.at)]));
    const found = await audit(rt.store, { stored: scanned, answers, published, timers, timerRules: deployedRules, now: Date.now() });
    const result: SoakResult = {
      accepted: found.accepted,
      stored: found.stored,
      duplicates: found.duplicates,
      lost: found.lost,
      stuck: found.stuck,
      eventsMissing: found.eventsMissing,
      eventsDuplicated: found.eventsDuplicated,
      http5xx: counters.http5xx,
      http5xxByError,
      http503: counters.http503,
      http4xx: counters.http4xx,
      tickets: opts.tickets,
      requests: counters.requests,
      clientTimeouts: counters.clientTimeouts,
      concurrentCopies: counters.concurrentCopies,
      resentInFlight: counters.resentInFlight,
      acceptedTwice: found.acceptedTwice,
      unanswered: counters.unanswered,
      actionsDone: counters.actionsDone,
      actionsRejected: counters.actionsRejected,
      actionsGaveUp: counters.actionsGaveUp,
      missingByType: found.missingByType,
      timersMissing: found.timersMissing,
      deadLettered: rt.processDlq.depth,
      eventsPublished: found.eventsPublished,
      quiescent,
      faults: faults.injected,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    return result;
  } finally {
    faults.enabled = false;
    await rt.stop();
  }
}
