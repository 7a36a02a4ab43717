/**
 * Fault injection for local mode (used by the soak, bench/soak.ts): decorators that sit between the handlers and the
 * local adapters, behind the same ports, and fail a share of calls; a wrapper that kills process-function
 * invocations part way; and a pause of DynamoDB Local's process. The handlers are not changed: they see the ports
 * they see in AWS, failing the way AWS services fail.
 *
 * Faults are spaced evenly at their rate (see `roll`); what happens at each one is drawn from a seeded PRNG.
 *
 * - store and scheduler: a failed call throws ServiceUnavailableError. Half of the failed writes fail *after* the
 *   write took effect (the reply was lost), the other half before (nothing written). Reads fail before.
 * - bus: a failed publish throws PublishError; half of them publish a prefix of the events first (a partial
 *   PutEvents failure).
 * - kill: a killed invocation stops at its k-th port call (or after its last one, before answering the queue) and
 *   never settles, as a function that died; the queue's function timeout fails it, and its messages come back after
 *   the visibility timeout. Calls it had already made stay made.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqsHandler } from '../functions/adapters/local/in-process-queue.js';
import type { AuditLog, AuditRecord, Change, CaseStore, GroupItem, LinkageStore } from '../functions/ports/case-store.js';
import type { CaseTimer, DeadlineScheduler, SetTimerOptions } from '../functions/ports/deadline-scheduler.js';
import { PublishError, ServiceUnavailableError } from '../functions/ports/errors.js';
import type { EventBus } from '../functions/ports/event-bus.js';
import type { DomainEvent } from '../events/schemas.js';
import type { CaseRecord } from '../functions/domain/case/case.js';

/** The share of calls (0–1) that fail at each port, and of process invocations that are killed. */
export interface FaultRates {
  store: number;
  bus: number;
  scheduler: number;
  kill: number;
}

export type FaultPoint = 'store' | 'bus' | 'scheduler';

/** What was injected, by kind. */
export interface InjectedFaults {
  storeFailedBefore: number;
  storeFailedAfterWrite: number;
  busFailed: number;
  busFailedPartly: number;
  schedulerFailedBefore: number;
  schedulerFailedAfterWrite: number;
  /** Process invocations killed at a port call. */
  processKilledMidBatch: number;
  /** Process invocations killed after their work, before answering the queue. */
  processKilledBeforeAnswer: number;
  dynamoPauses: number;
  dynamoPausedMs: number;
}

/** A promise that never settles: what a dead function's next step looks like from outside. */
const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

interface Invocation {
  /** The port call at which the invocation dies (1 = the first). */
  dieAt: number;
  calls: number;
  dead: boolean;
}

export class Faults {
  /** Faults are injected only while enabled (the soak turns them off for the quiescence wait). */
  enabled = false;
  readonly injected: InjectedFaults = {
    storeFailedBefore: 0,
    storeFailedAfterWrite: 0,
    busFailed: 0,
    busFailedPartly: 0,
    schedulerFailedBefore: 0,
    schedulerFailedAfterWrite: 0,
    processKilledMidBatch: 0,
    processKilledBeforeAnswer: 0,
    dynamoPauses: 0,
    dynamoPausedMs: 0,
  };
  private readonly invocation = new AsyncLocalStorage<Invocation>();

  constructor(
    readonly rates: FaultRates,
    readonly random: () => number = Math.random,
  ) {
    this.due = { store: random(), bus: random(), scheduler: random(), kill: random() };
  }

  /** Where each kind of fault stands between two injections (a random phase, so runs differ by seed). */
  private readonly due: Record<FaultPoint | 'kill', number>;

  /**
   * True when this call should fail. Faults are spaced, not drawn: with rate r, every (1/r)-th call fails (from a
   * random phase), so a run of n calls meets ⌊n·r⌋ of them, never none by bad luck; which call sites they hit depends
   * on how the concurrent work interleaves.
   */
  roll(point: FaultPoint | 'kill'): boolean {
    if (!this.enabled || this.rates[point] <= 0) return false;
    this.due[point] += this.rates[point];
    if (this.due[point] < 1) return false;
    this.due[point] -= 1;
    return true;
  }

  /** Resolves at once, or never when the invocation this call belongs to has been killed (here or before). */
  checkpoint(): Promise<void> {
    const inv = this.invocation.getStore();
    if (!inv) return Promise.resolve();
    if (!inv.dead && ++inv.calls < inv.dieAt) return Promise.resolve();
    if (!inv.dead) {
      inv.dead = true;
      this.injected.processKilledMidBatch += 1;
    }
    return never();
  }

  /** A store or scheduler call: may die here, fail before, or (a write) take effect and then fail. */
  async call<T>(point: 'store' | 'scheduler', write: boolean, fn: () => Promise<T>): Promise<T> {
    await this.checkpoint();
    if (!this.roll(point)) return fn();
    if (write && this.random() < 0.5) {
      await fn();
      this.injected[point === 'store' ? 'storeFailedAfterWrite' : 'schedulerFailedAfterWrite'] += 1;
      throw new ServiceUnavailableError(`injected ${point} fault: the write took effect, its reply was lost`);
    }
    this.injected[point === 'store' ? 'storeFailedBefore' : 'schedulerFailedBefore'] += 1;
    throw new ServiceUnavailableError(`injected ${point} fault`);
  }

