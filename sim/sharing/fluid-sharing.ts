/**
 * FluidSharing: flows of work share resources at weighted max-min fair rates with caps, driven by a
 * Simulation. A change recomputes only the connected component it touches; each finite flow keeps one
 * pending completion event, moved only when its rate changes, and onDone fires when its work is done.
 */
import type { Simulation } from "../engine/index.js";
import { ComponentWalker } from "./component.js";
import { ACTIVE, FINISHING, FREE, FlowTable } from "./flow-table.js";
import { ResourceTable } from "./resource-table.js";
import type { FlowId, FlowSpec, ResourceId, SharingStats } from "./types.js";
import { WaterFill } from "./water-fill.js";

/** Remaining work at or below this fraction of max(1, initial work) counts as done (absorbs rounding). */
const DONE_TOLERANCE = 1e-9;

export class FluidSharing {
  readonly stats: SharingStats = {
    recomputes: 0,
    flowsVisited: 0,
    eventsScheduled: 0,
    eventsRescheduled: 0,
    eventsCancelled: 0,
    completions: 0,
  };

  private readonly sim: Simulation;
  private readonly kind: number;
  private readonly ft = new FlowTable();
  private readonly rt = new ResourceTable();
  private readonly walker = new ComponentWalker();
  private readonly filler = new WaterFill();
  /** Open batch() calls (plus the completion handler); recomputes wait until it is back to 0. */
  private depth = 0;
  /** Seeds of pending recomputes, in the order they were touched: resources, and flows that use none. */
  private readonly dirtyRes: number[] = [];
  private readonly dirtyFlows: number[] = [];
  /** Completion handler scratch (the handler is never re-entered: the engine is not). */
  private readonly done: number[] = [];

  constructor(sim: Simulation) {
    this.sim = sim;
    this.kind = sim.register((flow) => this.complete(flow));
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
    this.rt.capacity[id] = capacity;
    this.touchResource(id);
    if (this.depth === 0) this.flush();
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
    this.flush();
    return this.rt.allocated[id]!;
  }

