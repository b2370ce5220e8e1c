import { describe, expect, it } from "vitest";
import { buildHosts, resolveWorkload } from "../../sim/experiment/index.js";
import { footprint } from "../../sim/model/index.js";
import { scenario } from "../helpers/scenario.js";

/** A workload of `apps` apps named `<prefix>0`.., on two hosts. */
function workload(prefix: string, apps: number) {
  const s = scenario({
    version: 1,
    name: "t",
    replications: 1,
    hosts: [{ type: "h", count: 2, cores: 64, memory: "512GiB" }],
    apps: Array.from({ length: apps }, (_, k) => ({ name: `${prefix}${k}`, replicas: 1, cpu: 0.1, memory: "64MiB" })),
    modes: { container: {} },
  });
  return resolveWorkload(s.scenario);
}

describe("a run's hosts count instances per app", () => {
  it("by the run's own apps: a process that ran other scenarios first does not widen them", () => {
    // An earlier run in the same process (a pool worker, the explorer, the fuzzer) with 200 other app names.
    const before = workload("earlier-", 200);
    const old = buildHosts(before, before.modes[0]!);
    for (const a of before.apps) old[0]!.commit(a, footprint(a, before.modes[0]!));

    const w = workload("app-", 3);
    const m = w.modes[0]!;
    const hosts = buildHosts(w, m);
    for (const a of w.apps) hosts[1]!.commit(a, footprint(a, m));
    hosts[1]!.commit(w.apps[2]!, footprint(w.apps[2]!, m));
    expect(w.apps.map((a) => hosts[1]!.peakOf(a.name))).toEqual([1, 1, 2]);
    expect(hosts[0]!.peakOf("app-0")).toBe(0);
    // Names of the earlier run are unknown here, and the earlier hosts kept their counts.
    expect(hosts[1]!.peakOf("earlier-7")).toBe(0);
    expect(old[0]!.peakOf("earlier-199")).toBe(1);
    // Two cells (now, peak) per app of this run, in the smallest table grown: not one per name ever seen.
    expect((hosts[1] as unknown as { appCounts: Int32Array }).appCounts.length).toBeLessThanOrEqual(16);
    hosts[1]!.release(w.apps[2]!, footprint(w.apps[2]!, m));
    expect(hosts[1]!.peakOf("app-2")).toBe(2);
  });
});
