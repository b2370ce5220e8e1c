/**
 * Hubs: constant-time rate changes for a component whose flows all share one bottleneck (a registry
 * every cold pull goes through). Without them, each arrival or departure in such a component of n
 * flows re-fills all n rates and moves n completion events: O(n) per event, O(n^2) per storm.
 *
 * A component is a hub component, with hub resource h, when every flow in it uses h, has no cap and
 * an integer coef x weight on h, and every other resource r of it (a host NIC) would saturate no
 * lower than h: capacity(r) / share(r) >= capacity(h) / share(h), where share(r) is the sum of
 * coef x weight over r's flows. Water-filling then freezes every flow at h's level L = capacity(h) /
 * share(h), so flow f runs at weight(f) x L: the exact max-min answer, bit for bit the one WaterFill
 * gives (integer terms make share(h) an exact sum, equal to WaterFill's in any order).
 *
 * So one number, L, sets every rate, and the hub keeps a virtual clock V with dV/dt = L (work per unit
 * weight served so far). A flow stores V at its entry and its finish in virtual time, vFinish = V +
 * remaining / weight, in a heap; the hub has one completion event, at the least vFinish. A resource
 * stores V at its last settle, its usage growing as share x dV. An arrival or departure changes share
 * sums, L and the heap in O(log n); every other flow's rate changes through L without being touched
 * (the virtual-time bookkeeping of fair queueing). The NIC condition is checked at every change with
 * a heap of the other resources' levels; when it or any other hub condition fails (a flow without h,
 * a cap, a capacity change), the hub settles every flow back to explicit rates, schedules their own
 * events, and the component is water-filled as usual. A component enters hub mode when a full
 * recompute of it finds the conditions hold with at least `minFlows` flows, for any resource all its
 * flows use (a host's serial server, whose create steps also write to the host's disk).
 *
 * A boot storm breaks the integer condition: each boot flow is capped at one core and reads its disk at
 * a coef of its own (bytes per CPU-second). Such a component is still a hub, summed afresh: at every
 * change share(h) is summed over h's flows in id order, exactly as WaterFill sums it (so the level is
 * bit for bit WaterFill's), with the least cap / weight, which must stay above the level (no cap binds);
 * each flow's `rate` is written and the roomy resources its flows also use (the host's CPU, hanging off
 * the component) are summed afresh at the end of the flush. That is O(n) per change, but two tight
 * passes instead of a walk, a fill and n settled flows and moved events; the clock and the one
 * completion event are the same. A roomy resource that stops being roomy dissolves the hubs of its flows.
 */
import type { Simulation } from "../engine/index.js";
import type { CompletionEvents } from "./completion-events.js";
import { NO_HUB, type FlowTable } from "./flow-table.js";
import { MAX_DRIFT, TINY4, ULP4 } from "./drift.js";
import type { IdList } from "./id-list.js";
import { KeyedHeap } from "./keyed-heap.js";
import type { ResourceTable } from "./resource-table.js";
import type { FlowId, ResourceId, SharingStats } from "./types.js";

/** Components with fewer flows stay with WaterFill: per-flow events are cheaper than a hub's heaps. */
export const HUB_MIN_FLOWS = 32;
/** Member resources with at most this many flows get their share summed afresh at every change (NICs: one or two). */
const EXACT_SHARE_FLOWS = 8;
/**
 * A member's level within this share of the hub's may be on either side of it once its share carries
 * drift (at most MAX_DRIFT of it, plus the division's rounding): membersHold sums such members afresh.
 */
const NEAR_LEVEL = 4 * MAX_DRIFT;

interface Hub {
  /** Rate per unit weight of every flow: capacity(h) / share(h). */
  level: number;
  /** Virtual clock (integral of level) as of time `tv`. */
  v: number;
  tv: number;
  /** The hub's finite flows by vFinish. */
  readonly flows: KeyedHeap;
  /** The hub's other resources by level (capacity / share). */
  readonly res: KeyedHeap;
  /** The hub's one completion event: handle, -1 when none, and its time. */
  handle: number;
  eventTime: number;
  /**
   * Summed afresh at every change (see the file header): share(h) and the least cap / weight in id order,
   * each flow's `rate` written, its roomy resources' allocations re-summed. False: integer terms, no caps.
   */
  readonly resum: boolean;
}

