/**
 * FluidSharing: flows of work share resources at weighted max-min fair rates with caps, driven by a
 * Simulation. A change recomputes only the connected component it touches; each finite flow keeps one
 * pending completion event, moved only when its rate changes, and onDone fires when its work is done
 * (the events of a resource's flows share one engine event, re-keyed once per flush: completion-events.ts).
 * A large component whose flows all share one bottleneck (every pull through a registry) becomes a hub
 * (hub.ts): one level and a virtual clock set every rate, so an arrival or departure costs O(log n),
 * not O(n), and the hub keeps one completion event for all its flows.
 */
import type { Simulation } from "../engine/index.js";
import { CompletionEvents } from "./completion-events.js";
import { ACTIVE, FINISHING, FREE, FlowTable, NO_HUB } from "./flow-table.js";
import { HUB_MIN_FLOWS, Hubs } from "./hub.js";
import { IdList } from "./id-list.js";
import { IncrementalRates } from "./incremental-rates.js";
import { ResourceTable } from "./resource-table.js";
import { zeroStats, type FlowId, type FlowSpec, type ResourceId, type SharingStats } from "./types.js";

export class FluidSharing {
  readonly stats: SharingStats = zeroStats();


  private readonly sim: Simulation;
  private readonly ft = new FlowTable();
  private readonly rt = new ResourceTable();
  private readonly events: CompletionEvents;
  private readonly rates: IncrementalRates;
  private readonly hubs: Hubs;
  /** Open batch() calls, plus the completion handler while onDone callbacks run; flushes wait for 0. */
  private depth = 0;
  /** Completion handler scratch (the handler is never re-entered: the engine is not). */
  private readonly done = new IdList();

  /**
   * `hubMinFlows`: the fewest flows for which a one-bottleneck component becomes a hub (tests lower it).
   * `capsOnly`: false turns off the shortcut for a lone resource whose flows all get their caps (tests
   * compare both ways: rates and completions are identical, allocations and usage integrals equal up
   * to rounding; see IncrementalRates).
   */
  constructor(sim: Simulation, options: { readonly hubMinFlows?: number; readonly capsOnly?: boolean } = {}) {
    this.sim = sim;
    this.events = new CompletionEvents(sim, this.ft, (flow) => this.complete(flow), this.stats);
    const minFlows = options.hubMinFlows ?? HUB_MIN_FLOWS;
    this.hubs = new Hubs(sim, this.ft, this.rt, this.events, this.stats, minFlows, (hub) => this.completeHub(hub));
    this.rates = new IncrementalRates(this.ft, this.rt, this.events, this.stats, this.hubs, options.capsOnly ?? true);
  }

  /**
   * Room for `flows` flows live at once, allocated now rather than grown to, with the ids each
   * resource's chunks may leave unused (FlowTable.reserve): a run that knows its scale calls it once
   * its resources are added, before its first flow.
   */
  reserve(flows: number): void {
    this.ft.reserve(flows, this.rt.count);
  }

  // ---- resources ----

  /** Adds a resource of `capacity` units per second (finite, >= 0). */
  addResource(capacity: number, label?: string): ResourceId {
    checkCapacity(capacity);
    return this.rt.add(capacity, label ?? `r${this.rt.count}`, this.sim.now);
  }

  setCapacity(id: ResourceId, capacity: number): void {
    this.checkResource(id);
    checkCapacity(capacity);
    if (this.rt.capacity[id] === capacity) return;
    if (this.rt.hub[id]! >= 0) this.hubs.exit(this.rt.hub[id]!);
    this.rt.capacity[id] = capacity;
    this.rt.exact[id] = 0;
    this.rates.touchResource(id);
    this.flushUnlessBatched();
  }

  capacity(id: ResourceId): number {
    this.checkResource(id);
    return this.rt.capacity[id]!;
  }

  label(id: ResourceId): string {
    this.checkResource(id);
    return this.rt.labels[id]!;
  }

  get resourceCount(): number {
    return this.rt.count;
  }

  /** Sum of coef * rate over the resource's flows, now. */
  allocated(id: ResourceId): number {
    this.checkResource(id);
    this.rates.flush(this.sim.now);
    if (this.rt.hub[id]! >= 0) return this.hubs.allocated(id);
    return this.rt.allocated[id]!;
  }

  /** Integral of allocated() from the resource's creation to now; divide by capacity x time for utilisation. */
  usageIntegral(id: ResourceId): number {
    this.checkResource(id);
    // Pending recomputes take effect from now on, so they cannot change the integral up to now.
    const rt = this.rt;
    if (rt.hub[id]! >= 0) return this.hubs.usageIntegral(id);
    return rt.usage[id]! + rt.allocated[id]! * (this.sim.now - rt.settled[id]!);
  }

