/**
 * FlowTable: every flow's state as parallel typed arrays indexed by flow id, with free lists so ids
 * are reused and a flow of one or two resources costs no allocation at all (only wider flows keep their
 * list of uses as arrays). Pure storage: no policy here.
 */
import { grown, resized, type NumberArray } from "./grow.js";
import type { FlowId, OnDone, Use } from "./types.js";

/** Lifecycle of an id: FREE (unused), ACTIVE (sharing), FINISHING (done, its onDone is running). */
export const FREE = 0;
export const ACTIVE = 1;
export const FINISHING = 2;
/** `hub` of a flow whose rate is its own (in no hub). */
export const NO_HUB = -1;
/**
 * `hub` of a FREE id (never handed out, or released): kept so that `hub[f] >= NO_HUB` tells a known flow
 * from a free id on the line a rate read loads anyway (FluidSharing's bulk reads), without `state`.
 */
export const FREE_HUB = -2;

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
  /** Hub the flow is in (see hub.ts), NO_HUB when its rate is its own, FREE_HUB exactly while the id is FREE. */
  hub = new Int32Array(16).fill(FREE_HUB);
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
   * For a flow of more than two resources only: all its resources and coefficients, in the order given.
   * Kept by id in a map, as such flows are few: per-id JS arrays would be a million slots every major GC walks.
   */
  private readonly wide = new Map<FlowId, { readonly uses: readonly number[]; readonly coefs: readonly number[] }>();
  /**
   * Per id: its handler's index in `handlers` (0: none). Nearly every flow shares one of a few
   * handlers, so a typed column of indexes replaces a per-id JS array the GC would walk.
   */
  private handlerOf = new Int32Array(16);
  private readonly handlers: (OnDone | undefined)[] = [undefined];
  /** Per handler index: the ids that hold it; at 0 the index is free again (see setOnDone). */
  private readonly holders: number[] = [0];
  private readonly handlerIndex = new Map<OnDone, number>();
  private readonly freeHandlers: number[] = [];
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
    return k === 0 ? this.use0[f]! : k === 1 ? this.use1[f]! : this.wide.get(f)!.uses[k]!;
  }

  /** The coefficient of the k-th resource flow f uses, k < nuses[f]. */
  coefAt(f: FlowId, k: number): number {
    return k === 0 ? this.coef0[f]! : k === 1 ? this.coef1[f]! : this.wide.get(f)!.coefs[k]!;
  }

  /** The position of resource r among flow f's resources, -1 if f does not use it. */
  indexOfUse(f: FlowId, r: number): number {
    if (this.use0[f] === r) return 0;
    if (this.use1[f] === r) return 1;
    return this.nuses[f]! > 2 ? this.wide.get(f)!.uses.indexOf(r) : -1;
  }

  /** The coefficient of flow f on resource r, which f uses. */
  coefOn(f: FlowId, r: number): number {
    return this.coefAt(f, this.indexOfUse(f, r));
  }

  /** Stores flow f's resources and coefficients (coef defaults to 1), in the order given; checked by the caller. */
  setUses(f: FlowId, uses: readonly Use[]): void {
    const n = uses.length;
    const wasWide = this.nuses[f]! > 2;
    this.nuses[f] = n;
    this.lone[f] = n === 1 ? 1 : 0;
    this.use0[f] = n > 0 ? uses[0]!.resource : -1;
    this.coef0[f] = n > 0 ? (uses[0]!.coef ?? 1) : 0;
    this.use1[f] = n > 1 ? uses[1]!.resource : -1;
    this.coef1[f] = n > 1 ? (uses[1]!.coef ?? 1) : 0;
    if (n > 2) this.wide.set(f, { uses: uses.map((u) => u.resource), coefs: uses.map((u) => u.coef ?? 1) });
    else if (wasWide) this.wide.delete(f);
  }

  /** The handler flow f's end calls, if any. */
  onDoneOf(f: FlowId): OnDone | undefined {
    return this.handlers[this.handlerOf[f]!];
  }

  /** Sets flow f's handler (undefined: none); a handler no id holds any more gives up its index. */
  setOnDone(f: FlowId, onDone: OnDone | undefined): void {
    const old = this.handlerOf[f]!;
    if (old !== 0 && --this.holders[old]! === 0) {
      this.handlerIndex.delete(this.handlers[old]!);
      this.handlers[old] = undefined;
      this.freeHandlers.push(old);
    }
    let h = 0;
    if (onDone !== undefined) {
      h = this.handlerIndex.get(onDone) ?? this.newHandler(onDone);
      this.holders[h]!++;
    }
    this.handlerOf[f] = h;
  }

  private newHandler(onDone: OnDone): number {
    const h = this.freeHandlers.pop() ?? this.handlers.length;
    this.handlers[h] = onDone;
    this.holders[h] = 0;
    this.handlerIndex.set(onDone, h);
    return h;
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
    this.hub[f] = FREE_HUB;
    this.setUses(f, NO_USES);
    this.setOnDone(f, undefined);
    this.push(this.ownerOf(f), f);
  }

  /** Puts free id f on top of owner k's stack. */
  private push(k: number, f: FlowId): void {
    this.nextFree[f] = this.freeHead[k]!;
    this.freeHead[k] = f;
  }

  /**
   * Room for `flows` flows live at once, handed out near `owners` resources, sized exactly: a run that
   * knows its scale skips the copies of growing there. Each resource's chunks (and those of
   * resource-less flows) may leave up to CHUNK - 1 ids unused, so that many more per owner.
   */
  reserve(flows: number, owners = 0): void {
    const ids = flows + (CHUNK - 1) * (owners + 1);
    if (ids > this.work.length) this.grow(ids, true);
  }

  /** Columns at least `length` long (exactly, if `exact`; else grown geometrically). */
  private grow(length: number, exact = false): void {
    const to = <T extends NumberArray>(a: T, fill = 0): T => (exact ? resized(a, length, fill) : grown(a, length, fill));
    this.work = to(this.work);
    this.remaining = to(this.remaining);
    this.received = to(this.received);
    this.settled = to(this.settled);
    this.rate = to(this.rate);
    this.weight = to(this.weight);
    this.cap = to(this.cap);
    this.eventTime = to(this.eventTime, Infinity);
    this.doneFrom = to(this.doneFrom, Infinity);
    this.state = to(this.state);
    this.dirty = to(this.dirty);
    this.stamp = to(this.stamp);
    this.key = to(this.key);
    this.next = to(this.next);
    this.frozen = to(this.frozen);
    this.hub = to(this.hub, FREE_HUB);
    this.vEntry = to(this.vEntry);
    this.vFinish = to(this.vFinish);
    this.hpos = to(this.hpos, -1);
    this.lone = to(this.lone);
    this.use0 = to(this.use0, -1);
    this.coef0 = to(this.coef0);
    this.nuses = to(this.nuses);
    this.use1 = to(this.use1, -1);
    this.coef1 = to(this.coef1);
    this.nextFree = to(this.nextFree);
    this.handlerOf = to(this.handlerOf);
  }
}
