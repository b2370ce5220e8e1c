import { describe, expect, it } from "vitest";
import { resolveWorkload, runOnce, type RunOutput } from "../../sim/experiment/index.js";
import { scenario } from "../helpers/scenario.js";

const MB = 1e6;

function runMode(input: Record<string, unknown>, policy = "first-fit"): RunOutput {
  const s = scenario({ version: 1, name: "t", replications: 1, horizon: "1d", placement: { policy }, ...input });
  const w = resolveWorkload(s.scenario);
  return runOnce(w, w.modes[0]!, { seed: 1, horizonS: s.scenario.horizon, policy: s.scenario.placement.policy }, 0);
}

const PULL = 0;
const BOOT = 4;

/** A container mode whose only start-up cost is the pull (no extraction cost, no create latency). */
const pullOnly = { container: { create: 0, serial: 0, createDisk: 0, extract: { rate: "1000GB/s" } } };

describe("image pulls (analytic)", () => {
  it("one container, cold cache, one layer of S bytes: the pull lasts latency + S/B", () => {
    for (const [S, B, latency] of [
      [200 * MB, 100 * MB, 0.04],
      [35 * MB, 12.5 * MB, 0.2],
      [1000 * MB, 50 * MB, 0],
    ] as const) {
      const out = runMode({
        hosts: [{ type: "h", cores: 8, memory: "32GiB", network: "10Gbit/s", disk: { bandwidth: "100GB/s" } }],
        registry: { bandwidth: B, latency },
        images: { app: { layers: [{ digest: "l1", size: S }] } },
        apps: [{ name: "a", replicas: 1, cpu: 1, memory: "1GiB", image: "app" }],
        modes: pullOnly,
      });
      const expected = latency + S / B;
      expect(Math.abs(out.instances[0]!.phases[PULL]! - expected) / expected).toBeLessThan(0.01);
      expect(out.metrics["pull.bytes"]).toBe(S);
    }
  });

  it("k simultaneous pulls of distinct layers through B each take k times as long as one", () => {
    const S = 100 * MB;
    const B = 50 * MB;
    const time = (k: number): number[] => {
      const images = Object.fromEntries(Array.from({ length: k }, (_, j) => [`img${j}`, { layers: [{ digest: `l${j}`, size: S }] }]));
      const apps = Array.from({ length: k }, (_, j) => ({ name: `a${j}`, replicas: 1, cpu: 0.1, memory: "64MiB", image: `img${j}` }));
      const out = runMode({
        hosts: [{ type: "h", cores: 64, memory: "64GiB", network: "100Gbit/s", disk: { bandwidth: "100GB/s" } }],
        registry: { bandwidth: B, latency: 0 },
        images,
        apps,
        modes: { container: { ...pullOnly.container, maxConcurrentDownloads: 16 } },
      });
      return out.instances.map((i) => i.phases[PULL]!);
    };
    const one = time(1)[0]!;
    expect(one).toBeCloseTo(S / B, 6);
    for (const k of [2, 3, 8]) for (const t of time(k)) expect(t / one).toBeCloseTo(k, 6);
  });

  it("maxConcurrentDownloads queues the rest: 6 layers, 3 at a time, take two rounds", () => {
    const layers = Array.from({ length: 6 }, (_, j) => ({ digest: `l${j}`, size: 100 * MB }));
    const out = runMode({
      hosts: [{ type: "h", cores: 8, memory: "32GiB", network: "100MB/s", disk: { bandwidth: "100GB/s" } }],
      registry: { bandwidth: "10GB/s", latency: 0 },
      images: { img: { layers } },
      apps: [{ name: "a", replicas: 1, cpu: 1, memory: "1GiB", image: "img" }],
      modes: pullOnly,
    });
    // NIC-bound: 3 layers share 100 MB/s (3 s), then the next 3 (3 s more): 6 s either way, 600 MB in total.
    expect(out.instances[0]!.phases[PULL]!).toBeCloseTo(6, 6);
  });

  it("a layer shared by two images is pulled once per host", () => {
    const input = (hosts: number) => ({
      hosts: [{ type: "h", count: hosts, cores: 8, memory: "32GiB" }],
      registry: { bandwidth: "1Gbit/s", latency: "40ms" },
      images: {
        base: { layers: [{ digest: "debian", size: "50MB" }] },
        x: { from: "base", layers: [{ digest: "x-app", size: "10MB" }] },
        y: { from: "base", layers: [{ digest: "y-app", size: "20MB" }] },
      },
      apps: [
        { name: "x", replicas: hosts, cpu: 1, memory: "1GiB", image: "x" },
        { name: "y", replicas: hosts, cpu: 1, memory: "1GiB", image: "y" },
      ],
      modes: { container: { maxConcurrentDownloads: 3 } },
    });
    // worst-fit spreads one x and one y to every host: each host pulls debian once, x-app once, y-app once.
    for (const hosts of [1, 3]) {
      const out = runMode(input(hosts), "worst-fit");
      expect(out.metrics["pull.bytes"]).toBe(hosts * 80 * MB);
      // 4 layer requests per host (2 per instance), 3 downloads.
      expect(out.metrics["pull.cacheHitRatio"]).toBeCloseTo(1 - 3 / 4, 12);
    }
  });

  it("a prepulled image makes the pull free and the start faster", () => {
    const input = (prepulled: string[]) => ({
      hosts: [{ type: "h", cores: 8, memory: "32GiB", prepulled }],
      images: { img: { layers: [{ digest: "l", size: "300MB" }] } },
      apps: [{ name: "a", replicas: 4, cpu: 1, memory: "1GiB", image: "img" }],
      modes: { container: {} },
    });
    const cold = runMode(input([]));
    const warm = runMode(input(["img"]));
    expect(warm.metrics["pull.bytes"]).toBe(0);
    expect(warm.metrics["pull.cacheHitRatio"]).toBe(1);
    expect(warm.metrics["startup.max"]!).toBeLessThan(cold.metrics["startup.max"]!);
    expect(warm.instances.every((i) => i.phases[PULL] === 0)).toBe(true);
  });
});

