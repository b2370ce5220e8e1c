/**
 * Progressive filling (water-filling) for one connected component: computes weighted max-min fair rates
 * with caps into `FlowTable.next`. Unfrozen flows grow together at weight x level; a resource that
 * saturates freezes every flow on it, a flow that reaches its cap freezes alone; repeat until all are frozen.
 */
import type { FlowTable } from "./flow-table.js";
import { grown } from "./grow.js";
import type { ResourceTable } from "./resource-table.js";

/**
 * Rounds of unsorted batch freezing before the remaining capped flows are sorted by cap / weight: a few
 * linear passes beat a comparator sort when few distinct caps bind (the usual case), and the sort bounds
 * the worst case (one cap binding per round) at O(n log n).
 */
const UNSORTED_ROUNDS = 8;

export class WaterFill {
  /** Unfrozen flows with a finite cap: in id order, then (after UNSORTED_ROUNDS) sorted by cap / weight. */
  private readonly cand: number[] = [];
  /** Resources that still have unfrozen flows. */
  private live = new Int32Array(16);
  /** Keys of the table being filled; read by the comparator (the table may have grown since last time). */
  private keys = new Float64Array(0);
  private readonly byKey = (a: number, b: number): number => this.keys[a]! - this.keys[b]! || a - b;

  /**
   * Rates for flows cf[0..nf) on resources cr[0..nr) (both ascending, and closed: every resource a flow
   * uses is listed, but for roomy ones (`hanging`), which cannot bind and are left out). All iteration is
   * in id order, so the result depends only on the component.
   */
  fill(ft: FlowTable, rt: ResourceTable, cf: Int32Array, nf: number, cr: Int32Array, nr: number, hanging = false): void {
    // fillOne reads each flow's first coefficient: only right if that resource is the flow's only one.
    if (nr === 1 && !hanging) {
      this.fillOne(ft, rt, cf, nf, cr[0]!);
      return;
    }
    const minKey = this.sumShares(ft, rt, cf, nf, cr, nr);
    if (this.fillLevel(ft, rt, cf, nf, cr, nr, minKey)) return;
    const { weight, cap, key, frozen } = ft;
    const { capacity, load, sumW, unfrozen } = rt;
    for (let i = 0; i < nr; i++) load[cr[i]!] = 0;
    const cand = this.cand;
    let nc = 0;
    for (let i = 0; i < nf; i++) {
      const f = cf[i]!;
      frozen[f] = 0;
      ft.next[f] = 0;
      const k = cap[f]! / weight[f]!;
      key[f] = k;
      if (k < Infinity) cand[nc++] = f;
    }
    if (this.live.length < nr) this.live = grown(this.live, nr);
    const live = this.live;
    let nl = 0;
    for (let i = 0; i < nr; i++) if (unfrozen[cr[i]!]! > 0) live[nl++] = cr[i]!;

    let left = nf;
    let level = 0;
    let rounds = 0;
    let sorted = false;
    let p = 0;
    while (left > 0) {
      // The level at which the first resource saturates; drop resources with nothing left to freeze.
      let resLevel = Infinity;
      let kept = 0;
      for (let i = 0; i < nl; i++) {
        const r = live[i]!;
        if (unfrozen[r] === 0) continue;
        live[kept++] = r;
        const l = (capacity[r]! - load[r]!) / sumW[r]!;
        if (l < resLevel) resLevel = l;
      }
      nl = kept;
      let capLevel: number;
      if (sorted) {
        while (p < nc && frozen[cand[p]!] === 1) p++;
        capLevel = p < nc ? key[cand[p]!]! : Infinity;
      } else {
        // Every cap binding at or below the first saturation binds before it (freezing a flow at a cap below
        // a resource's saturation level only raises that level), so all of them freeze in this one pass.
        const bound = resLevel > level ? resLevel : level;
        let froze = 0;
        let kept = 0;
        capLevel = Infinity;
        for (let i = 0; i < nc; i++) {
          const f = cand[i]!;
          if (frozen[f] === 1) continue;
          const k = key[f]!;
          if (k <= bound) {
            ft.next[f] = cap[f]!;
            this.freeze(ft, rt, f);
            froze++;
          } else {
            cand[kept++] = f;
            if (k < capLevel) capLevel = k;
          }
        }
        nc = kept;
        left -= froze;
        if (froze > 0) {
          if (++rounds === UNSORTED_ROUNDS && nc > 1) {
            this.keys = key;
            cand.length = nc;
            cand.sort(this.byKey);
            sorted = true;
          }
          continue;
        }
      }
      const target = resLevel < capLevel ? resLevel : capLevel;
      if (target === Infinity) throw new Error("WaterFill: a flow has neither a finite cap nor a resource");
      // Rounding can put a level a hair below the current one; rates already granted must never shrink.
      if (target > level) level = target;
      if (sorted && capLevel <= level) {
        for (; p < nc; p++) {
          const f = cand[p]!;
          if (frozen[f] === 1) continue;
          if (key[f]! > level) break;
          ft.next[f] = cap[f]!;
          this.freeze(ft, rt, f);
          left--;
        }
      }
      if (resLevel <= level) {
        for (let i = 0; i < nl; i++) {
          const r = live[i]!;
          if (unfrozen[r] === 0 || (capacity[r]! - load[r]!) / sumW[r]! > level) continue;
          const pool = rt.runs.pool;
          for (let j = rt.flowsAt(r), end = j + rt.flowCount(r); j < end; j++) {
            const g = pool[j]!;
            if (frozen[g] === 1) continue;
            ft.next[g] = weight[g]! * level;
            this.freeze(ft, rt, g);
            left--;
          }
        }
      }
    }
  }