  /** Integral of allocated() from the resource's creation to now; divide by capacity x time for utilisation. */
  usageIntegral(id: ResourceId): number {
    this.checkResource(id);
    // Pending recomputes take effect from now on, so they cannot change the integral up to now.
    const rt = this.rt;
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
    const uses = new Array<number>(n);
    const coefs = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const use = spec.uses[i]!;
      const r = use.resource;
      this.checkResource(r);
      const c = use.coef ?? 1;
      if (!(c > 0 && c < Infinity)) throw new RangeError(`startFlow: coef ${c} on resource ${r} is not finite and > 0`);
      for (let j = 0; j < i; j++) if (uses[j] === r) throw new RangeError(`startFlow: resource ${r} is listed twice`);
      uses[i] = r;
      coefs[i] = c;
    }
    const ft = this.ft;
    const f = ft.allocate();
    ft.work[f] = work;
    ft.remaining[f] = work;
    ft.received[f] = 0;
    ft.settled[f] = this.sim.now;
    ft.rate[f] = 0;
    ft.weight[f] = weight;
    ft.cap[f] = cap;
    ft.eventTime[f] = Infinity;
    ft.handle[f] = -1;
    ft.state[f] = ACTIVE;
    ft.uses[f] = uses;
    ft.coefs[f] = coefs;
    ft.onDone[f] = spec.onDone;
    ft.active++;
    for (let i = 0; i < n; i++) this.rt.attach(uses[i]!, f);
    // Zero work is done at once, whatever rate it gets.
    this.updateEvent(f);
    this.touchFlow(f);
    if (this.depth === 0) this.flush();
    return f;
  }

  /** Removes an active flow without calling onDone; returns its remaining work. */
  cancelFlow(id: FlowId): number {
    this.checkActive(id);
    const ft = this.ft;
    this.detach(id);
    const left = Math.max(0, ft.remaining[id]!);
    ft.release(id);
    if (this.depth === 0) this.flush();
    return left;
  }

  /** Changes a flow's cap (e.g. its demand); rates are recomputed. */
  setCap(id: FlowId, cap: number): void {
    this.checkActive(id);
    if (!(cap >= 0)) throw new RangeError(`setCap: cap ${cap} is not >= 0`);
    const ft = this.ft;
    if (cap === Infinity && ft.uses[id]!.length === 0) {
      throw new RangeError("setCap: a flow that uses no resource needs a finite cap");
    }
    if (ft.cap[id] === cap) return;
    ft.cap[id] = cap;
    this.touchFlow(id);
    if (this.depth === 0) this.flush();
  }

  cap(id: FlowId): number {
    this.checkKnown(id);
    return this.ft.cap[id]!;
  }

  /** Current rate (0 once the flow is done). */
  rate(id: FlowId): number {
    this.checkKnown(id);
    this.flush();
    return this.ft.rate[id]!;
  }

  /** Work left, as of now (Infinity for demand flows). */
  remaining(id: FlowId): number {
    this.checkKnown(id);
    const ft = this.ft;
    const left = ft.remaining[id]! - ft.rate[id]! * (this.sim.now - ft.settled[id]!);
    return left > 0 ? left : 0;
  }

  /** Integral of the flow's rate from its start to now. */
  received(id: FlowId): number {
    this.checkKnown(id);
    const ft = this.ft;
    return ft.received[id]! + ft.rate[id]! * (this.sim.now - ft.settled[id]!);
  }

  /** Simulated time the flow will be done at its current rate; Infinity if never (rate 0, or a demand flow). */
  completionTime(id: FlowId): number {
    this.checkKnown(id);
    this.flush();
    return this.ft.state[id] === ACTIVE ? this.ft.eventTime[id]! : this.sim.now;
  }

  /** True from startFlow until the flow is done or cancelled. */
  isActive(id: FlowId): boolean {
    return id >= 0 && id < this.ft.highWater && this.ft.state[id] === ACTIVE;
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
      if (--this.depth === 0) this.flush();
    }
  }

  /** Recomputes every component from scratch; for tests (incremental must match it bit for bit). */
  recomputeAll(): void {
    for (let r = 0; r < this.rt.count; r++) this.touchResource(r);
    const ft = this.ft;
    for (let f = 0; f < ft.highWater; f++) if (ft.state[f] === ACTIVE && ft.uses[f]!.length === 0) this.touchFlow(f);
    if (this.depth === 0) this.flush();
  }

  // ---- internals ----

  private touchResource(r: ResourceId): void {
    if (this.rt.dirty[r] === 1) return;
    this.rt.dirty[r] = 1;
    this.dirtyRes.push(r);
  }

  private touchFlow(f: FlowId): void {
    const uses = this.ft.uses[f]!;
    if (uses.length > 0) {
      for (let i = 0; i < uses.length; i++) this.touchResource(uses[i]!);
    } else if (this.ft.dirty[f] === 0) {
      this.ft.dirty[f] = 1;
      this.dirtyFlows.push(f);
    }
  }

  /** Recomputes every component touched since the last flush, each once. */
  private flush(): void {
    const dr = this.dirtyRes;
    const df = this.dirtyFlows;
    if (dr.length === 0 && df.length === 0) return;
    const { ft, rt, walker } = this;
    walker.begin();
    for (let i = 0; i < dr.length; i++) {
      const r = dr[i]!;
      rt.dirty[r] = 0;
      if (walker.collectFrom(r, ft, rt)) this.recompute();
    }
    for (let i = 0; i < df.length; i++) {
      const f = df[i]!;
      ft.dirty[f] = 0;
      // The id may have been freed, or reused by a flow with resources (whose resources are queued).
      if (ft.state[f] !== ACTIVE || ft.uses[f]!.length > 0) continue;
      walker.collectFlow(f, ft);
      this.recompute();
    }
    dr.length = 0;
    df.length = 0;
  }

  /** New rates for the walker's component; only flows whose rate changes are settled and rescheduled. */
  private recompute(): void {
    const { ft, rt, walker } = this;
    const now = this.sim.now;
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
    }
    this.filler.fill(ft, rt, cf, nf, cr, nr);
    for (let i = 0; i < nf; i++) {
      const f = cf[i]!;
      const rate = ft.next[f]!;
      if (rate !== ft.rate[f]) {
        this.settle(f);
        ft.rate[f] = rate;
        this.updateEvent(f);
      }
      if (rate === 0) continue;
      const uses = ft.uses[f]!;
      const coefs = ft.coefs[f]!;
      for (let j = 0; j < uses.length; j++) {
        const r = uses[j]!;
        rt.allocated[r] = rt.allocated[r]! + coefs[j]! * rate;
      }
    }
  }

  /** Brings remaining and received up to now at the current rate (call before the rate changes). */
  private settle(f: FlowId): void {
    const ft = this.ft;
    const now = this.sim.now;
    const dt = now - ft.settled[f]!;
    if (dt === 0) return;
    const done = ft.rate[f]! * dt;
    ft.remaining[f] = ft.remaining[f]! - done;
    ft.received[f] = ft.received[f]! + done;
    ft.settled[f] = now;
  }

  /** Puts the completion event of a just-settled flow where its remaining work and rate say. */
  private updateEvent(f: FlowId): void {
    const ft = this.ft;
    const sim = this.sim;
    const left = ft.remaining[f]!;
    const rate = ft.rate[f]!;
    let t = Infinity;
    if (left <= DONE_TOLERANCE * Math.max(1, ft.work[f]!)) t = sim.now;
    else if (rate > 0) t = sim.now + left / rate; // Infinity for demand flows, or if it overflows
    const h = ft.handle[f]!;
    if (t === Infinity) {
      if (h >= 0) {
        sim.cancel(h);
        ft.handle[f] = -1;
        this.stats.eventsCancelled++;
      }
    } else if (h < 0) {
      ft.handle[f] = sim.at(t, this.kind, f);
      this.stats.eventsScheduled++;
    } else if (t !== ft.eventTime[f]) {
      sim.reschedule(h, t);
      this.stats.eventsRescheduled++;
    }
    ft.eventTime[f] = t;
  }

  /** Completion event of flow `flow`: it and any neighbour done by now leave, then their onDone run. */
  private complete(flow: FlowId): void {
    const ft = this.ft;
    if (ft.state[flow] !== ACTIVE) throw new Error(`FluidSharing: completion event for inactive flow ${flow}`);
    // Rates must be current before time moves on; a batch spanning sim.run() would leave them stale.
    if (this.depth !== 0) throw new Error("FluidSharing: the simulation ran inside batch()");
    // The firing event is consumed by the engine: forget its handle so nothing tries to move it.
    ft.handle[flow] = -1;
    ft.eventTime[flow] = Infinity;
    this.settle(flow);
    const now = this.sim.now;
    const rest = ft.remaining[flow]!;
    // Rounding of the event time can leave a sliver: wait for it, unless it is below the clock's resolution.
    if (rest > DONE_TOLERANCE * Math.max(1, ft.work[flow]!) && now + rest / ft.rate[flow]! > now) {
      this.updateEvent(flow);
      return;
    }
    // Flows sharing a resource often finish together (equal work, equal rate): one recompute for all.
    const done = this.done;
    done.length = 0;
    done.push(flow);
    ft.state[flow] = FINISHING;
    const uses = ft.uses[flow]!;
    for (let i = 0; i < uses.length; i++) {
      const list = this.rt.flows[uses[i]!]!;
      for (let j = 0; j < list.length; j++) {
        const g = list[j]!;
        if (ft.state[g] !== ACTIVE || ft.handle[g]! < 0) continue;
        const left = ft.remaining[g]! - ft.rate[g]! * (now - ft.settled[g]!);
        if (left > DONE_TOLERANCE * Math.max(1, ft.work[g]!)) continue;
        ft.state[g] = FINISHING;
        done.push(g);
      }
    }
    if (done.length > 1) done.sort(ascending);
    for (let i = 0; i < done.length; i++) {
      const g = done[i]!;
      this.detach(g);
      ft.state[g] = FINISHING;
      ft.remaining[g] = 0;
    }
    this.stats.completions += done.length;
    // onDone may start, cancel or re-cap flows: defer all of it to one flush, and free the ids only after.
    this.depth++;
    try {
      for (let i = 0; i < done.length; i++) {
        const g = done[i]!;
        const onDone = ft.onDone[g];
        if (onDone !== undefined) onDone(g);
      }
    } finally {
      for (let i = 0; i < done.length; i++) ft.release(done[i]!);
      if (--this.depth === 0) this.flush();
    }
  }

  /** Takes an active flow out of sharing: settled, event dropped, resources queued for recompute. */
  private detach(f: FlowId): void {
    const ft = this.ft;
    this.settle(f);
    const h = ft.handle[f]!;
    if (h >= 0) {
      this.sim.cancel(h);
      this.stats.eventsCancelled++;
    }
    ft.handle[f] = -1;
    ft.eventTime[f] = Infinity;
    ft.rate[f] = 0;
    ft.state[f] = FINISHING;
    ft.active--;
    const uses = ft.uses[f]!;
    for (let i = 0; i < uses.length; i++) {
      this.rt.detach(uses[i]!, f);
      this.touchResource(uses[i]!);
    }
  }

  private checkResource(id: ResourceId): void {
    if (!(Number.isInteger(id) && id >= 0 && id < this.rt.count)) throw new RangeError(`FluidSharing: no resource ${id}`);
  }

  private checkKnown(id: FlowId): void {
    if (!(Number.isInteger(id) && id >= 0 && id < this.ft.highWater && this.ft.state[id] !== FREE)) {
      throw new RangeError(`FluidSharing: no flow ${id}`);
    }
  }

  private checkActive(id: FlowId): void {
    if (!this.isActive(id)) throw new RangeError(`FluidSharing: flow ${id} is not active`);
  }
}

function ascending(a: number, b: number): number {
  return a - b;
}

function checkCapacity(capacity: number): void {
  if (!(capacity >= 0 && capacity < Infinity)) throw new RangeError(`FluidSharing: capacity ${capacity} is not finite and >= 0`);
}
