/**
 * ResourceTable: every resource's capacity, allocation and usage integral as typed arrays indexed by
 * resource id, plus the flows using each resource as a list kept in ascending flow id order (so sums
 * over a resource's flows never depend on the history of starts and ends).
 */
import { grown } from "./grow.js";
import { IdRuns } from "./id-runs.js";
import type { FlowId, ResourceId } from "./types.js";

/** Numbers per record of ResourceTable.notes, and per resource in ResourceTable.noted. */
export const NOTE = 5;
const NOTES = 3;

export class ResourceTable {
  count = 0;
  capacity = new Float64Array(16);
  /** Sum of coef * rate over the resource's flows, as of the last recompute of its component. */
  allocated = new Float64Array(16);
  /** Integral of `allocated` over time, as of `settled[r]`. */
  usage = new Float64Array(16);
  settled = new Float64Array(16);
  /** Set while the resource waits in the recompute queue. */
  dirty = new Uint8Array(16);
  /** Walk epoch that last visited the resource (see ComponentWalker). */
  stamp = new Float64Array(16);
  /** Water-filling scratch: sum of coef * rate over frozen flows. */
  load = new Float64Array(16);
  /** Water-filling scratch: sum of coef * weight over unfrozen flows. */
  sumW = new Float64Array(16);
  /** Water-filling scratch: number of unfrozen flows. */
  unfrozen = new Int32Array(16);
  /** Hub the resource belongs to (see hub.ts; a hub's own id for the hub), -1 when none. */
  hub = new Int32Array(16).fill(-1);
  /** In a hub: sum of coef * weight over the resource's flows (its allocation is share x the hub's level). */
  share = new Float64Array(16);
  /** In a hub, for a member resource: a bound on how far `share` is from the exact sum (see Hubs.reshare). */
  shareDrift = new Float64Array(16);
  /** In a hub: the hub's virtual clock when `usage` was last settled. */
  vSettled = new Float64Array(16);
  /** In a hub: capacity / share, the level at which the resource would saturate; the heap key. */
  level = new Float64Array(16);
  /** Position in the hub's heap of resources, -1 when absent. */
  hpos = new Int32Array(16).fill(-1);
  labels: string[] = [];
  /**
   * 1 for a resource shared with other resources' flows, with flows of its own too, whose flows' caps all
   * fit under its capacity (see IncrementalRates.classify): it cannot bind, so components are not joined
   * through it. Set when the resource is recomputed; anything that could change it touches the resource.
   * Its allocation is kept by each rate change's difference (bounded by `drift`) between fresh sums (see RoomySums).
   */
  roomy = new Uint8Array(16);
  /**
   * For a resource that could be roomy (shared, with flows of its own): sum of coef x cap over its flows,
   * every cap finite, kept by the changes noted in `notes` while `capsKept` (see RoomySums.fits).
   */
  capSum = new Float64Array(16);
  /** A bound on how far `capSum` is from the exact sum, after changes applied as differences. */
  capDrift = new Float64Array(16);
  /** 1 while `capSum` and `capDrift` hold for the resource's flows as of its last recompute and the changes noted since. */
  capsKept = new Uint8Array(16);
  /** Ids of the flows using each resource, ascending: resource r's are runs.pool[flowsAt(r)] to runs.pool[flowsAt(r) + flowCount(r) - 1]. */
  readonly runs = new IdRuns();
  /** Number of the resource's flows that use other resources too (0: the resource is a component of its own). */
  shared = new Int32Array(16);
  /**
   * Per resource: its flows that use it as other than their first resource, so are handed out near
   * another (FlowTable.allocate) and have their completion events in another's group. With none, the
   * group of the resource's own chunks holds every pending event of its flows (CompletionEvents.othersMayBeDone).
   */
  foreign = new Int32Array(16);
  /** 1 while every flow's rate equals its cap, as the last capsOnly recompute left them (see IncrementalRates). */
  atCaps = new Uint8Array(16);
  /**
   * 1 while `infinite` and `drift` hold for the resource's flows and capacity, as of its last recompute
   * and the changes noted in `notes` since (set by the full capsOnly check; cleared when a flow that
   * uses other resources too joins or leaves, or the capacity changes; see IncrementalRates).
   */
  exact = new Uint8Array(16);
  /** Number of the resource's flows with an infinite cap. */
  infinite = new Int32Array(16);
  /**
   * A bound on how far `allocated` is from the exact sum, after changes applied as differences: cap
   * changes on a lone resource at its caps (capsNoted, while `exact`), rate changes on a roomy one.
   */
  drift = new Float64Array(16);
  /**
   * Changes to resources' flows since their last recompute, as records (flow, coef on the resource, old
   * cap, new cap, index of the resource's next record or -1): a cap change, a start (old cap 0) or a
   * leave (new cap 0). One log for all resources, appended to and read soon after (the next flush takes
   * every noted resource's records), so it stays in cache where a list per resource would cost two
   * misses per note. See IncrementalRates.stillFits and RoomySums.fits.
   */
  notes = new Float64Array(NOTE * 64);
  /** Per resource: [NOTES * r] its first record in `notes` (-1: none), [+1] its last, [+2] how many. */
  noted = new Int32Array(NOTES * 16).fill(-1);
  /** Records in `notes`; back to 0 once no resource holds any. */
  private notesTop = 0;
  /** Resources holding records. */
  private holders = 0;