export class Hubs {
  private readonly hubs: (Hub | undefined)[] = [];
  private readonly kind: number;
  /** A flow's rate moved: its roomy resources are summed afresh at the end of the flush (IncrementalRates sets it). */
  rateMoved: (f: FlowId) => void = () => {
    throw new Error("Hubs: no roomy sums attached");
  };
  /** Whether tryEnter's last hubShare found a hub that must be summed afresh (Hub.resum). */
  private entryResum = false;

  constructor(
    private readonly sim: Simulation,
    private readonly ft: FlowTable,
    private readonly rt: ResourceTable,
    private readonly events: CompletionEvents,
    private readonly stats: SharingStats,
    private readonly minFlows: number,
    onEvent: (hub: ResourceId) => void,
  ) {
    this.kind = sim.register(onEvent);
  }

  // ---- reading a hub flow or resource ----

  rate(f: FlowId): number {
    return this.ft.weight[f]! * this.get(this.ft.hub[f]!).level;
  }

  remaining(f: FlowId): number {
    const ft = this.ft;
    return ft.remaining[f]! - ft.weight[f]! * (this.vNow(this.get(ft.hub[f]!)) - ft.vEntry[f]!);
  }

  received(f: FlowId): number {
    const ft = this.ft;
    return ft.received[f]! + ft.weight[f]! * (this.vNow(this.get(ft.hub[f]!)) - ft.vEntry[f]!);
  }

  completionTime(f: FlowId): number {
    return this.finishTime(this.get(this.ft.hub[f]!), f);
  }

  allocated(r: ResourceId): number {
    return this.rt.share[r]! * this.get(this.rt.hub[r]!).level;
  }

  usageIntegral(r: ResourceId): number {
    const rt = this.rt;
    return rt.usage[r]! + rt.share[r]! * (this.vNow(this.get(rt.hub[r]!)) - rt.vSettled[r]!);
  }

  // ---- changes ----

  /**
   * A flow just attached to its resources: joins the hub they belong to if it keeps the hub conditions
   * (true), else any hub it touches is dissolved (false) and the caller recomputes as usual.
   */
  admit(f: FlowId): boolean {
    const { ft, rt } = this;
    const n = ft.nuses[f]!;
    let h = -1;
    for (let i = 0; i < n; i++) {
      const g = rt.hub[ft.useAt(f, i)]!;
      if (g < 0) continue;
      if (h >= 0 && g !== h) {
        this.exit(h);
        this.exit(g);
        return false;
      }
      h = g;
    }
    if (h < 0) return false;
    const hub = this.get(h);
    const at = ft.indexOfUse(f, h);
    const w = ft.weight[f]!;
    const term = at >= 0 ? ft.coefAt(f, at) * w : NaN;
    // A summed-afresh hub takes any cap and coef (refresh checks the caps); the other keeps exact integer sums.
    let fits =
      at >= 0 &&
      !this.events.isDone(f, ft.remaining[f]!) &&
      (hub.resum || (ft.cap[f] === Infinity && Number.isInteger(term) && Number.isSafeInteger(rt.share[h]! + term)));
    for (let i = 0; fits && i < n; i++) {
      const r = ft.useAt(f, i);
      fits = rt.hub[r] === h || rt.flowCount(r) === 1 || (hub.resum && rt.roomy[r] === 1);
    }
    if (!fits) {
      this.exit(h);
      return false;
    }
    this.settleClock(hub);
    const now = this.sim.now;
    for (let i = 0; i < n; i++) {
      const r = ft.useAt(f, i);
      if (rt.hub[r] === h) this.settleUsage(hub, r);
      // Hanging (roomy): outside the hub, its allocation follows the flow's rate (refresh).
      else if (rt.roomy[r] === 1) continue;
      else this.adopt(hub, h, r, now);
      if (r === h) rt.share[h] = rt.share[h]! + term;
      else this.reshare(hub, r, -1, ft.coefAt(f, i) * w);
    }
    ft.hub[f] = h;
    ft.vEntry[f] = hub.v;
    ft.settled[f] = now;
    this.track(hub, f);
    return true;
  }

