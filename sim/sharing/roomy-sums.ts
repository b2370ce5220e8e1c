/**
 * RoomySums: the two sums a roomy resource (see IncrementalRates.classify) keeps rather than summing its
 * flows at every touch: coef x cap for its fit test, from the changes noted in ResourceTable.notes,
 * and its allocation (coef x rate), from each rate change's difference. Each carries a bound on its
 * rounding, as IncrementalRates.stillFits does, and is summed afresh in id order past MAX_DRIFT.
 */
import { fitsUnder, MAX_DRIFT, MAX_SUMMED, TINY4, ULP4 } from "./drift.js";
import type { FlowTable } from "./flow-table.js";
import { grown } from "./grow.js";
import { IdList } from "./id-list.js";
import type { ResourceTable } from "./resource-table.js";
import type { FlowId, ResourceId } from "./types.js";

export class RoomySums {
  constructor(
    private readonly ft: FlowTable,
    private readonly rt: ResourceTable,
  ) {}

  /**
   * lone()'s second test on a shared resource: every cap finite, and sum(coef x cap) within the margin.
   * The sum is the kept one (capSum) plus each noted change's difference, in the order they were made,
   * as stillFits does, with `capDrift` bounding its rounding and the test leaving room for it; without a
   * kept sum (or `fresh`, or with an infinite cap noted, or too much drift) it is summed afresh in id order.
   */
  fits(r: ResourceId, fresh: boolean): boolean {
    const rt = this.rt;
    if (rt.capsKept[r] === 1 && !fresh) {
      const notes = rt.notes;
      let sum = rt.capSum[r]!;
      let drift = rt.capDrift[r]!;
      let finite = true;
      for (let e = rt.firstNote(r); e >= 0; e = notes[e + 4]!) {
        const c = notes[e + 1]!;
        const before = notes[e + 2]!;
        const after = notes[e + 3]!;
        if (before === Infinity || after === Infinity) {
          finite = false;
          break;
        }
        sum += c * (after - before);
        drift += ULP4 * (Math.abs(sum) + c * (after + before)) + TINY4;
      }
      if (finite && drift <= MAX_DRIFT * sum) {
        rt.capSum[r] = sum;
        rt.capDrift[r] = drift;
        return fitsUnder(sum + drift, rt.capacity[r]!);
      }
    }
    return this.freshFits(r);
  }

  /** fits() summing coef x cap afresh over every flow in id order; the sum is kept if every cap is finite. */
  private freshFits(r: ResourceId): boolean {
    const { ft, rt } = this;
    const count = rt.flowCount(r);
    rt.capsKept[r] = 0;
    if (count > MAX_SUMMED) return false;
    const pool = rt.runs.pool;
    let sum = 0;
    for (let j = rt.flowsAt(r), end = j + count; j < end; j++) {
      const g = pool[j]!;
      const c = ft.cap[g]!;
      if (c === Infinity) return false;
      if (c !== 0) sum += ft.coefOn(g, r) * c;
    }
    rt.capSum[r] = sum;
    rt.capDrift[r] = 0;
    rt.capsKept[r] = 1;
    return fitsUnder(sum, rt.capacity[r]!);
  }

  /** Queues flow f's roomy resources for a fresh sum at the end of the flush. */
  queueFlow(f: FlowId): void {
    const { ft, rt } = this;
    const n = ft.nuses[f]!;
    for (let k = 0; k < n; k++) {
      const r = ft.useAt(f, k);
      if (rt.roomy[r] === 1) this.queue(r);
    }
  }

  /** Flow f's rate went from `before` to `after`: its roomy resources' allocations take the difference. */
  shift(f: FlowId, before: number, after: number, now: number): void {
    const { ft, rt } = this;
    const n = ft.nuses[f]!;
    for (let k = 0; k < n; k++) {
      const r = ft.useAt(f, k);
      if (rt.roomy[r] === 1) this.shiftOn(r, ft.coefAt(f, k), before, after, now);
    }
  }

  /**
   * Roomy resource r's allocation takes coef x (after - before), its usage settled to now first; the
   * rounding is bounded in `drift` as in stillFits, and past MAX_DRIFT the allocation is summed afresh at
   * the end of the flush (as it is while queued for that anyway).
   */
  shiftOn(r: ResourceId, coef: number, before: number, after: number, now: number): void {
    if (this.summing[r] === 1) return;
    const rt = this.rt;
    const was = rt.allocated[r]!;
    rt.usage[r] = rt.usage[r]! + was * (now - rt.settled[r]!);
    rt.settled[r] = now;
    const allocated = was + coef * (after - before);
    const drift = rt.drift[r]! + ULP4 * (Math.abs(allocated) + coef * (after + before)) + TINY4;
    rt.allocated[r] = allocated;
    rt.drift[r] = drift;
    if (!(drift <= MAX_DRIFT * allocated)) this.queue(r);
  }

  /**
   * Roomy resources to be summed afresh at the end of the flush: just split off, under touchAll, drifted,
   * or one of their shared flows' rates moved by a fill. Their differences are not applied meanwhile.
   */
  private readonly toSum = new IdList();
  private summing = new Uint8Array(16);

  queue(r: ResourceId): void {
    if (this.summing.length <= r) this.summing = grown(this.summing, r + 1);
    if (this.summing[r] === 1) return;
    this.summing[r] = 1;
    this.toSum.push(r);
  }

  /** Allocations of the queued roomy resources: usage settled to now, then coef x rate summed in id order. */
  resum(now: number): void {
    const { ft, rt, toSum } = this;
    for (let i = 0; i < toSum.count; i++) {
      const r = toSum.ids[i]!;
      this.summing[r] = 0;
      // No longer roomy: touched, so recomputed in its component this flush, with a fresh allocation.
      if (rt.roomy[r] === 0) continue;
      rt.usage[r] = rt.usage[r]! + rt.allocated[r]! * (now - rt.settled[r]!);
      rt.settled[r] = now;
      const pool = rt.runs.pool;
      let sum = 0;
      for (let j = rt.flowsAt(r), end = j + rt.flowCount(r); j < end; j++) {
        const g = pool[j]!;
        const rate = ft.rate[g]!;
        if (rate !== 0) sum += ft.coefOn(g, r) * rate;
      }
      rt.allocated[r] = sum;
      rt.drift[r] = 0;
    }
    toSum.clear();
  }
}