describe("VM boot storm (processor sharing)", () => {
  const W = 6;
  const boot = (n: number, cores: number) =>
    runMode({
      hosts: [{ type: "h", cores, memory: "4TiB" }],
      apps: [{ name: "a", replicas: n, cpu: 1, memory: "256MiB" }],
      modes: { vm: { serial: 0, boot: { delay: 0, work: W, read: 0 }, guestInit: 0, overcommit: { cpu: 100 } } },
    });
  it.each([
    [1, 8],
    [8, 8],
    [5, 16],
    [9, 8],
    [32, 8],
    [100, 16],
  ])("%i VMs booting at once on %i cores are all ready at max(W, N*W/C)", (n, cores) => {
    const out = boot(n, cores);
    expect(out.metrics["instances.placed"]).toBe(n);
    const expected = n <= cores ? W : (n * W) / cores;
    for (const i of out.instances) {
      expect(i.readyAt).toBeCloseTo(expected, 6);
      expect(i.phases[BOOT]).toBeCloseTo(expected, 6);
    }
  });
});

describe("deployment schedule", () => {
  const base = {
    hosts: [{ type: "h", cores: 64, memory: "256GiB" }],
    modes: { bare: { create: 0 } },
  };
  it("start.at and stagger set each replica's request time", () => {
    const out = runMode({ ...base, apps: [{ name: "a", replicas: 4, cpu: 1, memory: "1GiB", init: 2, start: { at: "10s", stagger: "5s" } }] });
    expect(out.instances.map((i) => i.requestedAt)).toEqual([10, 15, 20, 25]);
    expect(out.instances.map((i) => i.readyAt)).toEqual([12, 17, 22, 27]);
  });
  it("rollout waves wait for the previous wave to be ready, plus the pause", () => {
    const out = runMode({ ...base, apps: [{ name: "a", replicas: 5, cpu: 1, memory: "1GiB", init: 2, rollout: { batch: 2, pause: "1s" } }] });
    expect(out.instances.map((i) => i.requestedAt)).toEqual([0, 0, 3, 3, 6]);
    expect(out.instances.map((i) => i.readyAt)).toEqual([2, 2, 5, 5, 8]);
  });
});
