/**
 * IdRuns: many ascending lists of ids (a resource's flows), each a run of one shared Int32Array pool,
 * so reading a list costs its header and its run, where a JS array per list costs the array, then its
 * elements store. A full run moves to a fresh one twice as long at the pool's end (the old one is
 * abandoned: at most as many entries as the list's current run).
 */
import { grown } from "./grow.js";

/** Per list in `head`: its run's first entry in the pool, its length, and the run's capacity. */
const HEAD = 3;
const START = 0;
const LENGTH = 1;
const CAPACITY = 2;
const FIRST_CAPACITY = 4;

export class IdRuns {
  /** Every list's entries: list l's are pool[start(l)] to pool[start(l) + length(l) - 1], ascending. */
  pool = new Int32Array(256);
  private head = new Int32Array(HEAD * 16);
  private top = 0;
  count = 0;

  /** Adds an empty list; returns its index (lists are numbered 0, 1, ... in the order added). */
  add(): number {
    const l = this.count++;
    if (HEAD * this.count > this.head.length) this.head = grown(this.head, HEAD * this.count);
    return l;
  }

  start(l: number): number {
    return this.head[HEAD * l + START]!;
  }

  length(l: number): number {
    return this.head[HEAD * l + LENGTH]!;
  }

  /** Inserts id into list l, in order. New ids are usually the largest (fresh ids); reused ones go in place. */
  insert(l: number, id: number): void {
    const h = HEAD * l;
    const head = this.head;
    const n = head[h + LENGTH]!;
    if (n === head[h + CAPACITY]!) this.regrow(h);
    const pool = this.pool;
    const at = head[h + START]!;
    let j = at + n;
    for (; j > at && pool[j - 1]! > id; j--) pool[j] = pool[j - 1]!;
    pool[j] = id;
    head[h + LENGTH] = n + 1;
  }

  /**
   * Removes id from list l; false if it is not there. A forward scan, not a binary search: the run is
   * mostly not in cache, and a scan's reads are independent and sequential where each probe of a search
   * waits for the one before; the shift reads the rest of the run anyway.
   */
  remove(l: number, id: number): boolean {
    const h = HEAD * l;
    const head = this.head;
    const pool = this.pool;
    const at = head[h + START]!;
    const end = at + head[h + LENGTH]! - 1;
    let i = at;
    while (i <= end && pool[i]! < id) i++;
    if (i > end || pool[i] !== id) return false;
    for (; i < end; i++) pool[i] = pool[i + 1]!;
    head[h + LENGTH] = end - at;
    return true;
  }

  /** Moves the full run of the list at head[h] to a fresh run twice as long. */
  private regrow(h: number): void {
    const head = this.head;
    const capacity = Math.max(FIRST_CAPACITY, 2 * head[h + CAPACITY]!);
    const need = this.top + capacity;
    if (need > this.pool.length) this.pool = grown(this.pool, need);
    const at = head[h + START]!;
    const n = head[h + LENGTH]!;
    if (n > 0) this.pool.copyWithin(this.top, at, at + n);
    head[h + START] = this.top;
    head[h + CAPACITY] = capacity;
    this.top = need;
  }
}
