/**
 * FlowTable: every flow's state as parallel typed arrays indexed by flow id, with free lists so ids
 * are reused and a flow of one or two resources costs no allocation at all (only wider flows keep their
 * list of uses as arrays). Pure storage: no policy here.
 */
import { grown } from "./grow.js";
import type { FlowId, OnDone, Use } from "./types.js";

/** Lifecycle of an id: FREE (unused), ACTIVE (sharing), FINISHING (done, its onDone is running). */
export const FREE = 0;
export const ACTIVE = 1;
export const FINISHING = 2;

const NO_RESOURCES: readonly number[] = [];
const NO_USES: readonly Use[] = [];

/** Ids per chunk: 8 doubles are one 64-byte cache line. */
const CHUNK = 8;

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
  /**
   * With a pending event: a time at or before the earliest at which the flow counts as done (see
   * CompletionEvents.update), so gathering the flows done with a completion reads only this for most; else Infinity.
   */
  doneFrom = new Float64Array(16).fill(Infinity);
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
  /** Number of resources used. */
  nuses = new Int32Array(16);
  /**
   * First and second resource used (-1 if none) and their coefficients (0 if none), read next to the
   * flow's other columns (through useAt and coefAt for any position).
   */
  use0 = new Int32Array(16).fill(-1);
  coef0 = new Float64Array(16);
  use1 = new Int32Array(16).fill(-1);
  coef1 = new Float64Array(16);
  /**
   * For a flow of more than two resources only: all its resources and coefficients, in the order given
   * (the shared empty list otherwise). A million long-lived one- or two-resource flows would otherwise be
   * two million old-generation arrays every major GC walks.
   */
  private wideUses: (readonly number[])[] = [];
  private wideCoefs: (readonly number[])[] = [];
  onDone: (OnDone | undefined)[] = [];
  /** Number of ACTIVE flows. */
  active = 0;

  /**
   * Ids are handed out in chunks of CHUNK consecutive ids, each chunk owned by one resource (the first
   * a flow uses; -1 for resource-less flows): a flow takes a free id from its resource's chunks,
   * so the flows of one resource (a host's CPU) sit near each other in every column and a pass over a
   * resource's flows reads a few cache lines per column instead of one per flow.
   */
  private owner = new Int32Array(16);
  /** Per owner (index near + 1): its most recently freed id, -1 when it has none free. */
  private freeHead = new Int32Array(16).fill(-1);
  /** Per free id: the owner's next free id (a stack threaded through the ids), -1 at the bottom. */
  private nextFree = new Int32Array(16);
  /** Ids at or above this have never been used. */
  private fresh = 0;

  /** The k-th resource flow f uses, k < nuses[f]. */
  useAt(f: FlowId, k: number): number {
    return k === 0 ? this.use0[f]! : k === 1 ? this.use1[f]! : this.wideUses[f]![k]!;
  }

  /** The coefficient of the k-th resource flow f uses, k < nuses[f]. */
  coefAt(f: FlowId, k: number): number {
    return k === 0 ? this.coef0[f]! : k === 1 ? this.coef1[f]! : this.wideCoefs[f]![k]!;
  }

  /** The position of resource r among flow f's resources, -1 if f does not use it. */
  indexOfUse(f: FlowId, r: number): number {
    if (this.use0[f] === r) return 0;
    if (this.use1[f] === r) return 1;
    return this.nuses[f]! > 2 ? this.wideUses[f]!.indexOf(r) : -1;
  }

  /** The coefficient of flow f on resource r, which f uses. */
  coefOn(f: FlowId, r: number): number {
    return this.coefAt(f, this.indexOfUse(f, r));
  }

  /** Stores flow f's resources and coefficients (coef defaults to 1), in the order given; checked by the caller. */
  setUses(f: FlowId, uses: readonly Use[]): void {
    const n = uses.length;
    // Only a flow of more than two resources has wide lists: the others' are the shared empty one already.
    const wasWide = this.nuses[f]! > 2;
    this.nuses[f] = n;
    this.lone[f] = n === 1 ? 1 : 0;
    this.use0[f] = n > 0 ? uses[0]!.resource : -1;
    this.coef0[f] = n > 0 ? (uses[0]!.coef ?? 1) : 0;
    this.use1[f] = n > 1 ? uses[1]!.resource : -1;
    this.coef1[f] = n > 1 ? (uses[1]!.coef ?? 1) : 0;
    if (n > 2) {
      this.wideUses[f] = uses.map((u) => u.resource);
      this.wideCoefs[f] = uses.map((u) => u.coef ?? 1);
    } else if (wasWide) {
      // Not read otherwise: for most flows the per-flow object column would be one more cache miss.
      this.wideUses[f] = NO_RESOURCES;
      this.wideCoefs[f] = NO_RESOURCES;
    }
  }

  /** One past the highest id ever handed out. */
  get highWater(): number {
    return this.fresh;
  }

  /** Hands out an id near resource `near`'s other flows (-1: a flow that uses none); the caller fills in its state. */
  allocate(near: number): FlowId {
    const k = near + 1;
    if (k >= this.freeHead.length) this.freeHead = grown(this.freeHead, k + 1, -1);
    const head = this.freeHead[k]!;
    if (head >= 0) {
      this.freeHead[k] = this.nextFree[head]!;
      return head;
    }
    const f = this.fresh;
    this.fresh += CHUNK;
    if (this.fresh > this.work.length) this.grow(this.fresh);
    const c = f / CHUNK;
    if (c >= this.owner.length) this.owner = grown(this.owner, c + 1);
    this.owner[c] = k;
    // The object columns grow by appends, so they stay packed (a write past their end would leave holes).
    for (let g = f; g < f + CHUNK; g++) {
      this.wideUses.push(NO_RESOURCES);
      this.wideCoefs.push(NO_RESOURCES);
      this.onDone.push(undefined);
    }
    // Lowest id first: a chunk fills in ascending order, so its resource's list grows by appends.
    for (let g = f + CHUNK - 1; g > f; g--) this.push(k, g);
    return f;
  }

  /**
   * The chunk owner of id f: 1 + the resource it was handed out near (0 for resource-less flows); the
   * same for every flow the id ever holds, so it can group a resource's flows (see CompletionEvents).
   */
  ownerOf(f: FlowId): number {
    return this.owner[(f / CHUNK) | 0]!;
  }

  release(f: FlowId): void {
    this.state[f] = FREE;
    this.setUses(f, NO_USES);
    this.onDone[f] = undefined;
    this.push(this.ownerOf(f), f);
  }

  /** Puts free id f on top of owner k's stack. */
  private push(k: number, f: FlowId): void {
    this.nextFree[f] = this.freeHead[k]!;
    this.freeHead[k] = f;
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
    this.doneFrom = grown(this.doneFrom, length, Infinity);
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
    this.nuses = grown(this.nuses, length);
    this.use1 = grown(this.use1, length, -1);
    this.coef1 = grown(this.coef1, length);
    this.nextFree = grown(this.nextFree, length);
  }
}