  /** Notes on resource r that flow f's cap went from `before` to `after` (coef: f's on r). */
  note(r: ResourceId, f: FlowId, coef: number, before: number, after: number): void {
    const e = this.notesTop++;
    if (NOTE * this.notesTop > this.notes.length) this.notes = grown(this.notes, NOTE * this.notesTop);
    const notes = this.notes;
    const at = NOTE * e;
    notes[at] = f;
    notes[at + 1] = coef;
    notes[at + 2] = before;
    notes[at + 3] = after;
    notes[at + 4] = -1;
    const noted = this.noted;
    const h = NOTES * r;
    if (noted[h]! < 0) {
      noted[h] = at;
      noted[h + 2] = 1;
      this.holders++;
    } else {
      notes[noted[h + 1]! + 4] = at;
      noted[h + 2] = noted[h + 2]! + 1;
    }
    noted[h + 1] = at;
  }

  /**
   * Takes resource r's records: returns the first (-1: none; follow each record's last field), which
   * stay readable until the next note() (nothing notes during a flush, which takes them).
   */
  takeNotes(r: ResourceId): number {
    const h = NOTES * r;
    const first = this.noted[h]!;
    if (first < 0) return -1;
    this.noted[h] = -1;
    if (--this.holders === 0) this.notesTop = 0;
    return first;
  }

  /** Resource r's first record in `notes` (-1: none), left in place. */
  firstNote(r: ResourceId): number {
    return this.noted[NOTES * r]!;
  }

  /** Number of records resource r holds. */
  noteCount(r: ResourceId): number {
    return this.noted[NOTES * r]! < 0 ? 0 : this.noted[NOTES * r + 2]!;
  }

  flowsAt(r: ResourceId): number {
    return this.runs.start(r);
  }

  flowCount(r: ResourceId): number {
    return this.runs.length(r);
  }

  add(capacity: number, label: string, now: number): ResourceId {
    const r = this.count++;
    if (r >= this.capacity.length) this.grow(r + 1);
    this.capacity[r] = capacity;
    this.settled[r] = now;
    this.labels.push(label);
    this.runs.add();
    return r;
  }

  /** Adds flow f to resource r's flows, and counts it if `shared` (it uses others too) and if `foreign` (r is not its first). */
  attach(r: ResourceId, f: FlowId, shared: boolean, foreign: boolean): void {
    this.runs.insert(r, f);
    if (foreign) this.foreign[r]!++;
    // A flow that uses others too joins this resource's component to theirs: no more capsNoted here.
    if (shared) {
      this.shared[r]!++;
      this.exact[r] = 0;
    }
  }

  /** Removes flow f from resource r, with the flags it was attached with. */
  detach(r: ResourceId, f: FlowId, shared: boolean, foreign: boolean): void {
    if (!this.runs.remove(r, f)) throw new Error(`ResourceTable.detach: flow ${f} does not use resource ${r}`);
    if (foreign) this.foreign[r]!--;
    if (shared) {
      this.shared[r]!--;
      this.exact[r] = 0;
    }
  }

  private grow(length: number): void {
    this.capacity = grown(this.capacity, length);
    this.allocated = grown(this.allocated, length);
    this.usage = grown(this.usage, length);
    this.settled = grown(this.settled, length);
    this.dirty = grown(this.dirty, length);
    this.stamp = grown(this.stamp, length);
    this.load = grown(this.load, length);
    this.sumW = grown(this.sumW, length);
    this.unfrozen = grown(this.unfrozen, length);
    this.hub = grown(this.hub, length, -1);
    this.share = grown(this.share, length);
    this.vSettled = grown(this.vSettled, length);
    this.shareDrift = grown(this.shareDrift, length);
    this.level = grown(this.level, length);
    this.hpos = grown(this.hpos, length, -1);
    this.shared = grown(this.shared, length);
    this.foreign = grown(this.foreign, length);
    this.atCaps = grown(this.atCaps, length);
    this.exact = grown(this.exact, length);
    this.roomy = grown(this.roomy, length);
    this.infinite = grown(this.infinite, length);
    this.drift = grown(this.drift, length);
    this.noted = grown(this.noted, NOTES * length, -1);
    this.capSum = grown(this.capSum, length);
    this.capDrift = grown(this.capDrift, length);
    this.capsKept = grown(this.capsKept, length);
  }
}
