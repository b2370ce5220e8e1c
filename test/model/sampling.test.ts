/**
 * RunningModel.sampleInto keeps each host's row and recomputes only hosts whose rates may have
 * moved (HostSharing marks them). Two identical runs under random starts, stops, relocations, jobs,
 * swap penalties, start-up-like bursts of CPU and disk work (and rarely a flow joining two hosts),
 * one sampling incrementally and one recomputing every row at every sample, must give the same
 * samples to the bit; each row's start-up cell (the host's CPU allocation beyond its apps and
 * overhead) is kept with the row and is what the allocation read afresh gives.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RngStreams, Simulation } from "../../sim/engine/index.js";
import { resolveWorkload } from "../../sim/experiment/index.js";
import { buildHosts } from "../../sim/experiment/run.js";
import { HostSharing, RunningModel, type App } from "../../sim/model/index.js";
import { START_UP_ROUNDING } from "../../sim/model/host-rows.js";
import { FluidSharing } from "../../sim/sharing/index.js";
import { scenario } from "../helpers/scenario.js";

const HOSTS = 4;

type Op =
  | { readonly kind: "start"; readonly service: number; readonly host: number }
  | { readonly kind: "stop"; readonly service: number }
  | { readonly kind: "job"; readonly host: number; readonly work: number }
  | { readonly kind: "penalty"; readonly host: number; readonly factor: number }
  | { readonly kind: "burst"; readonly host: number; readonly work: number; readonly disk: boolean }
  | { readonly kind: "span"; readonly host: number }
  | { readonly kind: "sample" };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("start" as const), service: fc.integer({ min: 0, max: 11 }), host: fc.integer({ min: 0, max: HOSTS - 1 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("stop" as const), service: fc.integer({ min: 0, max: 11 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("job" as const), host: fc.integer({ min: 0, max: HOSTS - 1 }), work: fc.double({ min: 0.5, max: 50, noNaN: true }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("penalty" as const), host: fc.integer({ min: 0, max: HOSTS - 1 }), factor: fc.constantFrom(1, 1.25, 2) }) },
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant("burst" as const), host: fc.integer({ min: 0, max: HOSTS - 1 }), work: fc.double({ min: 0.1, max: 30, noNaN: true }), disk: fc.boolean() }),
  },
  { weight: 5, arbitrary: fc.constant({ kind: "sample" as const }) },
  // Rarely, a flow on two hosts' CPUs: marks no longer bound changes, so every row is recomputed from then on.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("span" as const), host: fc.integer({ min: 0, max: HOSTS - 2 }) }) },
);

const s = scenario({
  version: 1,
  name: "sampling",
  replications: 1,
  horizon: "1h",
  hosts: [{ type: "h", cores: 8, memory: "64GiB", count: HOSTS, disk: { bandwidth: "500MB/s" } }],
  apps: [
    { name: "web", replicas: 6, cpu: 3.5, memory: "1GiB", load: { pattern: "diurnal", mean: 1, peak: 3, period: "4m", steps: 40 }, io: { disk: "20MB/s" } },
    { name: "noisy", replicas: 6, cpu: 2, memory: "1GiB", load: { pattern: "bursty", base: 0.5, burst: 4, on: "5s", off: "5s" }, pressure: { memoryBandwidth: "high" } },
    { name: "batch", kind: "job", arrivals: { process: "poisson", rate: "1/h" }, work: "10s", cpu: 1, memory: "1GiB" },
  ],
  modes: { vm: { kind: "vm" }, container: { kind: "container", limits: true } },
});
const w = resolveWorkload(s.scenario);

/** Runs `ops` 2 s apart; returns every sample taken (full: each recomputes every row). */
function samples(modeIndex: number, ops: readonly Op[], full: boolean): number[][] {
  const mode = w.modes[modeIndex]!;
  const sim = new Simulation();
  const raw = new FluidSharing(sim);
  const sharing = new HostSharing(raw, HOSTS);
  const hosts = buildHosts(w, mode);
  const cpu = hosts.map((h) => sharing.addResource(h.spec.cores, `${h.name}/cpu`, h.index));
  const disk = hosts.map((h) => sharing.addResource(h.spec.diskBytesPerS, `${h.name}/disk`, h.index));
  const running = new RunningModel(sim, sharing, mode, hosts, (h) => cpu[h]!, new RngStreams(7, 0), (h) => disk[h]!);
  const services = w.apps.filter((a) => a.kind !== "job");
  const job = w.apps.find((a) => a.kind === "job") as App;
  const width = w.apps.length + 2;
  const allocated = (h: number): number => raw.allocated(cpu[h]!);
  const out: number[][] = [];
  const on = new Map<number, number>();
  const kind = sim.register((k) => {
    const o = ops[k]!;
    if (o.kind === "start") {
      if (on.has(o.service)) return;
      running.useHost(o.host);
      // A service started again after a stop keeps its position, and may come back elsewhere (relocated).
      running.startService(o.service, services[o.service % 2]!, o.service, hosts[o.host]!);
      on.set(o.service, o.host);
    } else if (o.kind === "stop") {
      if (running.stopService(o.service)) on.delete(o.service);
    } else if (o.kind === "job") running.startJob(job, hosts[o.host]!, o.work, () => {}, 0);
    else if (o.kind === "penalty") running.setPenalty(o.host, o.factor);
    else if (o.kind === "span") sharing.startFlow({ work: 5, uses: [{ resource: cpu[o.host]! }, { resource: cpu[o.host + 1]! }], cap: 1 });
    else if (o.kind === "burst") sharing.startFlow({ work: o.work, uses: o.disk ? [{ resource: cpu[o.host]! }, { resource: disk[o.host]!, coef: 1e7 }] : [{ resource: cpu[o.host]! }], cap: 2, onDone: () => {} });
    else {
      const buffer = new Float64Array(HOSTS * width);
      // A copy of the apps list is a new key: every row is recomputed.
      running.sampleInto(full ? [...w.apps] : w.apps, buffer, width, allocated);
      for (let h = 0; h < HOSTS; h++) {
        let known = 0;
        for (let c = 0; c <= w.apps.length; c++) known += buffer[h * width + c]!;
        const rest = allocated(h) - known;
        expect(buffer[h * width + w.apps.length + 1]).toBe(rest > START_UP_ROUNDING * allocated(h) ? rest : 0);
      }
      out.push([...buffer]);
    }
  });
  ops.forEach((_, k) => sim.at(2 * k, kind, k));
  sim.run(2 * ops.length + 1);
  return out;
}

describe("RunningModel sampling", () => {
  it("recomputing only marked hosts gives the samples a full recompute gives, to the bit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 }), fc.array(op, { minLength: 1, maxLength: 80 }), (m, ops) => {
        expect(samples(m, ops, false)).toEqual(samples(m, ops, true));
      }),
      { numRuns: 60 },
    );
  });
});
