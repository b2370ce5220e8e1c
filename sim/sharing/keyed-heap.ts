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
    if (this.n === this.items.length) this.items = grown(this.items, this.n + 1);
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