  /**
   * Every resource's sumW (coef x weight of its flows) and unfrozen (their count), roomy ones left
   * out, summed in id order; returns the least cap / weight of the flows.
   */
  private sumShares(ft: FlowTable, rt: ResourceTable, cf: Int32Array, nf: number, cr: Int32Array, nr: number): number {
    const { weight, cap } = ft;
    const { sumW, unfrozen, roomy } = rt;
    for (let i = 0; i < nr; i++) {
      sumW[cr[i]!] = 0;
      unfrozen[cr[i]!] = 0;
    }
    let minKey = Infinity;
    for (let i = 0; i < nf; i++) {
      const f = cf[i]!;
      const w = weight[f]!;
      const k = cap[f]! / w;
      if (k < minKey) minKey = k;
      const n = ft.nuses[f]!;
      for (let j = 0; j < n; j++) {
        const r = ft.useAt(f, j);
        if (roomy[r] === 1) continue;
        sumW[r] = sumW[r]! + ft.coefAt(f, j) * w;
        unfrozen[r] = unfrozen[r]! + 1;
      }
    }
    return minKey;
  }

  /**
   * The first round of fill() when it is the last: the first resource to saturate (the lowest id among
   * ties) is used by every flow, and no cap binds at or below its level (`minKey`: the least cap /
   * weight; a host's disk under a boot storm). Every rate is then weight x that level, from sumShares'
   * sums, without fill()'s scratch columns and freezes. False, with nothing set, when the case does not hold.
   */
  private fillLevel(ft: FlowTable, rt: ResourceTable, cf: Int32Array, nf: number, cr: Int32Array, nr: number, minKey: number): boolean {
    const { capacity, sumW, unfrozen } = rt;
    // fill()'s first saturation level: (capacity - load) / sumW with load 0, which is capacity / sumW exactly.
    let resLevel = Infinity;
    let at = -1;
    for (let i = 0; i < nr; i++) {
      const l = capacity[cr[i]!]! / sumW[cr[i]!]!;
      if (l < resLevel) {
        resLevel = l;
        at = cr[i]!;
      }
    }
    const level = resLevel > 0 ? resLevel : 0;
    // fill() freezes saturated resources in this (id) order: any other at the same level comes after `at`,
    // which has frozen every flow by then.
    if (at < 0 || !(minKey > level) || unfrozen[at] !== nf) return false;
    const weight = ft.weight;
    for (let i = 0; i < nf; i++) ft.next[cf[i]!] = weight[cf[i]!]! * level;
    return true;
  }

