/**
 * ComponentWalker: collects the connected component reachable from a seed (resources linked through
 * the flows that use them), sorted by ascending id so that rates never depend on the walk order.
 * Roomy resources (ResourceTable.roomy: they cannot bind) do not link: the walk counts them apart, as
 * hanging, and does not follow their flows. Visits are marked with epoch stamps, so nothing needs
 * clearing between walks.
 */
import type { FlowTable } from "./flow-table.js";
import { grown } from "./grow.js";
import type { ResourceTable } from "./resource-table.js";
import type { FlowId, ResourceId } from "./types.js";

export class ComponentWalker {
  /** Flows of the last component collected, ascending in [0, flowCount). */
  flows = new Int32Array(16);
  flowCount = 0;
  /** Resources of the last component collected, ascending in [0, resCount). */
  res = new Int32Array(16);
  resCount = 0;
  /** Number of roomy resources used by flows of the last component collected (they keep their own allocations). */
  hangCount = 0;
  /** Stamp of the last component collected; each component gets its own, so its stamps say exactly who is in it. */
  private epoch = 0;
  /** First stamp of the current round: a resource stamped at or after it was collected this round. */
  private roundStart = 1;

  /** Starts a new round: everything collected in earlier rounds counts as unvisited again. */
  begin(): void {
    this.roundStart = this.epoch + 1;
  }

  /** True if this round already collected the component of resource r. */
  collected(r: ResourceId, rt: ResourceTable): boolean {
    return rt.stamp[r]! >= this.roundStart;
  }

  /** Collects the component of resource `seed`; false if this round already collected it. */
  collectFrom(seed: ResourceId, ft: FlowTable, rt: ResourceTable): boolean {
    const rStamp = rt.stamp;
    if (this.collected(seed, rt)) return false;
    const e = ++this.epoch;
    if (this.flows.length < ft.highWater) this.flows = grown(this.flows, ft.highWater);
    if (this.res.length < rt.count) this.res = grown(this.res, rt.count);
    const flows = this.flows;
    const res = this.res;
    const roomy = rt.roomy;
    const fStamp = ft.stamp;
    const pool = rt.runs.pool;
    let nf = 0;
    let nr = 0;
    let nh = 0;
    res[nr++] = seed;
    rStamp[seed] = e;
    // Breadth-first, using `res` itself as the queue. The seed's list holds each flow once, so its flows
    // are stamped only when the walk reaches a second list (most components are one resource and hanging ones).
    for (let i = 0; i < nr; i++) {
      if (i === 1) for (let k = 0; k < nf; k++) fStamp[flows[k]!] = e;
      const r0 = res[i]!;
      for (let j = rt.flowsAt(r0), end = j + rt.flowCount(r0); j < end; j++) {
        const g = pool[j]!;
        if (i > 0) {
          if (fStamp[g] === e) continue;
          fStamp[g] = e;
        }
        flows[nf++] = g;
        const n = ft.nuses[g]!;
        for (let k = 0; k < n; k++) {
          const r = ft.useAt(g, k);
          if (rStamp[r] === e || rStamp[r] === -e) continue;
          // A hanging resource is stamped -e: met by this walk, but neither in the component nor collected.
          if (roomy[r] === 1) {
            rStamp[r] = -e;
            nh++;
          } else {
            rStamp[r] = e;
            res[nr++] = r;
          }
        }
      }
    }
    this.hangCount = nh;
    // The seed's list comes first, ascending: if it holds every flow (a lone resource, or every flow
    // crossing the seed), the flows are in order; otherwise the walk interleaved several lists.
    // A component holding most ids is put in order by one pass over the stamps instead of a sort.
    if (nf > rt.flowCount(seed)) {
      if (nf * Math.log2(nf) > ft.highWater) nf = inOrder(flows, fStamp, e, ft.highWater);
      else flows.subarray(0, nf).sort();
    }
    if (nr > 1) {
      if (nr * Math.log2(nr) > rt.count) nr = inOrder(res, rStamp, e, rt.count);
      else res.subarray(0, nr).sort();
    }
    this.flowCount = nf;
    this.resCount = nr;
    return true;
  }

  /** Collects resource r whose flows use no other resource: its flow list (ascending) is the component. */
  collectLone(r: ResourceId, ft: FlowTable, rt: ResourceTable): void {
    const n = rt.flowCount(r);
    if (this.flows.length < ft.highWater) this.flows = grown(this.flows, ft.highWater);
    if (this.res.length < rt.count) this.res = grown(this.res, rt.count);
    const flows = this.flows;
    const pool = rt.runs.pool;
    const at = rt.flowsAt(r);
    for (let j = 0; j < n; j++) flows[j] = pool[at + j]!;
    this.res[0] = r;
    rt.stamp[r] = ++this.epoch;
    this.flowCount = n;
    this.resCount = 1;
    this.hangCount = 0;
  }

  /** Collects a flow that uses no resource: a component of its own. */
  collectFlow(f: FlowId, ft: FlowTable): void {
    if (this.flows.length < ft.highWater) this.flows = grown(this.flows, ft.highWater);
    this.flows[0] = f;
    this.flowCount = 1;
    this.resCount = 0;
    this.hangCount = 0;
  }
}

/** Writes the ids in [0, end) stamped `epoch` into out, ascending; returns how many. */
function inOrder(out: Int32Array, stamp: Float64Array, epoch: number, end: number): number {
  let n = 0;
  for (let id = 0; id < end; id++) if (stamp[id] === epoch) out[n++] = id;
  return n;
}
