/**
 * IncrementalRates: remembers which resources (and resource-less flows) changed, and on flush recomputes
 * each connected component they belong to exactly once. Flows whose rate changes are settled first and
 * their completion events moved; allocations and usage integrals of the component's resources follow.
 * A changed hub (hub.ts) takes its change in O(1) instead; a recompute that finds its component fits
 * the hub conditions turns it into one. A resource whose flows use no other resource (a host's CPU) is
 * its own component: its flow list is used as is, without a walk; and when every flow fits at its cap
 * (the usual unsaturated host; see lone() for the two exact tests), rates are set to the caps without
 * water-filling (capsOnly; the rates and events are bit for bit what water-filling gives). Once a host
 * is at its caps, its own flows' cap changes, starts and leaves are noted (rt.notes) and the next
 * recompute looks at those alone (capsNoted): whether the caps still fit, from the allocation plus each
 * change's difference, and the changed flows' rates. That allocation (so the usage integral) then
 * carries rounding, bounded and kept under MAX_DRIFT of itself, instead of being summed afresh in id
 * order; anything else (a flow that uses other resources, a capacity change, drift) sums afresh.
 * A roomy resource (classify) is kept the same way whatever its flows (roomy-sums.ts): its fit test
 * from a kept sum of coef x cap plus the noted changes, once roomy only its noted flows' rates set to
 * their caps, and its allocation by each rate change's difference, under the same drift rule; it is
 * summed afresh when a component's fill moved one of its shared flows (a boot flow on the disk).
 */
import type { CompletionEvents } from "./completion-events.js";
import { ComponentWalker } from "./component.js";
import { ACTIVE, type FlowTable } from "./flow-table.js";
import { grown } from "./grow.js";
import { IdList } from "./id-list.js";
import type { ResourceTable } from "./resource-table.js";
import type { Hubs } from "./hub.js";
import type { FlowId, ResourceId, SharingStats } from "./types.js";
import { WaterFill } from "./water-fill.js";
import { fitsUnder, MAX_DRIFT, MAX_SUMMED, TINY4, ULP4 } from "./drift.js";
import { RoomySums } from "./roomy-sums.js";

/** What lone() finds of a resource. */
const SHARED = 0;
const LONE = 1;
const CAPS_FIT = 2;

export class IncrementalRates {
  private readonly walker = new ComponentWalker();
  private readonly sums: RoomySums;
  private readonly filler = new WaterFill();
  /** Seeds of pending recomputes, in the order they were touched. */
  private readonly dirtyRes = new IdList();
  private readonly dirtyFlows = new IdList();
  /** Set by touchAll until the next flush: every component is water-filled, with no shortcut. */
  private full = false;

  constructor(
    private readonly ft: FlowTable,
    private readonly rt: ResourceTable,
    private readonly events: CompletionEvents,
    private readonly stats: SharingStats,
    private readonly hubs: Hubs,
    /** Whether a lone resource whose flows all fit under its capacity at their caps skips the fill (capsOnly). */
    private readonly fastCaps: boolean,
  ) {
    this.sums = new RoomySums(ft, rt);
    hubs.rateMoved = (f) => this.sums.queueFlow(f);
  }

  get pending(): boolean {
    return this.dirtyRes.count > 0 || this.dirtyFlows.count > 0;
  }

  touchResource(r: ResourceId): void {
    if (this.rt.dirty[r] === 1) return;
    this.rt.dirty[r] = 1;
    this.dirtyRes.push(r);
  }

  /**
   * Marks everything the flow's rate depends on: its resources, or the flow itself if it uses none.
   * `oldCap`: the cap before a setCap (0 for a new flow).
   */
  touchFlow(f: FlowId, oldCap = 0): void {
    const ft = this.ft;
    const n = ft.nuses[f]!;
    if (n === 0) {
      if (ft.dirty[f] === 0) {
        ft.dirty[f] = 1;
        this.dirtyFlows.push(f);
      }
      return;
    }
    const cap = ft.cap[f]!;
    // Noted so that capsOnly and roomyCaps can set just the rates that may have moved, and check fit from the changes alone.
    for (let i = 0; i < n; i++) {
      const r = ft.useAt(f, i);
      this.rt.note(r, f, ft.coefAt(f, i), oldCap, cap);
      this.touchResource(r);
    }
  }

