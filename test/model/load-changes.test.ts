/**
 * RunningModel's load steps: a step that leaves a service's demand as it was changes nothing of
 * its own (its cap and pressure stay), while a neighbour's change of pace still reaches it. A
 * tenant whose diurnal load is flat (mean = peak: every step is due but none moves) shares a host
 * with a memory-bandwidth stressor whose load spikes.
 */
import { describe, expect, it } from "vitest";
import { RngStreams, Simulation } from "../../sim/engine/index.js";
import { resolveWorkload } from "../../sim/experiment/index.js";
import { buildHosts } from "../../sim/experiment/run.js";
import { HostSharing, RunningModel } from "../../sim/model/index.js";
import { FluidSharing } from "../../sim/sharing/index.js";
import { scenario } from "../helpers/scenario.js";

const s = scenario({
  version: 1,
  name: "load-changes",
  replications: 1,
  horizon: "1h",
  hosts: [{ type: "h", cores: 16, memory: "64GiB", count: 1 }],
  apps: [
    { name: "flat", replicas: 1, cpu: 2, memory: "1GiB", load: { pattern: "diurnal", mean: 1, peak: 1, period: "20m", steps: 20 } },
    { name: "spiky", replicas: 1, cpu: 2, memory: "1GiB", load: { pattern: "spikes", base: 0.5, spike: 2, every: "10m", duration: "5m" }, pressure: { memoryBandwidth: "high" } },
  ],
  modes: { bare: { kind: "bare" } },
});
const w = resolveWorkload(s.scenario);

/** Cores each app uses, sampled at `times` (seconds). */
function usage(times: readonly number[]): number[][] {
  const mode = w.modes[0]!;
  const sim = new Simulation();
  const sharing = new HostSharing(new FluidSharing(sim), 1);
  const hosts = buildHosts(w, mode);
  const cpu = sharing.addResource(hosts[0]!.spec.cores, "h/cpu", 0);
  const running = new RunningModel(sim, sharing, mode, hosts, () => cpu, new RngStreams(3, 0));
  running.startService(0, w.apps[0]!, 0, hosts[0]!);
  running.startService(1, w.apps[1]!, 0, hosts[0]!);
  const out: number[][] = [];
  const kind = sim.register(() => {
    const row = running.sample(w.apps, 1)[0]!;
    out.push([row[0]!, row[1]!]);
  });
  for (const t of times) sim.at(t, kind, 0);
  sim.run(times[times.length - 1]! + 1);
  return out;
}

describe("RunningModel load steps", () => {
  it("a flat tenant keeps its pace through its own steps and follows its neighbour's", () => {
    // Base, spike, base, spike (spikes are the first 5 minutes of every 10).
    const [a, b, c, d] = usage([7 * 60 + 30, 12 * 60 + 30, 17 * 60 + 30, 22 * 60 + 30]) as [number[], number[], number[], number[]];
    expect(b[1]!).toBeGreaterThan(a[1]!);
    expect(d[1]!).toBe(b[1]!);
    expect(c[1]!).toBe(a[1]!);
    // Its own demand never moves, yet the stressor's spikes slow its work (it asks more CPU for it).
    expect(b[0]!).toBeGreaterThan(a[0]!);
    expect(c[0]!).toBe(a[0]!);
    expect(d[0]!).toBe(b[0]!);
    expect(a[0]!).toBeGreaterThanOrEqual(1);
  });
});