  /** Takes a hub flow out (cancelled or done): its remaining and received are settled to now. */
  leave(f: FlowId): void {
    const { ft, rt } = this;
    const h = ft.hub[f]!;
    const hub = this.get(h);
    this.settleClock(hub);
    const done = ft.weight[f]! * (hub.v - ft.vEntry[f]!);
    ft.remaining[f] = ft.remaining[f]! - done;
    ft.received[f] = ft.received[f]! + done;
    ft.settled[f] = this.sim.now;
    // A summed-afresh hub's flow keeps its (current) rate: its roomy resources take it off as a plain flow's.
    if (!hub.resum) ft.rate[f] = 0;
    ft.hub[f] = NO_HUB;
    hub.flows.remove(f);
    const n = ft.nuses[f]!;
    for (let i = 0; i < n; i++) {
      const r = ft.useAt(f, i);
      if (rt.hub[r] !== h) continue;
      this.settleUsage(hub, r);
      if (r === h) rt.share[h] = rt.share[h]! - ft.coefAt(f, i) * ft.weight[f]!;
      else if (rt.flowCount(r) === 1) this.release(hub, r);
      else this.reshare(hub, r, f, -ft.coefAt(f, i) * ft.weight[f]!);
    }
  }

  /**
   * After changes to hub h, at the end of a batch: a new level (rates change from now), the event
   * moved. False if h is no longer a hub (emptied, or a NIC would now saturate first): the caller
   * water-fills its component.
   */
  refresh(h: ResourceId): boolean {
    const rt = this.rt;
    const hub = this.get(h);
    if (rt.flowCount(h) === 0) {
      this.exit(h);
      return false;
    }
    if (hub.resum) {
      const share = this.resumShare(h);
      if (share !== rt.share[h]) {
        // Settled only when the share moves: a refresh that changes nothing leaves every time as it was.
        this.settleClock(hub);
        this.settleUsage(hub, h);
        rt.share[h] = share;
      }
    }
    const level = rt.capacity[h]! / rt.share[h]!;
    if ((hub.resum && !(this.minKey > level)) || (hub.res.size > 0 && !this.membersHold(hub, level))) {
      this.exit(h);
      return false;
    }
    if (level !== hub.level) {
      this.settleClock(hub);
      hub.level = level;
    }
    if (hub.resum) this.setRates(h, level);
    this.schedule(h, hub);
    return true;
  }

  /** Least cap / weight of the flows resumShare summed. */
  private minKey = Infinity;

  /**
   * share(h) summed afresh over h's flows in id order, as WaterFill sums it (so the level is bit for bit
   * WaterFill's), and their least cap / weight into minKey.
   */
  private resumShare(h: ResourceId): number {
    const { ft, rt } = this;
    const pool = rt.runs.pool;
    let share = 0;
    let minKey = Infinity;
    for (let j = rt.flowsAt(h), end = j + rt.flowCount(h); j < end; j++) {
      const g = pool[j]!;
      const w = ft.weight[g]!;
      share += ft.coefOn(g, h) * w;
      const k = ft.cap[g]! / w;
      if (k < minKey) minKey = k;
    }
    this.minKey = minKey;
    return share;
  }

  /** A summed-afresh hub's flows get their rates at `level`; their roomy resources are summed afresh. */
  private setRates(h: ResourceId, level: number): void {
    const { ft, rt } = this;
    const pool = rt.runs.pool;
    for (let j = rt.flowsAt(h), end = j + rt.flowCount(h); j < end; j++) {
      const g = pool[j]!;
      const rate = ft.weight[g]! * level;
      if (rate === ft.rate[g]) continue;
      ft.rate[g] = rate;
      this.rateMoved(g);
    }
  }