  /**
   * Flow f leaves its i-th resource (call while its cap and rate are still set; `now`: the current time):
   * noted as a cap change to 0; a roomy resource's allocation loses the flow's share at once.
   */
  noteLeave(f: FlowId, i: number, now: number): void {
    const ft = this.ft;
    const r = ft.useAt(f, i);
    const coef = ft.coefAt(f, i);
    this.rt.note(r, f, coef, ft.cap[f]!, 0);
    const rate = ft.rate[f]!;
    if (rate !== 0 && this.rt.roomy[r] === 1) this.sums.shiftOn(r, coef, rate, 0, now);
    this.touchResource(r);
  }

  /** Recomputes every component by full water-filling (the capsOnly shortcut off), for tests. */
  touchAll(): void {
    this.full = true;
    for (let r = 0; r < this.rt.count; r++) this.touchResource(r);
    const ft = this.ft;
    for (let f = 0; f < ft.highWater; f++) if (ft.state[f] === ACTIVE && ft.nuses[f] === 0) this.touchFlow(f);
  }

  /** Recomputes every component touched since the last flush, each once; `now` is the current time. */
  flush(now: number): void {
    const dr = this.dirtyRes;
    const df = this.dirtyFlows;
    if (dr.count === 0 && df.count === 0) return;
    const { ft, rt, walker } = this;
    walker.begin();
    // First which touched resources can bind, so that every walk below sees the components as they now are.
    // Classifying and recomputing may touch more resources: the list's count and storage are read afresh each time round.
    for (let i = 0; i < dr.count; i++) this.classify(dr.ids[i]!);
    for (let i = 0; i < dr.count; i++) {
      let r = dr.ids[i]!;
      rt.dirty[r] = 0;
      this.take(r);
      const h = rt.hub[r]!;
      if (h >= 0) {
        // A hub takes its changes in O(1); if it dissolves, its component is water-filled below.
        if (this.hubs.refresh(h)) continue;
        r = h;
      }
      else if (rt.roomy[r] === 1) {
        this.roomyCaps(r, now);
        continue;
      }
      else if (walker.collected(r, rt)) continue;
      else {
        if (rt.exact[r] === 1 && rt.atCaps[r] === 1 && this.fastCaps && !this.full && this.stillFits(r)) {
          this.capsOnly(r, now, true);
          continue;
        }
        const lone = this.lone(r);
        if (lone === CAPS_FIT && this.fastCaps && !this.full) {
          this.capsOnly(r, now);
          continue;
        }
        if (lone !== SHARED) {
          // A component of its own: its flow list is the component, already in id order; no walk.
          walker.collectLone(r, ft, rt);
          this.recompute(now);
          continue;
        }
      }
      if (walker.collectFrom(r, ft, rt)) this.recompute(now);
    }
    for (let i = 0; i < df.count; i++) {
      const f = df.ids[i]!;
      ft.dirty[f] = 0;
      // The id may have been freed since, or reused by a flow with resources (those are queued already).
      if (ft.state[f] !== ACTIVE || ft.nuses[f]! > 0) continue;
      walker.collectFlow(f, ft);
      this.recompute(now);
    }
    dr.clear();
    df.clear();
    this.full = false;
    this.sums.resum(now);
  }

