import { describe, expect, it } from "vitest";
import { Simulation } from "../../sim/engine/index.js";
import { resolveWorkload, runExperiment, runOnce } from "../../sim/experiment/index.js";
import { buildHosts } from "../../sim/experiment/run.js";
import { footprint, MemoryModel } from "../../sim/model/index.js";
import { loadScenarioFile } from "../../sim/scenario/index.js";
import { scenario } from "../helpers/scenario.js";

describe("overcommit.yaml", () => {
  const loaded = loadScenarioFile("scenarios/overcommit.yaml");
  if (!loaded.ok) throw new Error("invalid");
  const r = runExperiment(loaded).results;
  const m = (mode: string, metric: string) => r.modes[mode]!.summary[metric]!.mean;
  it("with memory overcommit 1.0 nothing swaps and nothing is killed", () => {
    expect(m("vm", "swapSeconds")).toBe(0);
    expect(m("vm", "oomKills")).toBe(0);
  });
  it("with memory overcommit 1.5 more VMs fit, the hosts swap, and the tenants slow down", () => {
    expect(m("vm-overcommit", "instances.placed")).toBeGreaterThan(m("vm", "instances.placed"));
    expect(m("vm-overcommit", "swapSeconds")).toBeGreaterThan(0);
    expect(m("vm-overcommit", "slowdown.mean")).toBeGreaterThan(m("vm", "slowdown.mean") + 0.2);
  });
  it("a leaking container is OOM-killed at its limit and restarted; without limits its host swaps instead", () => {
    expect(m("container-limits", "oomKills")).toBeGreaterThan(0);
    expect(m("container-limits", "swapSeconds")).toBe(0);
    expect(m("container", "oomKills")).toBe(0);
    expect(m("container", "swapSeconds")).toBeGreaterThan(0);
  });
});

describe("OOM kills and restarts", () => {
  const run = (restart: string) => {
    const s = scenario({
      version: 1,
      name: "oom",
      replications: 1,
      horizon: "1h",
      hosts: [{ type: "h", cores: 8, memory: "64GiB" }],
      apps: [{ name: "leak", replicas: 1, cpu: 1, memory: "1GiB", memoryLimit: "2GiB", grow: { to: "11GiB", over: "1000s" }, restart, init: 1 }],
      modes: { container: { limits: true, create: 0, serial: 0, createDisk: 0 } },
    });
    const w = resolveWorkload(s.scenario);
    return runOnce(w, w.modes[0]!, { seed: 1, horizonS: 3600, policy: "first-fit" }, 0);
  };
  it("kills when the working set reaches the limit: 1 GiB of headroom at 10 MiB/s-ish is 100 s after ready", () => {
    const never = run("never");
    expect(never.metrics.oomKills).toBe(1);
    // Down from the kill (at 1 + 100 s) to the end: demanded 3600 - 1 s of work, did 100 s.
    expect(never.instances[0]!.slowdown).toBeCloseTo(3599 / 100, 6);
  });
  it("restarts with back-off and is killed again each time it reaches the limit", () => {
    const always = run("always");
    // Cycle k: 1 s init + 100 s to the limit, then a 10 x 2^(k-1) s back-off (at most 300 s).
    expect(always.metrics.oomKills).toBeGreaterThan(5);
    expect(always.instances[0]!.slowdown).toBeLessThan(3599 / 100);
  });
});

describe("MemoryModel rows", () => {
  // One leaking app under limits: 1 GiB of headroom at 1 GiB per 100 s, so each tenant is killed 100 s after it came.
  const s = scenario({
    version: 1,
    name: "rows",
    replications: 1,
    horizon: "1h",
    hosts: [{ type: "h", cores: 8, memory: "64GiB", count: 2 }],
    apps: [{ name: "leak", replicas: 3, cpu: 1, memory: "1GiB", memoryLimit: "2GiB", grow: { to: "11GiB", over: "1000s" } }],
    modes: { container: { limits: true } },
  });
  const w = resolveWorkload(s.scenario);
  const mode = w.modes[0]!;
  const app = w.apps[0]!;

  it("an OOM kill scheduled for a tenant that left never reaches the tenant that took its row", () => {
    const sim = new Simulation();
    const hosts = buildHosts(w, mode);
    for (const h of hosts) h.everUsed = true;
    const killed: [number, number][] = [];
    const memory = new MemoryModel(sim, mode, hosts, 60, 3600, () => {}, (i) => killed.push([i, sim.now]));
    const fp = footprint(app, mode);
    const kind = sim.register((what) => {
      if (what === 0) memory.untrack(7, hosts[0]!);
      // Instance 8 comes on the other host at 50 s and takes the row instance 7 left.
      else memory.track(8, app, hosts[1]!, fp);
    });
    memory.track(7, app, hosts[0]!, fp);
    sim.at(40, kind, 0);
    sim.at(50, kind, 1);
    sim.run(3600);
    // 7's kill (due at 100 s) finds it gone; 8 is killed at 150 s, once.
    expect(killed.map(([i]) => i)).toEqual([8]);
    expect(killed[0]![1]).toBeCloseTo(150, 9);
    expect(memory.oomKills).toBe(1);
  });
});