  /** Settles every flow of hub h back to its own rate and event; h and its resources are plain again. */
  exit(h: ResourceId): void {
    const { ft, rt, events } = this;
    const hub = this.get(h);
    this.settleClock(hub);
    const now = this.sim.now;
    const pool = rt.runs.pool;
    for (let i = rt.flowsAt(h), end = i + rt.flowCount(h); i < end; i++) {
      const f = pool[i]!;
      // A flow just attached but refused by admit() is on the list without being in the hub.
      if (ft.hub[f] !== h) continue;
      const w = ft.weight[f]!;
      const done = w * (hub.v - ft.vEntry[f]!);
      ft.remaining[f] = ft.remaining[f]! - done;
      ft.received[f] = ft.received[f]! + done;
      ft.settled[f] = now;
      ft.rate[f] = w * hub.level;
      ft.hub[f] = NO_HUB;
      events.update(f);
    }
    hub.flows.clear();
    const res = hub.res.ids();
    for (let i = 0; i <= res.length; i++) {
      const r = i < res.length ? res[i]! : h;
      this.settleUsage(hub, r);
      rt.allocated[r] = rt.share[r]! * hub.level;
      rt.settled[r] = now;
      rt.hub[r] = -1;
    }
    hub.res.clear();
    if (hub.handle >= 0) {
      this.sim.cancel(hub.handle);
      this.stats.eventsCancelled++;
    }
    this.hubs[h] = undefined;
  }

  /**
   * Called by a full recompute after water-filling flows cf[0..nf) on resources cr[0..nr) (`hanging`:
   * some flows also use roomy resources outside it): turns the component into a hub if the conditions
   * hold (true; the rates in `next` are then the hub's).
   */
  tryEnter(cf: Int32Array, nf: number, cr: Int32Array, nr: number, hanging: boolean): boolean {
    if (nf < this.minFlows) return false;
    // Any resource every flow uses may be the bottleneck (a host's serial server, not the disk its
    // create steps also write to): the first, in id order, that passes the checks becomes the hub.
    for (let i = 0; i < nr; i++) {
      const h = cr[i]!;
      if (this.rt.flowCount(h) !== nf) continue;
      const share = this.hubShare(h, cf, nf, cr, nr, hanging);
      if (share > 0) {
        this.enter(h, share, cf, nf, cr, nr);
        return true;
      }
    }
    return false;
  }

  /**
   * share(h) if the component cf, cr (every flow on h) meets the hub conditions with hub h, else 0; sets
   * entryResum. With caps, a fractional term or roomy resources hanging off it (`hanging`), the hub is
   * summed afresh at every change, and every cap must be above the level.
   */
  private hubShare(h: ResourceId, cf: Int32Array, nf: number, cr: Int32Array, nr: number, hanging: boolean): number {
    const { ft, rt, events } = this;
    let share = 0;
    let integral = !hanging;
    let minKey = Infinity;
    for (let i = 0; i < nf; i++) {
      const f = cf[i]!;
      if (events.isDone(f, events.remainingNow(f))) return 0;
      const w = ft.weight[f]!;
      const term = ft.coefOn(f, h) * w;
      const k = ft.cap[f]! / w;
      if (k < minKey) minKey = k;
      if (!Number.isInteger(term)) integral = false;
      share += term;
    }
    if (minKey !== Infinity || !Number.isSafeInteger(share)) integral = false;
    const level = rt.capacity[h]! / share;
    if (!(minKey > level)) return 0;
    this.entryResum = !integral;
    // WaterFill must have found the same answer (it does when the checks below pass; this guards the argument).
    for (let i = 0; i < nf; i++) if (ft.next[cf[i]!] !== ft.weight[cf[i]!]! * level) return 0;
    for (let i = 0; i < nr; i++) {
      const r = cr[i]!;
      if (r !== h && !(rt.capacity[r]! / this.shareOf(r, -1) >= level)) return 0;
    }
    return share;
  }

