/**
 * KeyedHeap: a binary min-heap of integer ids ordered by (key, id), whose keys and heap positions live
 * in the caller's typed arrays (a flow's or a resource's slot), so one id can be found, moved or removed
 * in O(log n) without a map; the heap keeps a copy of each key, taken at push and update. Ties on the key pop in ascending id order, so the order never depends on
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
  /**
   * keys[i]: the key of items[i], copied in when the id is pushed or updated, so that sifts compare
   * keys in this dense array rather than in the owner's table, one scattered (mostly uncached) cell per id.
   */
  private keys = new Float64Array(16);
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
    if (this.n === this.items.length) {
      this.items = grown(this.items, this.n + 1);
      this.keys = grown(this.keys, this.n + 1);
    }
    const { key, pos } = this.slots();
    this.keys[this.n] = key[id]!;
    this.siftUp(this.n++, id, pos);
  }

  /** Re-sorts id after its key cell changed. */
  update(id: number): void {
    const { key, pos } = this.slots();
    const i = pos[id]!;
    this.keys[i] = key[id]!;
    this.siftUp(i, id, pos);
    this.siftDown(pos[id]!, id, pos);
  }

  /** Takes id out; a no-op if it is absent. */
  remove(id: number): void {
    const { pos } = this.slots();
    const i = pos[id]!;
    if (i < 0) return;
    pos[id] = -1;
    const last = this.items[--this.n]!;
    if (i === this.n) return;
    this.keys[i] = this.keys[this.n]!;
    this.siftUp(i, last, pos);
    this.siftDown(pos[last]!, last, pos);
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

  // The sifts move the hole at i, whose key is already in keys[i], and place id there at the end.

  private siftUp(i: number, id: number, pos: Int32Array): void {
    const items = this.items;
    const keys = this.keys;
    const k = keys[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const q = items[p]!;
      const kq = keys[p]!;
      if (kq < k || (kq === k && q < id)) break;
      this.place(i, q, kq, pos);
      i = p;
    }
    this.place(i, id, k, pos);
  }

  private siftDown(i: number, id: number, pos: Int32Array): void {
    const items = this.items;
    const keys = this.keys;
    const n = this.n;
    const k = keys[i]!;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let qc = items[c]!;
      let kc = keys[c]!;
      if (c + 1 < n) {
        const r = items[c + 1]!;
        const kr = keys[c + 1]!;
        if (kr < kc || (kr === kc && r < qc)) {
          c++;
          qc = r;
          kc = kr;
        }
      }
      if (k < kc || (k === kc && id < qc)) break;
      this.place(i, qc, kc, pos);
      i = c;
    }
    this.place(i, id, k, pos);
  }

  private place(i: number, id: number, k: number, pos: Int32Array): void {
    this.items[i] = id;
    this.keys[i] = k;
    pos[id] = i;
  }
}
