/**
 * DueFlows: per resource, the flows using it that have a pending completion event of their own, in a
 * min-heap by a lower bound on the time from which they may count as done (`doneFrom`, a little before
 * their event time). A completion gathers the neighbours done at the same instant from these heaps, at
 * a cost that follows the flows due by then, not every flow on the finishing flow's resources.
 *
 * Keys only ever move down when an event moves (earlier event, lower key): an event moved later keeps
 * its old, lower key, which still bounds it (no heap work on the many events a storm pushes back). A
 * flow read as a candidate but not done gets its key brought up to date then (refresh).
 *
 * A flow sits in the heaps of its first two resources (entries 2f and 2f + 1); a flow with more
 * resources is listed, unordered, on its third and later ones (a rare shape, read whole).
 */
import type { FlowTable } from "./flow-table.js";
import { grown } from "./grow.js";
import type { FlowId, ResourceId } from "./types.js";

/**
 * doneFrom leaves room for rounding: twice the done tolerance's window (tolerance / rate) and this share
 * of the event time, far above the few units in the last place by which the event time and the
 * remaining work computed later from the same settle can disagree. A flow due earlier than it counts as
 * done is only a candidate: the completion handler checks its remaining work exactly.
 */
const TIME_SLACK = 1e-12;

/** The earliest time a flow with its event at t, and done tolerance over rate `window`, may count as done. */
export function doneFrom(t: number, window: number): number {
  return t - 2 * window - TIME_SLACK * Math.abs(t);
}

/** A binary min-heap of entries with their keys stored inline (a resource's few dozen stay in cache). */
class DueHeap {
  keys = new Float64Array(8);
  entries = new Int32Array(8);
  size = 0;
  /** dueOn's positions still to visit: each entry found adds at most one net position, so size + 1 cells suffice. */
  stack = new Int32Array(9);
}

export class DueFlows {
  /** Per heap entry (2f, 2f + 1): its position in its resource's heap, -1 when absent. */
  private pos = new Int32Array(32).fill(-1);
  /** Per resource: the heap of its due entries (created on first use). */
  private readonly heaps: (DueHeap | undefined)[] = [];
  /** Per resource: flows with a pending event that use it as their third or later resource. */
  private readonly wide: (FlowId[] | undefined)[] = [];

  constructor(private readonly ft: FlowTable) {}

  /** Flow f's pending event now has doneFrom `key`: added, or its key lowered if below the one it has. */
  set(f: FlowId, key: number): void {
    const ft = this.ft;
    const n = ft.nuses[f]!;
    if (n === 0) return;
    const e = 2 * f;
    if (e + 1 >= this.pos.length) this.pos = grown(this.pos, e + 2, -1);
    const fresh = this.pos[e]! < 0;
    for (let k = 0; k < n; k++) {
      const r = ft.useAt(f, k);
      if (k >= 2) {
        if (fresh) this.wideOf(r).push(f);
        continue;
      }
      const heap = this.heapOf(r);
      if (fresh) this.push(heap, e + k, key);
      else {
        const i = this.pos[e + k]!;
        if (key < heap.keys[i]!) this.up(heap, i, e + k, key);
      }
    }
  }

  /** Flow f (a pending event) was read but is not done: its key is set to its current doneFrom, up or down. */
  refresh(f: FlowId, key: number): void {
    const ft = this.ft;
    const n = Math.min(2, ft.nuses[f]!);
    const e = 2 * f;
    for (let k = 0; k < n; k++) {
      const heap = this.heaps[ft.useAt(f, k)]!;
      const i = this.pos[e + k]!;
      this.up(heap, i, e + k, key);
      this.down(heap, this.pos[e + k]!, e + k, key);
    }
  }