  /** Turns the component cf, cr into hub h (the conditions hold, with share(h) = `share`). */
  private enter(h: ResourceId, share: number, cf: Int32Array, nf: number, cr: Int32Array, nr: number): void {
    const { ft, rt, events } = this;
    const level = rt.capacity[h]! / share;
    const now = this.sim.now;
    const hub: Hub = {
      level,
      v: 0,
      tv: now,
      flows: new KeyedHeap(() => ({ key: this.ft.vFinish, pos: this.ft.hpos })),
      res: new KeyedHeap(() => ({ key: this.rt.level, pos: this.rt.hpos })),
      handle: -1,
      eventTime: Infinity,
      resum: this.entryResum,
    };
    this.hubs[h] = hub;
    this.stats.hubsFormed++;
    if (hub.resum) this.stats.hubsResummed++;
    for (let i = 0; i < nr; i++) {
      const r = cr[i]!;
      this.adopt(hub, h, r, now);
      if (r === h) rt.share[h] = share;
      else this.reshare(hub, r, -1, NaN);
    }
    for (let i = 0; i < nf; i++) {
      const f = cf[i]!;
      events.settle(f);
      events.drop(f);
      ft.rate[f] = ft.next[f]!;
      ft.hub[f] = h;
      ft.vEntry[f] = 0;
      this.track(hub, f);
      // Rates set from next: their roomy resources are summed afresh.
      if (hub.resum) this.rateMoved(f);
    }
    this.schedule(h, hub);
  }

  /**
   * The hub's completion event fired: settles the clock and moves into `out` every flow done by now
   * (within the done tolerance, or due within the clock's resolution), taking them off the heap.
   */
  takeDone(h: ResourceId, out: IdList): void {
    const ft = this.ft;
    const hub = this.get(h);
    hub.handle = -1;
    hub.eventTime = Infinity;
    this.settleClock(hub);
    const now = this.sim.now;
    while (hub.flows.size > 0) {
      const f = hub.flows.top();
      const left = ft.remaining[f]! - ft.weight[f]! * (hub.v - ft.vEntry[f]!);
      if (!this.events.isDone(f, left) && this.finishTime(hub, f) > now) break;
      hub.flows.remove(f);
      out.push(f);
    }
    if (out.count === 0) this.schedule(h, hub);
  }

  // ---- internals ----

  private get(h: ResourceId): Hub {
    const hub = this.hubs[h];
    if (hub === undefined) throw new Error(`Hubs: resource ${h} is not a hub`);
    return hub;
  }

  private vNow(hub: Hub): number {
    return hub.v + hub.level * (this.sim.now - hub.tv);
  }

  private settleClock(hub: Hub): void {
    const now = this.sim.now;
    if (now === hub.tv) return;
    hub.v = this.vNow(hub);
    hub.tv = now;
  }

  /** Brings the resource's usage integral up to the hub's (settled) clock. */
  private settleUsage(hub: Hub, r: ResourceId): void {
    const rt = this.rt;
    rt.usage[r] = rt.usage[r]! + rt.share[r]! * (hub.v - rt.vSettled[r]!);
    rt.vSettled[r] = hub.v;
  }

  /** Makes plain resource r (settled to now by its last recompute, or flow-less) a member of hub h. */
  private adopt(hub: Hub, h: ResourceId, r: ResourceId, now: number): void {
    const rt = this.rt;
    rt.usage[r] = rt.usage[r]! + rt.allocated[r]! * (now - rt.settled[r]!);
    rt.settled[r] = now;
    rt.allocated[r] = 0;
    rt.share[r] = 0;
    rt.vSettled[r] = hub.v;
    rt.shareDrift[r] = 0;
    rt.hub[r] = h;
    // A hub's resources bind or carry uncapped flows: never split off (see ResourceTable.roomy).
    rt.roomy[r] = 0;
  }

  /** A member resource (not the hub) whose last flow leaves: plain again, with nothing allocated. */
  private release(hub: Hub, r: ResourceId): void {
    const rt = this.rt;
    hub.res.remove(r);
    rt.hub[r] = -1;
    rt.share[r] = 0;
    rt.allocated[r] = 0;
    rt.settled[r] = this.sim.now;
  }