  // ---- flows ----

  /** Starts a flow now; its rate is set at once (or when the enclosing batch ends). */
  startFlow(spec: FlowSpec): FlowId {
    const work = spec.work;
    const weight = spec.weight ?? 1;
    const cap = spec.cap ?? Infinity;
    if (!(work >= 0)) throw new RangeError(`startFlow: work ${work} is not >= 0`);
    if (!(weight > 0 && weight < Infinity)) throw new RangeError(`startFlow: weight ${weight} is not finite and > 0`);
    if (!(cap >= 0)) throw new RangeError(`startFlow: cap ${cap} is not >= 0`);
    const n = spec.uses.length;
    if (n === 0 && cap === Infinity) throw new RangeError("startFlow: a flow that uses no resource needs a finite cap");
    const uses = spec.uses;
    for (let i = 0; i < n; i++) {
      const r = uses[i]!.resource;
      this.checkResource(r);
      const c = uses[i]!.coef ?? 1;
      if (!(c > 0 && c < Infinity)) throw new RangeError(`startFlow: coef ${c} on resource ${r} is not finite and > 0`);
      for (let j = 0; j < i; j++) if (uses[j]!.resource === r) throw new RangeError(`startFlow: resource ${r} is listed twice`);
    }
    const ft = this.ft;
    const f = ft.allocate(n > 0 ? uses[0]!.resource : -1);
    ft.work[f] = work;
    ft.remaining[f] = work;
    ft.received[f] = 0;
    ft.settled[f] = this.sim.now;
    ft.rate[f] = 0;
    ft.weight[f] = weight;
    ft.cap[f] = cap;
    ft.eventTime[f] = Infinity;
    ft.state[f] = ACTIVE;
    ft.hub[f] = NO_HUB;
    ft.setUses(f, uses);
    ft.setOnDone(f, spec.onDone);
    ft.active++;
    for (let i = 0; i < n; i++) this.rt.attach(uses[i]!.resource, f, n > 1, i > 0);
    // Zero work is done at once, whatever rate it gets (never in a hub: it would not be admitted).
    if (!this.hubs.admit(f)) this.events.update(f);
    this.rates.touchFlow(f);
    this.flushUnlessBatched();
    return f;
  }

  /** Removes an active flow without calling onDone; returns its remaining work. */
  cancelFlow(id: FlowId): number {
    this.checkActive(id);
    this.detach(id);
    const left = Math.max(0, this.ft.remaining[id]!);
    this.ft.release(id);
    this.flushUnlessBatched();
    return left;
  }

  /** Changes a flow's cap (e.g. its demand); rates are recomputed. True if the cap changed. */
  setCap(id: FlowId, cap: number): boolean {
    this.checkActive(id);
    const ft = this.ft;
    if (!(cap >= 0)) throw new RangeError(`setCap: cap ${cap} is not >= 0`);
    if (cap === Infinity && ft.nuses[id] === 0) {
      throw new RangeError("setCap: a flow that uses no resource needs a finite cap");
    }
    const old = ft.cap[id]!;
    if (old === cap) return false;
    if (ft.hub[id]! >= 0) this.hubs.exit(ft.hub[id]!);
    ft.cap[id] = cap;
    this.rates.touchFlow(id, old);
    this.flushUnlessBatched();
    return true;
  }

  cap(id: FlowId): number {
    this.checkKnown(id);
    return this.ft.cap[id]!;
  }

  /** Current rate (0 once the flow is done). */
  rate(id: FlowId): number {
    this.checkKnown(id);
    this.rates.flush(this.sim.now);
    if (this.ft.hub[id]! >= 0) return this.hubs.rate(id);
    return this.ft.rate[id]!;
  }

  /**
   * rate() of flows ids[0..n) into out[0..n), 0 where the id is negative: one flush for all of them.
   * The bulk reads (this, addRatesTo, receivedInto) refuse an unknown id as checkKnown does, but from
   * the hub column they load anyway (FREE_HUB exactly while an id is free), not `state`: a sample
   * reads a million flows, and one more column is one more cache miss each.
   */
  ratesInto(ids: Int32Array, n: number, out: Float64Array): void {
    this.rates.flush(this.sim.now);
    const ft = this.ft;
    for (let i = 0; i < n; i++) {
      const f = ids[i]!;
      if (f < 0) {
        out[i] = 0;
        continue;
      }
      const h = ft.hub[f]!;
      this.checkListed(f, h);
      out[i] = h >= 0 ? this.hubs.rate(f) : ft.rate[f]!;
    }
  }