  /** Wraps a process function instance: a share of its invocations die part way (see the file header). */
  wrapProcess = (handler: SqsHandler): SqsHandler => {
    return async (event, context) => {
      if (!this.roll('kill')) return handler(event, context);
      const inv: Invocation = { dieAt: 1 + Math.floor(this.random() * 6), calls: 0, dead: false };
      const answer = await this.invocation.run(inv, () => handler(event, context));
      // Not killed at a port call (it made fewer): it dies after its work, before the queue hears the answer.
      void answer;
      this.injected.processKilledBeforeAnswer += 1;
      return never();
    };
  };

  wrapStore = (store: CaseStore & LinkageStore & AuditLog): CaseStore & LinkageStore & AuditLog => new FaultyStore(store, this);
  wrapBus = (bus: EventBus): EventBus => new FaultyBus(bus, this);
  wrapScheduler = (scheduler: DeadlineScheduler): DeadlineScheduler => new FaultyScheduler(scheduler, this);

  /** Stops DynamoDB Local's process (SIGSTOP) for `ms`, then lets it go on (SIGCONT); every call to it hangs meanwhile. */
  async pauseDynamo(pid: number, ms: number): Promise<void> {
    process.kill(pid, 'SIGSTOP');
    const resume = () => {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // already gone
      }
    };
    process.once('exit', resume); // never leave it stopped
    this.injected.dynamoPauses += 1;
    try {
      await new Promise((r) => setTimeout(r, ms));
    } finally {
      resume();
      process.off('exit', resume);
      this.injected.dynamoPausedMs += ms;
    }
  }
}

class FaultyStore implements CaseStore, LinkageStore, AuditLog {
  constructor(
    private readonly inner: CaseStore & LinkageStore & AuditLog,
    private readonly faults: Faults,
  ) {}
  createAll(cases: CaseRecord[]) {
    return this.faults.call('store', true, () => this.inner.createAll(cases));
  }
  get(caseId: string) {
    return this.faults.call('store', false, () => this.inner.get(caseId));
  }
  save(next: CaseRecord, expectedVersion: number) {
    return this.faults.call('store', true, () => this.inner.save(next, expectedVersion));
  }
  listByAgency(...args: Parameters<CaseStore['listByAgency']>) {
    return this.faults.call('store', false, () => this.inner.listByAgency(...args));
  }
  commit(change: Change) {
    return this.faults.call('store', true, () => this.inner.commit(change));
  }
  getMany(caseIds: string[]) {
    return this.faults.call('store', false, () => this.inner.getMany(caseIds));
  }
  getGroups<T extends GroupItem>(groupIds: readonly string[]) {
    return this.faults.call('store', false, () => this.inner.getGroups<T>(groupIds));
  }
  getCluster(clusterId: string) {
    return this.faults.call('store', false, () => this.inner.getCluster(clusterId));
  }
  listClusters(...args: Parameters<LinkageStore['listClusters']>) {
    return this.faults.call('store', false, () => this.inner.listClusters(...args));
  }
  reportRows(month: string, regionCode: string) {
    return this.faults.call('store', false, () => this.inner.reportRows(month, regionCode));
  }
  record(r: AuditRecord) {
    return this.faults.call('store', true, () => this.inner.record(r));
  }
  auditOfDay(...args: Parameters<AuditLog['auditOfDay']>) {
    return this.faults.call('store', false, () => this.inner.auditOfDay(...args));
  }
}

class FaultyBus implements EventBus {
  constructor(
    private readonly inner: EventBus,
    private readonly faults: Faults,
  ) {}
  async publish(events: DomainEvent[]): Promise<void> {
    await this.faults.checkpoint();
    if (!this.faults.roll('bus')) return this.inner.publish(events);
    let failed = events;
    if (events.length > 1 && this.faults.random() < 0.5) {
      const k = 1 + Math.floor(this.faults.random() * (events.length - 1));
      await this.inner.publish(events.slice(0, k));
      failed = events.slice(k);
      this.faults.injected.busFailedPartly += 1;
    } else this.faults.injected.busFailed += 1;
    throw new PublishError(failed.map((e) => ({ type: e.type, eventId: e.detail.eventId, code: 'InjectedFault' })));
  }
}

class FaultyScheduler implements DeadlineScheduler {
  constructor(
    private readonly inner: DeadlineScheduler,
    private readonly faults: Faults,
  ) {}
  set(timer: CaseTimer, opts?: SetTimerOptions) {
    return this.faults.call('scheduler', true, () => this.inner.set(timer, opts));
  }
  clear(caseId: string) {
    return this.faults.call('scheduler', true, () => this.inner.clear(caseId));
  }
}