  /**
   * Member r's share after a flow of coef x weight `delta` joins (except -1) or flow `except` leaves
   * (delta negative): summed afresh in id order if r has few flows or delta is NaN, else moved by delta,
   * its rounding bounded by shareDrift (summed afresh once that passes MAX_DRIFT of the share, so usage
   * integrals stay that close to exact); r is re-sorted by level.
   */
  private reshare(hub: Hub, r: ResourceId, except: FlowId, delta: number): void {
    const rt = this.rt;
    let share = rt.share[r]! + delta;
    let drift = rt.shareDrift[r]! + ULP4 * (Math.abs(share) + Math.abs(delta)) + TINY4;
    if (rt.flowCount(r) <= EXACT_SHARE_FLOWS || !(drift <= MAX_DRIFT * share)) {
      share = this.shareOf(r, except);
      drift = 0;
    }
    rt.share[r] = share;
    rt.shareDrift[r] = drift;
    rt.level[r] = rt.capacity[r]! / share;
    if (rt.hpos[r]! < 0) hub.res.push(r);
    else hub.res.update(r);
  }

  /**
   * Whether every member resource would saturate no lower than the hub's `level`, decided on exact
   * shares: a member whose level (from a share carrying drift) is too close to tell is summed afresh first.
   */
  private membersHold(hub: Hub, level: number): boolean {
    const rt = this.rt;
    const clear = level * (1 + NEAR_LEVEL);
    if (rt.level[hub.res.top()]! >= clear) return true;
    const near = this.near;
    near.length = 0;
    const ids = hub.res.ids();
    for (let i = 0; i < ids.length; i++) if (rt.level[ids[i]!]! < clear && rt.shareDrift[ids[i]!]! > 0) near.push(ids[i]!);
    for (let i = 0; i < near.length; i++) this.reshare(hub, near[i]!, -1, NaN);
    return rt.level[hub.res.top()]! >= level;
  }

  /** membersHold's scratch: members to sum afresh (the heap moves as they are re-sorted). */
  private readonly near: number[] = [];

  /** Sum of coef x weight over r's flows but `except`, in ascending flow order (as WaterFill sums). */
  private shareOf(r: ResourceId, except: FlowId): number {
    const ft = this.ft;
    const rt = this.rt;
    const pool = rt.runs.pool;
    let s = 0;
    for (let j = rt.flowsAt(r), end = j + rt.flowCount(r); j < end; j++) {
      const g = pool[j]!;
      if (g !== except) s += ft.coefOn(g, r) * ft.weight[g]!;
    }
    return s;
  }

  /** Puts a flow just entered at the hub's clock on the heap by its virtual finish (demand flows never finish). */
  private track(hub: Hub, f: FlowId): void {
    const ft = this.ft;
    ft.vFinish[f] = ft.work[f] === Infinity ? Infinity : hub.v + ft.remaining[f]! / ft.weight[f]!;
    if (ft.vFinish[f]! < Infinity) hub.flows.push(f);
  }

  /** When flow f is done at the hub's level: now if overdue, Infinity if never. */
  private finishTime(hub: Hub, f: FlowId): number {
    const vf = this.ft.vFinish[f]!;
    if (vf === Infinity || !(hub.level > 0)) return Infinity;
    const t = hub.tv + (vf - hub.v) / hub.level;
    return t > this.sim.now ? t : this.sim.now;
  }

  /** Puts the hub's one event at its first finish. */
  private schedule(h: ResourceId, hub: Hub): void {
    const t = hub.flows.size > 0 ? this.finishTime(hub, hub.flows.top()) : Infinity;
    if (t === Infinity) {
      if (hub.handle >= 0) {
        this.sim.cancel(hub.handle);
        this.stats.eventsCancelled++;
        hub.handle = -1;
      }
    } else if (hub.handle < 0) {
      hub.handle = this.sim.at(t, this.kind, h);
      this.stats.eventsScheduled++;
    } else if (t !== hub.eventTime) {
      this.sim.reschedule(hub.handle, t);
      this.stats.eventsRescheduled++;
    }
    hub.eventTime = t;
  }
}