  /**
   * Adds rate() of each flow in `ids` to out[at], in list order (the same sum as a loop over rate()):
   * one flush for all, and no rate handed back as a boxed number per flow.
   */
  addRatesTo(ids: readonly FlowId[], out: Float64Array, at: number): void {
    this.rates.flush(this.sim.now);
    const ft = this.ft;
    for (let i = 0; i < ids.length; i++) {
      const f = ids[i]!;
      const h = ft.hub[f]!;
      this.checkListed(f, h);
      out[at] = out[at]! + (h >= 0 ? this.hubs.rate(f) : ft.rate[f]!);
    }
  }

  /** Work left, as of now (Infinity for demand flows). */
  remaining(id: FlowId): number {
    this.checkKnown(id);
    const left = this.ft.hub[id]! >= 0 ? this.hubs.remaining(id) : this.events.remainingNow(id);
    return left > 0 ? left : 0;
  }

  /** Integral of the flow's rate from its start to now. */
  received(id: FlowId): number {
    this.checkKnown(id);
    const ft = this.ft;
    if (ft.hub[id]! >= 0) return this.hubs.received(id);
    return ft.received[id]! + ft.rate[id]! * (this.sim.now - ft.settled[id]!);
  }

  /** received() of flows ids[0..n) into out[0..n), 0 where the id is negative: no float handed back per flow. */
  receivedInto(ids: Int32Array, n: number, out: Float64Array): void {
    const ft = this.ft;
    const now = this.sim.now;
    for (let i = 0; i < n; i++) {
      const f = ids[i]!;
      if (f < 0) {
        out[i] = 0;
        continue;
      }
      const h = ft.hub[f]!;
      this.checkListed(f, h);
      out[i] = h >= 0 ? this.hubs.received(f) : ft.received[f]! + ft.rate[f]! * (now - ft.settled[f]!);
    }
  }

  /** Simulated time the flow will be done at its current rate; Infinity if never (rate 0, or a demand flow). */
  completionTime(id: FlowId): number {
    this.checkKnown(id);
    this.rates.flush(this.sim.now);
    if (this.ft.hub[id]! >= 0) return this.hubs.completionTime(id);
    return this.ft.state[id] === ACTIVE ? this.ft.eventTime[id]! : this.sim.now;
  }

  /** True from startFlow until the flow is done or cancelled. */
  isActive(id: FlowId): boolean {
    return Number.isInteger(id) && id >= 0 && id < this.ft.highWater && this.ft.state[id] === ACTIVE;
  }

  get activeFlows(): number {
    return this.ft.active;
  }