  /** Flow f no longer has a pending event: out of its resources' heaps (a no-op if it was not in them). */
  delete(f: FlowId): void {
    const e = 2 * f;
    if (e >= this.pos.length || this.pos[e]! < 0) return;
    const ft = this.ft;
    const n = ft.nuses[f]!;
    for (let k = 0; k < n; k++) {
      const r = ft.useAt(f, k);
      if (k < 2) {
        this.remove(this.heaps[r]!, e + k);
        continue;
      }
      const list = this.wide[r]!;
      const i = list.indexOf(f);
      list[i] = list[list.length - 1]!;
      list.pop();
    }
  }

  /**
   * Pushes into `out` every flow on resource r whose key is at or before `now` (the candidates to be done
   * now), in no particular order: a walk down from the heap's root that stops at later keys.
   */
  dueOn(r: ResourceId, now: number, out: number[]): void {
    const heap = this.heaps[r];
    if (heap !== undefined && heap.size > 0 && heap.keys[0]! <= now) {
      const { keys, entries } = heap;
      const stack = this.stackFor(heap);
      let top = 0;
      stack[top++] = 0;
      while (top > 0) {
        const i = stack[--top]!;
        if (!(keys[i]! <= now)) continue;
        out.push(entries[i]! >> 1);
        const c = 2 * i + 1;
        if (c < heap.size) stack[top++] = c;
        if (c + 1 < heap.size) stack[top++] = c + 1;
      }
    }
    const list = this.wide[r];
    if (list !== undefined) for (let i = 0; i < list.length; i++) out.push(list[i]!);
  }

  private heapOf(r: ResourceId): DueHeap {
    let heap = this.heaps[r];
    if (heap === undefined) {
      while (this.heaps.length <= r) this.heaps.push(undefined);
      heap = new DueHeap();
      this.heaps[r] = heap;
    }
    return heap;
  }

  private wideOf(r: ResourceId): FlowId[] {
    let list = this.wide[r];
    if (list === undefined) {
      while (this.wide.length <= r) this.wide.push(undefined);
      list = [];
      this.wide[r] = list;
    }
    return list;
  }

  private stackFor(heap: DueHeap): Int32Array {
    if (heap.stack.length <= heap.size) heap.stack = new Int32Array(heap.entries.length + 1);
    return heap.stack;
  }

  private push(heap: DueHeap, e: number, key: number): void {
    if (heap.size === heap.keys.length) {
      heap.keys = grown(heap.keys, heap.size + 1);
      heap.entries = grown(heap.entries, heap.size + 1);
    }
    this.up(heap, heap.size++, e, key);
  }

  private remove(heap: DueHeap, e: number): void {
    const i = this.pos[e]!;
    this.pos[e] = -1;
    const last = --heap.size;
    if (i === last) return;
    const le = heap.entries[last]!;
    const lk = heap.keys[last]!;
    this.up(heap, i, le, lk);
    this.down(heap, this.pos[le]!, le, lk);
  }

  /** Places entry e with `key` at or above position i (ties broken by entry). */
  private up(heap: DueHeap, i: number, e: number, key: number): void {
    const { keys, entries } = heap;
    const pos = this.pos;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const kp = keys[p]!;
      if (kp < key || (kp === key && entries[p]! < e)) break;
      keys[i] = kp;
      entries[i] = entries[p]!;
      pos[entries[i]!] = i;
      i = p;
    }
    keys[i] = key;
    entries[i] = e;
    pos[e] = i;
  }

  private down(heap: DueHeap, i: number, e: number, key: number): void {
    const { keys, entries } = heap;
    const pos = this.pos;
    const n = heap.size;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let kc = keys[c]!;
      if (c + 1 < n) {
        const kr = keys[c + 1]!;
        if (kr < kc || (kr === kc && entries[c + 1]! < entries[c]!)) {
          c++;
          kc = kr;
        }
      }
      if (key < kc || (key === kc && e < entries[c]!)) break;
      keys[i] = kc;
      entries[i] = entries[c]!;
      pos[entries[i]!] = i;
      i = c;
    }
    keys[i] = key;
    entries[i] = e;
    pos[e] = i;
  }
}
