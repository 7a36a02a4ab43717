/**
 * The last `capacity` items pushed, oldest first: a fixed-size ring, so a development view of a long local run
 * (the bus archive, an agency queue, the scheduler's recent firings) holds a bounded amount of memory.
 */
export class Ring<T> {
  private readonly items: (T | undefined)[] = [];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`ring capacity must be a non-negative integer, got ${capacity}`);
  }

  /** Adds an item, dropping the oldest when full; returns the dropped one. */
  push(item: T): T | undefined {
    if (this.capacity === 0) return item;
    if (this.count < this.capacity) {
      this.items[(this.start + this.count++) % this.capacity] = item;
      return undefined;
    }
    const dropped = this.items[this.start];
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
    return dropped;
  }

  get size(): number {
    return this.count;
  }

  /** A copy, oldest first. */
  toArray(): T[] {
    const out = new Array<T>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.items[(this.start + i) % this.capacity] as T;
    return out;
  }

  clear(): void {
    this.items.length = 0;
    this.start = 0;
    this.count = 0;
  }
}