  /**
   * The common case, every flow on one resource (a host's CPU): caps at or below the fair level bind and
   * raise it; repeat until none does, and the rest share at weight x level. Same rounds-then-sort policy.
   */
  private fillOne(ft: FlowTable, rt: ResourceTable, cf: Int32Array, nf: number, r: number): void {
    const { weight, cap, key, frozen, next, coef0 } = ft;
    const cand = this.cand;
    let nc = 0;
    let sumW = 0;
    for (let i = 0; i < nf; i++) {
      const f = cf[i]!;
      const w = weight[f]!;
      const k = cap[f]! / w;
      frozen[f] = 0;
      key[f] = k;
      if (k < Infinity) cand[nc++] = f;
      sumW += coef0[f]! * w;
    }
    const capacity = rt.capacity[r]!;
    let load = 0;
    let left = nf;
    let level = capacity / sumW;
    let sorted = false;
    for (let round = 0; nc > 0 && left > 0; round++) {
      if (round === UNSORTED_ROUNDS) {
        this.keys = key;
        cand.length = nc;
        cand.sort(this.byKey);
        sorted = true;
      }
      let kept = 0;
      const before = left;
      for (let i = 0; i < nc; i++) {
        const f = cand[i]!;
        if (key[f]! > level) {
          // Sorted, no later cap can bind before the level rises again.
          if (sorted) break;
          cand[kept++] = f;
          continue;
        }
        const c = coef0[f]!;
        load += c * cap[f]!;
        sumW -= c * weight[f]!;
        frozen[f] = 1;
        next[f] = cap[f]!;
        if (--left === 0) break;
        if (sorted) level = this.raise(ft, cf, nf, capacity, load, sumW, level);
      }
      if (sorted || left === before || left === 0) break;
      nc = kept;
      level = this.raise(ft, cf, nf, capacity, load, sumW, level);
    }
    for (let i = 0; i < nf; i++) {
      const f = cf[i]!;
      if (frozen[f] === 0) next[f] = weight[f]! * level;
    }
  }

  /** The fair level on one resource once some caps bound; never below the previous level (rounding). */
  private raise(ft: FlowTable, cf: Int32Array, nf: number, capacity: number, load: number, sumW: number, prev: number): number {
    let w = sumW;
    if (!(w > 0)) {
      // Cancellation ate the remaining weights: sum them again.
      w = 0;
      for (let i = 0; i < nf; i++) {
        const f = cf[i]!;
        if (ft.frozen[f] === 0) w += ft.coef0[f]! * ft.weight[f]!;
      }
    }
    const l = (capacity - load) / w;
    return l > prev ? l : prev;
  }

  /**
   * Fixes flow f at the rate the caller put in next[f] and takes it out of the growing set of each
   * resource it uses. The rate is not an argument: a float passed to a call V8 does not inline is boxed.
   */
  private freeze(ft: FlowTable, rt: ResourceTable, f: number): void {
    ft.frozen[f] = 1;
    const rate = ft.next[f]!;
    const w = ft.weight[f]!;
    const n = ft.nuses[f]!;
    const { load, sumW, unfrozen, roomy } = rt;
    for (let j = 0; j < n; j++) {
      const r = ft.useAt(f, j);
      if (roomy[r] === 1) continue;
      const c = ft.coefAt(f, j);
      load[r] = load[r]! + c * rate;
      const u = unfrozen[r]! - 1;
      unfrozen[r] = u;
      const s = sumW[r]! - c * w;
      // Exact zero when the last flow leaves; re-sum if cancellation ate the remaining weights.
      sumW[r] = u === 0 ? 0 : s > 0 ? s : this.unfrozenWeight(ft, rt, r);
    }
  }

  private unfrozenWeight(ft: FlowTable, rt: ResourceTable, r: number): number {
    const pool = rt.runs.pool;
    let s = 0;
    for (let j = rt.flowsAt(r), end = j + rt.flowCount(r); j < end; j++) {
      const g = pool[j]!;
      if (ft.frozen[g] === 1) continue;
      s += ft.coefOn(g, r) * ft.weight[g]!;
    }
    return s;
  }
}
