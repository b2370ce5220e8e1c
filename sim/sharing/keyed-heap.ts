/**
 * KeyedHeap: a binary min-heap of integer ids ordered by (key, id), whose keys and heap positions live
 * in the caller's typed arrays (a flow's or a resource's slot), so one id can be found, moved or removed
 * in O(log n) without a map. Ties on the key pop in ascending id order, so the order never depends on
 * the history of pushes. Hand-written because npm heaps keep their own records and cannot index by id.
 */
import { grown } from "./grow.js";

/** Where the ids' keys and positions are: read on every call, since the owning tables grow. */
export interface HeapSlots {
  readonly key: Float64Array;
  /** Position of each id in the heap, -1 when absent (every id's cell must start at -1). */
  readonly pos: Int32Array;
}

export class KeyedHeap {
  private items = new Int32Array(16);
  private n = 0;
  /** collectAtMost's positions to visit: each found id adds at most one net entry, so n + 1 cells suffice. */
  private stack = new Int32Array(17);

  constructor(private readonly slots: () => HeapSlots) {}

  get size(): number {
    return this.n;
  }

  /** The id with the least (key, id); the heap must not be empty. */
  top(): number {
    return this.items[0]!;
  }

  /** Inserts id (absent) with key already written to its key cell. */
  push(id: number): void {
    if (this.n === this.items.length) {
      this.items = grown(this.items, this.n + 1);
      this.stack = grown(this.stack, this.items.length + 1);
    }
    const { key, pos } = this.slots();
    this.siftUp(this.n++, id, key, pos);
  }

  /** Re-sorts id after its key cell changed. */
  update(id: number): void {
    const { key, pos } = this.slots();
    const i = pos[id]!;
    this.siftUp(i, id, key, pos);
    this.siftDown(pos[id]!, id, key, pos);
  }

  /** Takes id out; a no-op if it is absent. */
  remove(id: number): void {
    const { key, pos } = this.slots();
    const i = pos[id]!;
    if (i < 0) return;
    pos[id] = -1;
    const last = this.items[--this.n]!;
    if (i === this.n) return;
    this.siftUp(i, last, key, pos);
    this.siftDown(pos[last]!, last, key, pos);
  }

  /**
   * Pushes into `out` every id whose key is at most x, in heap order: a walk down from the root that
   * stops at keys above x, so it costs O(1 + ids found), whatever the heap's size.
   */
  collectAtMost(x: number, out: number[]): void {
    if (this.n === 0) return;
    const { key } = this.slots();
    const items = this.items;
    const stack = this.stack;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const i = stack[--top]!;
      const id = items[i]!;
      if (!(key[id]! <= x)) continue;
      out.push(id);
      const c = 2 * i + 1;
      if (c < this.n) stack[top++] = c;
      if (c + 1 < this.n) stack[top++] = c + 1;
    }
  }

  /** Every id currently in the heap, in heap (not key) order. */
  ids(): Int32Array {
    return this.items.subarray(0, this.n);
  }

  /** Empties the heap, marking every id absent. */
  clear(): void {
    const { pos } = this.slots();
    for (let i = 0; i < this.n; i++) pos[this.items[i]!] = -1;
    this.n = 0;
  }

  private siftUp(i: number, id: number, key: Float64Array, pos: Int32Array): void {
    const items = this.items;
    const k = key[id]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const q = items[p]!;
      const kq = key[q]!;
      if (kq < k || (kq === k && q < id)) break;
      this.place(i, q, pos);
      i = p;
    }
    this.place(i, id, pos);
  }

  private siftDown(i: number, id: number, key: Float64Array, pos: Int32Array): void {
    const items = this.items;
    const n = this.n;
    const k = key[id]!;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let qc = items[c]!;
      let kc = key[qc]!;
      if (c + 1 < n) {
        const r = items[c + 1]!;
        const kr = key[r]!;
        if (kr < kc || (kr === kc && r < qc)) {
          c++;
          qc = r;
          kc = kr;
        }
      }
      if (k < kc || (k === kc && id < qc)) break;
      this.place(i, qc, pos);
      i = c;
    }
    this.place(i, id, pos);
  }

  private place(i: number, id: number, pos: Int32Array): void {
    this.items[i] = id;
    pos[id] = i;
  }
}