  /**
   * Sets rt.roomy for touched resource r: 1 if flows of other resources use it too, some flows use it
   * alone, and lone()'s second test holds (every cap finite, sum(coef x cap) <= capacity x (1 -
   * SUM_MARGIN)): it cannot bind, so its flows that use it alone get their caps and the others are filled
   * on the resources that can (a VM host's CPU of demand flows, out of its boot flows' disk component).
   * A resource that just became roomy splits its component: the rest of each of its flows is touched;
   * its rates are all set (roomyCaps) and its allocation summed afresh at the end of the flush.
   */
  private classify(r: ResourceId): void {
    const rt = this.rt;
    const was = rt.roomy[r]!;
    // Only a resource with flows of its own is split off: that takes them out of the shared flows' component.
    const shared = rt.shared[r]!;
    let is = 0;
    if (rt.hub[r]! < 0 && shared > 0 && rt.flowCount(r) > shared) is = this.sums.fits(r, this.full) ? 1 : 0;
    // Its notes are about to be taken without being summed: the kept sum would go stale.
    else rt.capsKept[r] = 0;
    rt.roomy[r] = is;
    // No longer roomy, r links its flows' components: a hub one hung off is a hub no more.
    if (was === 1 && is === 0) this.exitHubsOn(r);
    if (is === 1 && (was === 0 || this.full)) {
      this.sums.queue(r);
      if (this.whole.length <= r) this.whole = grown(this.whole, r + 1);
      this.whole[r] = 1;
    }
    if (is === 0 || was === 1) return;
    const ft = this.ft;
    const pool = rt.runs.pool;
    for (let j = rt.flowsAt(r), end = j + rt.flowCount(r); j < end; j++) {
      const g = pool[j]!;
      const n = ft.nuses[g]!;
      for (let k = 0; k < n; k++) if (ft.useAt(g, k) !== r) this.touchResource(ft.useAt(g, k));
    }
  }

  /** Dissolves every hub with a flow on r (its flows back to their own rates; the walk from r recomputes them). */
  private exitHubsOn(r: ResourceId): void {
    const { ft, rt } = this;
    const pool = rt.runs.pool;
    for (let j = rt.flowsAt(r), end = j + rt.flowCount(r); j < end; j++) {
      const h = ft.hub[pool[j]!]!;
      if (h >= 0) this.hubs.exit(h);
    }
  }

  /**
   * A touched roomy resource: its flows that use no resource that can bind (it alone, or only roomy
   * ones) get their caps. Once roomy, all but its noted flows have their caps already (nothing else sets
   * their rates), so only those are visited; just split off (or under touchAll), every flow is.
   */
  private roomyCaps(r: ResourceId, now: number): void {
    const { ft, rt } = this;
    this.stats.recomputes++;
    this.stats.roomy++;
    // Its flows' rates are no longer a capsOnly recompute's: the next one sets them all.
    rt.atCaps[r] = 0;
    if (this.whole[r] !== 1) {
      const notes = rt.notes;
      this.stats.roomyNoted++;
      this.stats.flowsVisited += this.notedCount;
      for (let e = this.notedFirst; e >= 0; e = notes[e + 4]!) {
        const g = notes[e]!;
        // A flow that left (its id may be free, or reused elsewhere) has no rate to set.
        if (ft.state[g] === ACTIVE && ft.indexOfUse(g, r) >= 0) this.roomyCap(g, now);
      }
      return;
    }
    this.whole[r] = 0;
    const pool = rt.runs.pool;
    const count = rt.flowCount(r);
    this.stats.flowsVisited += count;
    for (let j = rt.flowsAt(r), end = j + count; j < end; j++) this.roomyCap(pool[j]!, now);
  }

  /** Roomy resources whose every flow roomyCaps sets in this flush (just split off, or recomputed in full). */
  private whole = new Uint8Array(16);

  /** Flow g of a roomy resource gets its cap if no resource it uses can bind; its roomy resources' allocations follow. */
  private roomyCap(g: FlowId, now: number): void {
    const ft = this.ft;
    if (ft.lone[g] === 0 && !this.allRoomy(g)) return;
    const before = ft.rate[g]!;
    if (this.toCap(g)) this.sums.shift(g, before, ft.rate[g]!, now);
  }

  private allRoomy(g: FlowId): boolean {
    const ft = this.ft;
    const n = ft.nuses[g]!;
    for (let k = 0; k < n; k++) if (this.rt.roomy[ft.useAt(g, k)] === 0) return false;
    return true;
  }

