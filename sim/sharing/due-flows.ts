/**
 * DueFlows: per resource, the flows using it that have a pending completion event of their own, ordered
 * by the time from which they may count as done (`doneFrom`, a little before their event time). A
 * completion gathers the neighbours done at the same instant from these heaps, at a cost proportional
 * to the flows due by then, not to every flow on the finishing flow's resources.
 *
 * A flow sits in the heaps of its first two resources (entries 2f and 2f + 1, sharing one key); a flow
 * with more resources is listed, unordered, on its third and later ones (a rare shape, scanned whole).
 */
import type { FlowTable } from "./flow-table.js";
import { grown } from "./grow.js";
import { KeyedHeap, type HeapSlots } from "./keyed-heap.js";
import type { FlowId, ResourceId } from "./types.js";

/**
 * doneFrom leaves room for rounding: twice the done tolerance's window (tolerance / rate) and this share
 * of the event time, far above the few units in the last place by which the event time and the
 * remaining work computed later from the same settle can disagree. A flow due earlier than it counts as
 * done is only a candidate: the completion handler checks its remaining work exactly.
 */
const TIME_SLACK = 1e-12;

export class DueFlows {
  /**
   * Per heap entry (2f, 2f + 1): the flow's doneFrom (key) and its position in its resource's heap, -1
   * when absent (pos). One record, replaced when the columns grow, so the heaps read it without allocating.
   */
  private cols: HeapSlots = { key: new Float64Array(32), pos: new Int32Array(32).fill(-1) };
  private readonly slots = (): HeapSlots => this.cols;
  /** Per resource: the heap of its due entries (created on first use). */
  private readonly heaps: (KeyedHeap | undefined)[] = [];
  /** Per resource: flows with a pending event that use it as their third or later resource. */
  private readonly wide: (FlowId[] | undefined)[] = [];

  constructor(private readonly ft: FlowTable) {}

  /**
   * Flow f's event is now at time t (finite), its rate and remaining work as of its last settle; `window`
   * is the done tolerance over the rate (Infinity at rate 0). Adds or moves f in its resources' order.
   */
  set(f: FlowId, t: number, window: number): void {
    const ft = this.ft;
    const n = ft.nuses[f]!;
    if (n === 0) return;
    const e = 2 * f;
    if (e + 1 >= this.cols.key.length) this.cols = { key: grown(this.cols.key, e + 2), pos: grown(this.cols.pos, e + 2, -1) };
    const { key, pos } = this.cols;
    const doneFrom = t - 2 * window - TIME_SLACK * Math.abs(t);
    const fresh = pos[e]! < 0;
    if (!fresh && key[e] === doneFrom) return;
    key[e] = doneFrom;
    key[e + 1] = doneFrom;
    for (let k = 0; k < n; k++) {
      const r = ft.useAt(f, k);
      if (k >= 2) {
        if (fresh) this.wideOf(r).push(f);
        continue;
      }
      const heap = this.heapOf(r);
      if (fresh) heap.push(e + k);
      else heap.update(e + k);
    }
  }

  /** Flow f no longer has a pending event: out of its resources' order (a no-op if it was not in it). */
  delete(f: FlowId): void {
    const e = 2 * f;
    if (e >= this.cols.pos.length || this.cols.pos[e]! < 0) return;
    const ft = this.ft;
    const n = ft.nuses[f]!;
    for (let k = 0; k < n; k++) {
      const r = ft.useAt(f, k);
      if (k < 2) {
        this.heaps[r]!.remove(e + k);
        continue;
      }
      const list = this.wide[r]!;
      const i = list.indexOf(f);
      list[i] = list[list.length - 1]!;
      list.pop();
    }
  }

  /** Pushes into `out` every flow on resource r whose doneFrom is at or before `now` (the candidates to be done now). */
  dueOn(r: ResourceId, now: number, out: number[]): void {
    const heap = this.heaps[r];
    if (heap !== undefined) {
      const from = out.length;
      heap.collectAtMost(now, out);
      for (let i = from; i < out.length; i++) out[i] = out[i]! >> 1;
    }
    const list = this.wide[r];
    if (list !== undefined) for (let i = 0; i < list.length; i++) out.push(list[i]!);
  }

  private heapOf(r: ResourceId): KeyedHeap {
    let heap = this.heaps[r];
    if (heap === undefined) {
      while (this.heaps.length <= r) this.heaps.push(undefined);
      heap = new KeyedHeap(this.slots);
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
}
