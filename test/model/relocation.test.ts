/**
 * A service that comes back on another host keeps its position (in its first host's chunk) and its
 * accounts: its load counts on its new host's row and no longer on its old one's, and the demand
 * it could not serve while down counts in its slowdown. Services alternate between two hosts, so
 * positions come from interleaved per-host chunks.
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
  name: "relocation",
  replications: 1,
  horizon: "1h",
  hosts: [{ type: "h", cores: 64, memory: "256GiB", count: 2 }],
  apps: [{ name: "steady", replicas: 20, cpu: 1, memory: "1GiB", load: { pattern: "constant", cores: 1 } }],
  modes: { bare: { kind: "bare" } },
});
const w = resolveWorkload(s.scenario);

describe("RunningModel relocation", () => {
  it("a relocated service keeps its accounts and loads its new host", () => {
    const mode = w.modes[0]!;
    const sim = new Simulation();
    const sharing = new HostSharing(new FluidSharing(sim), 2);
    const hosts = buildHosts(w, mode);
    const cpu = hosts.map((h) => sharing.addResource(h.spec.cores, `${h.name}/cpu`, h.index));
    const running = new RunningModel(sim, sharing, mode, hosts, (h) => cpu[h]!, new RngStreams(5, 0));
    const app = w.apps[0]!;
    const rows: number[][] = [];
    const kind = sim.register((k) => {
      if (k === 0) for (let i = 0; i < 20; i++) running.startService(i, app, i, hosts[i % 2]!);
      else if (k === 1) expect(running.stopService(4)).toBe(true);
      else if (k === 2) running.startService(4, app, 4, hosts[1]!);
      else rows.push(running.sample(w.apps, 2).map((r) => r[0]!));
    });
    sim.at(0, kind, 0);
    sim.at(5, kind, 3);
    sim.at(10, kind, 1);
    sim.at(15, kind, 3);
    sim.at(20, kind, 2);
    sim.at(25, kind, 3);
    sim.run(30);
    expect(rows).toEqual([
      [10, 10],
      [9, 10],
      [9, 11],
    ]);
    const slow = running.slowdowns(20);
    // Down for 10 of its 30 s: it demanded 30 core-seconds and got 20 done.
    expect(slow[4]).toBeCloseTo(1.5, 12);
    for (let i = 0; i < 20; i++) if (i !== 4) expect(slow[i]).toBe(1);
  });
});