  /**
   * Whether resource r is a component of its own (every flow on it uses only r: LONE, else SHARED), and
   * if so whether its water-filling gives every flow its cap (CAPS_FIT), by either of two tests:
   * - fillOne's first level capacity / sum(coef x weight), summed in the same (id) order, is at least
   *   every flow's cap / weight: the very floating-point values fillOne computes, so the test is exact;
   * - every cap is finite and sum(coef x cap) is at most capacity x (1 - SUM_MARGIN): then each round
   *   of fillOne freezes at least one flow at its cap (the level, capacity less the frozen load over
   *   the unfrozen weight, is at least the weighted mean of the unfrozen caps / weights, so at least
   *   their least; the margin covers the rounding of the sums, n x epsilon for n flows), until every
   *   flow is frozen at its cap. This is the usual unsaturated host whose weights do not follow its
   *   demands (a VM's weight is its vCPUs, its cap the demand).
   * Either way every rate is its cap exactly, as fillOne would set it.
   */
  private lone(r: ResourceId): number {
    const rt = this.rt;
    if (rt.shared[r]! > 0) return SHARED;
    const { weight, cap, coef0 } = this.ft;
    const pool = rt.runs.pool;
    const count = rt.flowCount(r);
    let sumW = 0;
    let maxKey = 0;
    // What capsOnly will allocate (every rate at its cap), summed in the same (id) order in the same pass.
    let allocated = 0;
    for (let j = rt.flowsAt(r), end = j + count; j < end; j++) {
      const f = pool[j]!;
      const w = weight[f]!;
      const c = cap[f]!;
      const k = c / w;
      if (k > maxKey) maxKey = k;
      const coef = coef0[f]!;
      sumW += coef * w;
      if (c !== 0) allocated += coef * c;
    }
    this.capsAllocated = allocated;
    if (!(maxKey < Infinity)) return LONE;
    const capacity = rt.capacity[r]!;
    if (!(maxKey <= capacity / sumW) && !(count <= MAX_SUMMED && fitsUnder(allocated, capacity))) return LONE;
    // Every cap is finite: from here on, cap changes alone can be checked by the second test (stillFits).
    rt.infinite[r] = 0;
    rt.drift[r] = 0;
    rt.exact[r] = 1;
    return CAPS_FIT;
  }

  /**
   * For a resource whose flows were all at their (finite) caps (exact, atCaps) and whose changes since
   * are noted (cap changes, starts and leaves of flows that use it alone; anything else clears exact):
   * whether lone()'s second test still holds, from the noted changes alone. The allocation after them
   * is the last one plus each change's coef x (new cap - old cap), in the order they were made: lone()'s
   * sum in id order up to rounding, not bit for bit; `drift` bounds the difference, and the test leaves
   * room for it too.
   * Sets capsAllocated to that allocation.
   */
  private stillFits(r: ResourceId): boolean {
    const rt = this.rt;
    const notes = rt.notes;
    let infinite = rt.infinite[r]!;
    let allocated = rt.allocated[r]!;
    let drift = rt.drift[r]!;
    for (let e = this.notedFirst; e >= 0; e = notes[e + 4]!) {
      const c = notes[e + 1]!;
      const before = notes[e + 2]!;
      const after = notes[e + 3]!;
      if (before === Infinity) infinite--;
      if (after === Infinity) infinite++;
      allocated += c * (after - before);
      // A bound on the rounding of this step: a few ulps of every magnitude involved (and of subnormals).
      drift += ULP4 * (Math.abs(allocated) + c * (after + before)) + TINY4;
    }
    rt.infinite[r] = infinite;
    // Too far from an exact sum, relative to the allocation itself (many steps, a huge cap come and gone,
    // everything gone to 0): sum afresh in id order. So usage integrals stay within MAX_DRIFT of exact.
    if (infinite !== 0 || !(drift <= MAX_DRIFT * allocated) || !fitsUnder(allocated + drift, rt.capacity[r]!)) {
      rt.exact[r] = 0;
      return false;
    }
    rt.drift[r] = drift;
    this.capsAllocated = allocated;
    return true;
  }

  /** lone()'s sum of coef x cap over the resource's flows, in id order. */
  private capsAllocated = 0;
  /** The changes noted on the resource being recomputed since its last recompute: its first record in rt.notes (-1: none), and how many. */
  private notedFirst = -1;
  private notedCount = 0;

