/**
 * A run's service instances in request order: each service app's replicas one after another, so
 * an instance is a number whose app, replica and footprint come from per-app offsets, not an
 * object held per instance (a million services are a few arrays of apps, not a million records).
 */
import { footprint, type App, type Footprint, type Mode } from "../model/index.js";
import type { PlacementRequest } from "../placement/index.js";

export class ServiceTable {
  /** Service instances. */
  readonly count: number;
  /** The service apps, in the scenario's order. */
  readonly apps: readonly App[];
  /** Per service app: what placement is asked for each of its replicas (one object for them all). */
  private readonly requests: readonly PlacementRequest[];
  /** Per service app: its first instance; one more entry, `count`. */
  private readonly first: readonly number[];
  /**
   * Instance -> its index among all the scenario's services: a host group's subset (see the
   * constructor), or the identity for a whole run. Always a column, so that globalOf reads it the
   * same way in both: a branch one kind of run never takes sent optimised code back to the
   * interpreter (13 functions in a sweep that mixes whole runs and host groups).
   */
  private readonly subset: Int32Array;
  /** A host group's table: per service app, its first instance; one more entry, `count`. */
  private readonly localFirst: readonly number[] | undefined;

  /**
   * `subset`: only these of the scenario's services (indices in the whole table, ascending), as
   * instances 0, 1, ...: a host group's run (host-groups.ts). Each keeps its app and replica number,
   * so its draws are the whole run's, and the apps' replicas stay consecutive in the same order.
   */
  constructor(apps: readonly App[], mode: Mode, subset?: Int32Array) {
    this.apps = apps.filter((a) => a.kind === "service");
    this.requests = this.apps.map((app) => ({ app, footprint: footprint(app, mode) }));
    const first = [0];
    for (const a of this.apps) first.push((first[first.length - 1] as number) + a.replicas);
    this.first = first;
    if (subset) {
      this.subset = subset;
      const lf: number[] = [];
      let k = 0;
      for (let s = 0; s < this.apps.length; s++) {
        lf.push(k);
        while (k < subset.length && subset[k]! < first[s + 1]!) k++;
      }
      lf.push(subset.length);
      this.localFirst = lf;
      this.count = subset.length;
    } else {
      this.count = first[first.length - 1] as number;
      this.subset = new Int32Array(this.count);
      for (let i = 0; i < this.count; i++) this.subset[i] = i;
    }
  }

  /** Instance i's index in the whole table (i itself unless a subset). */
  globalOf(i: number): number {
    return this.subset[i]!;
  }

  /** Instance i's service app, as an index into `apps` (a binary search over the offsets). */
  slotOf(i: number): number {
    return this.globalSlot(this.globalOf(i));
  }

  private globalSlot(i: number): number {
    let lo = 0;
    let hi = this.apps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.first[mid] as number) <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  appOf(i: number): App {
    return this.apps[this.slotOf(i)] as App;
  }

  replicaOf(i: number): number {
    const g = this.globalOf(i);
    return g - (this.first[this.globalSlot(g)] as number);
  }

  footprintOf(i: number): Footprint {
    return (this.requests[this.slotOf(i)] as PlacementRequest).footprint;
  }

  /** The placement request of instance i (shared by its app's replicas). */
  requestOf(i: number): PlacementRequest {
    return this.requests[this.slotOf(i)] as PlacementRequest;
  }

  /** Service app `slot`'s instances: from, and to (exclusive). */
  spanOf(slot: number): { readonly from: number; readonly to: number } {
    const f = this.localFirst ?? this.first;
    return { from: f[slot] as number, to: f[slot + 1] as number };
  }
}
