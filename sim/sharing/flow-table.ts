/**
 * FlowTable: every flow's state as parallel typed arrays indexed by flow id, with a free list so ids
 * are reused and a flow costs no allocation beyond its list of uses. Pure storage: no policy here.
 */
import { grown } from "./grow.js";
import type { FlowId, OnDone } from "./types.js";

/** Lifecycle of an id: FREE (unused), ACTIVE (sharing), FINISHING (done, its onDone is running). */
export const FREE = 0;
export const ACTIVE = 1;
export const FINISHING = 2;

const NO_RESOURCES: readonly number[] = [];

export class FlowTable {
  /** Initial work; its tolerance decides when the flow is done. */
  work = new Float64Array(16);
  /** Remaining work as of `settled[f]`. */
  remaining = new Float64Array(16);
  /** Work received (integral of rate) as of `settled[f]`. */
  received = new Float64Array(16);
  /** Time remaining and received were last brought up to date; the rate has been constant since. */
  settled = new Float64Array(16);
  rate = new Float64Array(16);
  weight = new Float64Array(16);
  cap = new Float64Array(16);
  /** Time of the pending completion event, Infinity when none. */
  eventTime = new Float64Array(16).fill(Infinity);
  /** Engine handle of the pending completion event, -1 when none (handles can exceed 2^31). */
  handle = new Float64Array(16).fill(-1);
  state = new Uint8Array(16);
  /** Set while a resource-less flow waits in the recompute queue. */
  dirty = new Uint8Array(16);
  /** Walk epoch that last visited the flow (see ComponentWalker); float so it never wraps. */
  stamp = new Float64Array(16);
  /** Water-filling scratch: cap / weight, the level at which the cap binds. */
  key = new Float64Array(16);
  /** Water-filling scratch: the newly computed rate. */
  next = new Float64Array(16);
  /** Water-filling scratch: 1 once the rate is fixed. */
  frozen = new Uint8Array(16);
  /** Hub the flow is in (see hub.ts), -1 when its rate is its own. */
  hub = new Int32Array(16).fill(-1);
  /** In a hub: the hub's virtual clock when remaining and received were last settled. */
  vEntry = new Float64Array(16);
  /** In a hub: the virtual time its work is done (Infinity for demand flows); the hub's heap key. */
  vFinish = new Float64Array(16);
  /** Position in the hub's heap of flows, -1 when absent. */
  hpos = new Int32Array(16).fill(-1);
  /** 1 if the flow uses exactly one resource (its coefficient is coef0), else 0. */
  lone = new Uint8Array(16);
  /** First resource used (-1 if none) and its coefficient (0 if none): typed copies of uses[f][0] and coefs[f][0] for hot loops. */
  use0 = new Int32Array(16).fill(-1);
  coef0 = new Float64Array(16);
  /** Resources used and their coefficients, in the order given. */
  uses: (readonly number[])[] = [];
  coefs: (readonly number[])[] = [];
  onDone: (OnDone | undefined)[] = [];
  /** Number of ACTIVE flows. */
  active = 0;

  private freeIds = new Int32Array(16);
  private freeCount = 0;
  /** Ids at or above this have never been used. */
  private fresh = 0;

  /** One past the highest id ever handed out. */
  get highWater(): number {
    return this.fresh;
  }

  /** Hands out an id (the most recently freed first); the caller fills in its state. */
  allocate(): FlowId {
    if (this.freeCount > 0) return this.freeIds[--this.freeCount]!;
    const f = this.fresh++;
    if (f >= this.work.length) this.grow(f + 1);
    return f;
  }

  release(f: FlowId): void {
    this.state[f] = FREE;
    this.uses[f] = NO_RESOURCES;
    this.coefs[f] = NO_RESOURCES;
    this.onDone[f] = undefined;
    this.freeIds[this.freeCount++] = f;
  }

  private grow(length: number): void {
    this.work = grown(this.work, length);
    this.remaining = grown(this.remaining, length);
    this.received = grown(this.received, length);
    this.settled = grown(this.settled, length);
    this.rate = grown(this.rate, length);
    this.weight = grown(this.weight, length);
    this.cap = grown(this.cap, length);
    this.eventTime = grown(this.eventTime, length, Infinity);
    this.handle = grown(this.handle, length, -1);
    this.state = grown(this.state, length);
    this.dirty = grown(this.dirty, length);
    this.stamp = grown(this.stamp, length);
    this.key = grown(this.key, length);
    this.next = grown(this.next, length);
    this.frozen = grown(this.frozen, length);
    this.hub = grown(this.hub, length, -1);
    this.vEntry = grown(this.vEntry, length);
    this.vFinish = grown(this.vFinish, length);
    this.hpos = grown(this.hpos, length, -1);
    this.lone = grown(this.lone, length);
    this.use0 = grown(this.use0, length, -1);
    this.coef0 = grown(this.coef0, length);
    this.freeIds = grown(this.freeIds, length);
  }
}