  /** Takes resource r's notes (see ResourceTable.takeNotes). */
  private take(r: ResourceId): void {
    this.notedCount = this.rt.noteCount(r);
    this.notedFirst = this.rt.takeNotes(r);
  }

  /**
   * The recompute of a lone resource whose flows all get their caps (CAPS_FIT): what fillOne and
   * recompute() would do, without the walk and the fill. Only flows whose cap differs from their rate
   * (a new flow, a changed cap) are settled and get their event moved; allocation is summed in id order.
   */
  private capsOnly(r: ResourceId, now: number, incremental = false): void {
    const { ft, rt } = this;
    const count = rt.flowCount(r);
    this.stats.recomputes++;
    this.stats.capsOnly++;
    if (incremental) {
      this.stats.capsNoted++;
      this.stats.flowsVisited += this.notedCount;
    } else this.stats.flowsVisited += count;
    rt.usage[r] = rt.usage[r]! + rt.allocated[r]! * (now - rt.settled[r]!);
    rt.settled[r] = now;
    if (rt.atCaps[r] === 1) {
      // Every other flow still runs at its (unchanged) cap since the last capsOnly: only the noted ones can differ.
      const notes = rt.notes;
      for (let e = this.notedFirst; e >= 0; e = notes[e + 4]!) {
        const f = notes[e]!;
        // A flow that left (its id may be free, or reused elsewhere) has no rate to set.
        if (ft.state[f] === ACTIVE && ft.use0[f] === r) this.toCap(f);
      }
    } else {
      const pool = rt.runs.pool;
      for (let j = rt.flowsAt(r), end = j + count; j < end; j++) this.toCap(pool[j]!);
      rt.atCaps[r] = 1;
    }
    rt.allocated[r] = this.capsAllocated;
  }

  /** Sets flow f's rate to its cap, settling it and moving its event if that changes the rate (then true). */
  private toCap(f: FlowId): boolean {
    const ft = this.ft;
    const rate = ft.cap[f]!;
    if (rate === ft.rate[f]) return false;
    this.events.settle(f);
    ft.rate[f] = rate;
    this.events.update(f);
    return true;
  }

  /** New rates for the walker's component; flows whose rate is unchanged are not touched at all. */
  private recompute(now: number): void {
    const { ft, rt, walker, events } = this;
    const cf = walker.flows;
    const nf = walker.flowCount;
    const cr = walker.res;
    const nr = walker.resCount;
    this.stats.recomputes++;
    this.stats.flowsVisited += nf;
    for (let i = 0; i < nr; i++) {
      const r = cr[i]!;
      rt.usage[r] = rt.usage[r]! + rt.allocated[r]! * (now - rt.settled[r]!);
      rt.settled[r] = now;
      rt.allocated[r] = 0;
      rt.atCaps[r] = 0;
    }
    const hanging = walker.hangCount > 0;
    this.filler.fill(ft, rt, cf, nf, cr, nr, hanging);
    if (this.hubs.tryEnter(cf, nf, cr, nr, hanging)) return;
    for (let i = 0; i < nf; i++) {
      const f = cf[i]!;
      const rate = ft.next[f]!;
      if (rate !== ft.rate[f]) {
        events.settle(f);
        ft.rate[f] = rate;
        events.update(f);
        // The roomy resources it also uses are outside the component: summed afresh at the end of the flush.
        if (hanging && ft.lone[f] === 0) this.sums.queueFlow(f);
      }
      if (rate === 0) continue;
      if (ft.lone[f] === 1) {
        const r = ft.use0[f]!;
        rt.allocated[r] = rt.allocated[r]! + ft.coef0[f]! * rate;
        continue;
      }
      const n = ft.nuses[f]!;
      for (let j = 0; j < n; j++) {
        const r = ft.useAt(f, j);
        // A roomy resource is summed afresh at the end of the flush if a rate moved (its flows may be in several components).
        if (rt.roomy[r] === 1) continue;
        rt.allocated[r] = rt.allocated[r]! + ft.coefAt(f, j) * rate;
      }
    }
  }
}
