import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveWorkload, runOnce, traceRun } from "../../sim/experiment/index.js";
import { scenario } from "../helpers/scenario.js";

const modes = {
  container: { maxConcurrentDownloads: 2 },
  vm: { overcommit: { cpu: 8 } },
  microvm: { overcommit: { cpu: 8 } },
  bare: {},
};

const images = {
  base: { layers: [{ digest: "debian", size: "48MiB" }] },
  jre: { from: "base", layers: [{ digest: "jre", size: "140MiB" }] },
  a: { from: "jre", layers: [{ digest: "a", size: "30MiB" }] },
  b: { from: "base", layers: [{ digest: "b", size: "200MiB" }] },
};

const appArb = fc.record({
  replicas: fc.integer({ min: 1, max: 12 }),
  cpu: fc.constantFrom(0.25, 0.5, 1, 2),
  image: fc.constantFrom("a", "b", "jre"),
  init: fc.constantFrom(0, 2, 5, { dist: "exponential", mean: "3s" }),
});

function build(apps: { replicas: number; cpu: number; image: string; init: unknown }[], hosts: number, mode: keyof typeof modes) {
  return scenario({
    version: 1,
    name: "p",
    replications: 1,
    horizon: "1d",
    hosts: [{ type: "h", count: hosts, cores: 8, memory: "1TiB", disk: { bandwidth: "500MB/s" }, network: "1Gbit/s" }],
    registry: { bandwidth: "500Mbit/s", latency: "20ms" },
    images,
    apps: apps.map((a, i) => ({ name: `app${i}`, memory: "512MiB", ...a })),
    modes: { [mode]: modes[mode] },
    placement: { policy: "first-fit" },
  });
}

describe("start-up properties (fast-check)", () => {
  it("start-up latency never falls when more instances start at the same time", () => {
    fc.assert(
      fc.property(
        fc.array(appArb, { minLength: 1, maxLength: 3 }),
        fc.array(appArb, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom("container", "vm", "microvm", "bare"),
        (base, extra, hosts, mode) => {
          const run = (apps: typeof base) => {
            const s = build(apps, hosts, mode as keyof typeof modes);
            const w = resolveWorkload(s.scenario);
            return runOnce(w, w.modes[0]!, { seed: 3, horizonS: s.scenario.horizon, policy: "first-fit" }, 0);
          };
          const alone = run(base);
          const crowded = run([...base, ...extra]);
          alone.instances.forEach((inst, i) => {
            const other = crowded.instances[i]!;
            expect(other.app).toBe(inst.app);
            expect(other.host).toBe(inst.host);
            if (Number.isNaN(inst.readyAt)) return;
            expect(other.readyAt - other.requestedAt).toBeGreaterThanOrEqual(inst.readyAt - inst.requestedAt - 1e-9);
          });
        },
      ),
      { numRuns: 120, seed: 4242 },
    );
  });

  it("a trace is deterministic: same seed, same IDs, addresses and events", () => {
    const s = build(
      [
        { replicas: 5, cpu: 0.5, image: "a", init: { dist: "exponential", mean: "3s" } },
        { replicas: 3, cpu: 1, image: "b", init: 2 },
      ],
      2,
      "container",
    );
    const a = traceRun(s, "container");
    const b = traceRun(s, "container");
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const ids = a.identities.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(a.identities.map((i) => i.hostname)).toEqual(ids.map((id) => id.slice(0, 12)));
    // Docker's bridge hands out 172.17.0.2, .3, ... per host in start order.
    const onHost1 = a.identities.filter((i) => i.host === "h-1").map((i) => i.ip);
    expect(onHost1[0]).toBe("172.17.0.2");
    expect(new Set(onHost1).size).toBe(onHost1.length);
    // Another seed gives other IDs.
    const other = traceRun(scenario({ ...JSON.parse(JSON.stringify(s.scenario)), seed: 99 }), "container");
    expect(other.identities[0]!.id).not.toBe(a.identities[0]!.id);
  });
});
