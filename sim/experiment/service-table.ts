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

  constructor(apps: readonly App[], mode: Mode) {
    this.apps = apps.filter((a) => a.kind === "service");
    this.requests = this.apps.map((app) => ({ app, footprint: footprint(app, mode) }));
    const first = [0];
    for (const a of this.apps) first.push((first[first.length - 1] as number) + a.replicas);
    this.first = first;
    this.count = first[first.length - 1] as number;
  }

  /** Instance i's service app, as an index into `apps` (a binary search over the offsets). */
  slotOf(i: number): number {
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
    return i - (this.first[this.slotOf(i)] as number);
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
    return { from: this.first[slot] as number, to: this.first[slot + 1] as number };
  }
}