  /** Runs fn with recomputes deferred to its end: starting N flows then costs one recompute, not N. */
  batch<T>(fn: () => T): T {
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
      this.flushUnlessBatched();
    }
  }

  /** As batch(), for fn(arg): a caller passing a method made once and its argument makes no closure per call. */
  batchWith<A, T>(fn: (arg: A) => T, arg: A): T {
    this.depth++;
    try {
      return fn(arg);
    } finally {
      this.depth--;
      this.flushUnlessBatched();
    }
  }

  /** Recomputes every component from scratch; for tests (incremental must match it bit for bit). */
  recomputeAll(): void {
    this.rates.touchAll();
    this.flushUnlessBatched();
  }

  // ---- internals ----

  /**
   * Outside batches: recomputes what changed, then re-keys the engine events of the completion groups
   * it moved (once each, however many of their flows moved), before control can return to the engine.
   */
  private flushUnlessBatched(): void {
    if (this.depth !== 0) return;
    this.rates.flush(this.sim.now);
    this.events.sync();
  }

  /** Completion event of `flow`: it and any neighbour done by now leave together, then their onDone run. */
  private complete(flow: FlowId): void {
    const { ft, events } = this;
    if (ft.state[flow] !== ACTIVE) throw new Error(`FluidSharing: completion event for inactive flow ${flow}`);
    // Rates must be current before time moves on; a batch spanning sim.run() would leave them stale.
    if (this.depth !== 0) throw new Error("FluidSharing: the simulation ran inside batch()");
    events.fired(flow);
    events.settle(flow);
    const now = this.sim.now;
    const rest = ft.remaining[flow]!;
    // Rounding of the event time can leave a sliver: wait for it, unless it is below the clock's resolution.
    if (!events.isSettledDone(flow) && now + rest / ft.rate[flow]! > now) {
      events.update(flow);
      return;
    }
    // Flows sharing a resource often finish together (equal work at equal rates): one recompute for all.
    const done = this.done;
    done.clear();
    done.push(flow);
    ft.state[flow] = FINISHING;
    // When no neighbour's event can be close enough to count as done now (the usual case), none is read.
    if (events.othersMayBeDone(flow, this.rt.foreign)) {
      // Only flows with a pending event can be done: the others (demand flows, most of a host's) fail
      // the first test on one read, which costs less than keeping a second list per resource of the timed ones.
      const { rt } = this;
      const pool = rt.runs.pool;
      const n = ft.nuses[flow]!;
      for (let i = 0; i < n; i++) {
        const r = ft.useAt(flow, i);
        const count = rt.flowCount(r);
        this.stats.dueRead += count;
        for (let j = rt.flowsAt(r), end = j + count; j < end; j++) {
          const g = pool[j]!;
          // doneFrom is Infinity without a pending event and never after the exact test would say done.
          if (ft.doneFrom[g]! > now || ft.state[g] !== ACTIVE || !events.isDone(g, events.remainingNow(g))) continue;
          ft.state[g] = FINISHING;
          done.push(g);
        }
      }
    }
    this.finish();
  }

  /** The hub's completion event: every hub flow done by now leaves, as in complete(). */
  private completeHub(hub: ResourceId): void {
    if (this.depth !== 0) throw new Error("FluidSharing: the simulation ran inside batch()");
    const done = this.done;
    done.clear();
    this.hubs.takeDone(hub, done);
    const n = done.count;
    if (n === 0) return;
    for (let i = 0; i < n; i++) this.ft.state[done.ids[i]!] = FINISHING;
    this.finish();
  }

  /** Flows done now (state FINISHING) leave together, in id order, then their onDone run. */
  private finish(): void {
    const ft = this.ft;
    this.done.sort();
    // Read after the sort: it sorts in place, and nothing below adds to the list.
    const done = this.done.ids;
    const n = this.done.count;
    for (let i = 0; i < n; i++) {
      const g = done[i]!;
      this.detach(g);
      ft.remaining[g] = 0;
    }
    this.stats.completions += n;
    // onDone may start, cancel or re-cap flows: defer all of it to one flush, and free the ids only after.
    this.depth++;
    try {
      for (let i = 0; i < n; i++) {
        const g = done[i]!;
        const onDone = ft.onDoneOf(g);
        if (onDone !== undefined) onDone(g);
      }
    } finally {
      for (let i = 0; i < n; i++) ft.release(done[i]!);
      this.depth--;
      this.flushUnlessBatched();
    }
  }

  /** Takes a flow out of sharing: settled, event dropped, rate 0, its resources queued for recompute. */
  private detach(f: FlowId): void {
    const ft = this.ft;
    if (ft.hub[f]! >= 0) this.hubs.leave(f);
    this.events.settle(f);
    this.events.drop(f);
    ft.state[f] = FINISHING;
    ft.active--;
    const n = ft.nuses[f]!;
    for (let i = 0; i < n; i++) {
      this.rt.detach(ft.useAt(f, i), f, n > 1, i > 0);
      this.rates.noteLeave(f, i, this.sim.now);
    }
    ft.rate[f] = 0;
  }

  private checkResource(id: ResourceId): void {
    if (!(Number.isInteger(id) && id >= 0 && id < this.rt.count)) throw new RangeError(`FluidSharing: no resource ${id}`);
  }

  /** checkKnown(id) for a bulk read that loaded `hub`, the id's hub: FREE_HUB (a free id) or anything but a hub or NO_HUB fails. */
  private checkListed(id: FlowId, hub: number): void {
    if (!(hub >= NO_HUB && id < this.ft.highWater)) this.checkKnown(id);
  }

  /** Active flows, and finished ones while their onDone runs. */
  private checkKnown(id: FlowId): void {
    if (!(Number.isInteger(id) && id >= 0 && id < this.ft.highWater && this.ft.state[id] !== FREE)) {
      throw new RangeError(`FluidSharing: no flow ${id}`);
    }
  }

  private checkActive(id: FlowId): void {
    if (!this.isActive(id)) throw new RangeError(`FluidSharing: flow ${id} is not active`);
  }
}

function checkCapacity(capacity: number): void {
  if (!(capacity >= 0 && capacity < Infinity)) throw new RangeError(`FluidSharing: capacity ${capacity} is not finite and >= 0`);
}
