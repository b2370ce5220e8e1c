import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Simulation } from "../../sim/engine/index.js";
import { buildHosts, resolveWorkload, runOnce, type RunListener } from "../../sim/experiment/index.js";
import { guestRebootTimes, MigrationChannels, RollingPatch } from "../../sim/experiment/maintenance.js";
import { footprint, preCopyMigration, type Mode } from "../../sim/model/index.js";
import { scenario } from "../helpers/scenario.js";

describe("rolling host patches", () => {
  it("patches hosts in order, `parallel` at a time, the next as soon as one is back", () => {
    const sim = new Simulation();
    const log: string[] = [];
    const patch = new RollingPatch(sim, { everyS: 1000, durationS: 10, parallel: 2, startS: 5 }, 5, 1000, {
      drain: (h, empty) => {
        log.push(`${sim.now} drain ${h}`);
        // Host 1 takes 3 s to empty (a live migration); the others are empty at once.
        if (h === 1) sim.at(sim.now + 3, sim.register(() => empty()), 0);
        else empty();
        return true;
      },
      patch: (h) => log.push(`${sim.now} patch ${h}`),
      back: (h) => log.push(`${sim.now} back ${h}`),
    });
    sim.run(1000);
    expect(log).toEqual([
      "5 drain 0",
      "5 patch 0",
      "5 drain 1",
      "8 patch 1",
      "15 back 0",
      "15 drain 2",
      "15 patch 2",
      "18 back 1",
      "18 drain 3",
      "18 patch 3",
      "25 back 2",
      "25 drain 4",
      "25 patch 4",
      "28 back 3",
      "35 back 4",
    ]);
    expect(patch.windows).toEqual([{ startS: 5, endS: 35 }]);
    // Each host out from its drain to its return: 10 + 13 + 10 + 10 + 10.
    expect(patch.outOfServiceSeconds()).toBe(53);
  });

  it("skips a host that is down when its turn comes", () => {
    const sim = new Simulation();
    const backs: number[] = [];
    const patch = new RollingPatch(sim, { everyS: 1e6, durationS: 10, parallel: 1, startS: 0 }, 3, 1e6, {
      drain: (h, empty) => {
        if (h === 1) return false;
        empty();
        return true;
      },
      patch: () => undefined,
      back: (h) => backs.push(h),
    });
    sim.run(1e6);
    expect(backs).toEqual([0, 2]);
    expect(patch.windows).toEqual([{ startS: 0, endS: 20 }]);
  });
});

describe("migration networks", () => {
  it("run one migration at a time per host, first come first served", () => {
    const c = new MigrationChannels(4);
    const started: string[] = [];
    c.request(0, 1, () => started.push("0->1"));
    c.request(0, 2, () => started.push("0->2"));
    c.request(3, 2, () => started.push("3->2"));
    c.request(3, 1, () => started.push("3->1"));
    expect(started).toEqual(["0->1", "3->2"]);
    c.release(0, 1);
    // 0->2 waits for host 2 (busy with 3->2); 3->1 waits for host 3.
    expect(started).toEqual(["0->1", "3->2"]);
    c.release(3, 2);
    expect(started).toEqual(["0->1", "3->2", "0->2", "3->1"]);
  });
});

describe("guest reboots", () => {
  it("are spread evenly over the spread from each round's start, within the horizon", () => {
    expect(guestRebootTimes({ everyS: 100, rebootS: 5, startS: 10, spreadS: 40 }, 4, 150)).toEqual([
      { atS: 10, guest: 0 },
      { atS: 20, guest: 1 },
      { atS: 30, guest: 2 },
      { atS: 40, guest: 3 },
      { atS: 110, guest: 0 },
      { atS: 120, guest: 1 },
      { atS: 130, guest: 2 },
      { atS: 140, guest: 3 },
    ]);
  });
});

/** A small estate with rolling host patches one hour in; `modes` as a scenario writes them. */
function patched(opts: { hosts?: number; replicas?: number; parallel?: number; modes?: Record<string, unknown>; guest?: boolean; maintenance?: boolean; memory?: string } = {}) {
  const hosts = opts.hosts ?? 3;
  return scenario({
    version: 1,
    name: "patch",
    seed: 5,
    horizon: 3600 + hosts * 1200 + 3600,
    replications: 1,
    hosts: [{ type: "h", count: hosts, cores: 16, memory: opts.memory ?? "64GiB", prepulled: ["web"] }],
    images: { web: { layers: [{ digest: "base", size: "50MiB" }, { digest: "web", size: "20MiB" }] } },
    apps: [{ name: "web", replicas: opts.replicas ?? 6, image: "web", cpu: 1, memory: "4GiB", init: "2s" }],
    ...(opts.maintenance === false
      ? {}
      : {
          maintenance: {
            hostPatch: { every: "30d", duration: "20m", parallel: opts.parallel ?? 1, start: "1h" },
            ...(opts.guest ? { guestPatch: { every: "30d", reboot: "60s", start: "1h", spread: "30m" } } : {}),
          },
        }),
    modes: opts.modes ?? { bare: {}, container: {}, vm: {}, microvm: {} },
    placement: { policy: "worst-fit" },
  });
}

/**
 * Runs mode `m` and replays its events: what each host has committed at every step (a migration holds
 * its target from `migrating` on), and each instance's last whereabouts.
 */
function replay(s: ReturnType<typeof patched>, m: number) {
  const w = resolveWorkload(s.scenario, s.traces);
  const mode = w.modes[m] as Mode;
  const fp = footprint(w.apps[0]!, mode);
  const committed = new Map<string, { cpu: number; memory: number }>();
  const on = new Map<number, string[]>();
  const last = new Map<number, { event: string; detail: string }>();
  let worst = 0;
  const add = (host: string, sign: number): void => {
    const c = committed.get(host) ?? { cpu: 0, memory: 0 };
    c.cpu += sign * fp.cpuCommitCores;
    c.memory += sign * fp.memoryCommitBytes;
    committed.set(host, c);
    worst = Math.max(worst, c.memory);
  };
  const listener: RunListener = (_t, i, event, detail) => {
    if (i < 0) return;
    const where = on.get(i) ?? [];
    if (event === "placed" || event === "relocated") {
      add(detail, 1);
      on.set(i, [...where, detail]);
    } else if (event === "lost") {
      for (const h of where) add(h, -1);
      on.set(i, []);
    } else if (event === "migrating") {
      const target = /-> (\S+):/.exec(detail)![1]!;
      add(target, 1);
      on.set(i, [...where, target]);
    } else if (event === "migrated") {
      for (const h of where) if (h !== detail) add(h, -1);
      on.set(i, [detail]);
    }
    if (["placed", "relocated", "lost", "migrated", "unplaced", "rejected"].includes(event)) last.set(i, { event, detail });
  };
  const out = runOnce(w, mode, { seed: s.scenario.seed, horizonS: s.scenario.horizon, policy: "worst-fit" }, 0, listener);
  // Every host of the estate is alike: what placement may commit on one.
  const capacityBytes = buildHosts(w, mode)[0]!.memoryCapacityBytes;
  return { out, worst, mode, last, capacityBytes };
}

describe("draining hosts for patches", () => {
  it("live-migrates every VM by the pre-copy model, pausing it for its stop-and-copy only", () => {
    const s = patched({ modes: { vm: { migration: { bandwidth: "10Gbit/s", dirtyRate: "200MB/s" } } } });
    const { out, mode } = replay(s, 0);
    const fp = footprint(resolveWorkload(s.scenario).apps[0]!, mode);
    const m = preCopyMigration({
      memoryBytes: fp.appBytes + fp.guestOsBytes,
      bandwidthBytesPerS: 1.25e9,
      dirtyRateBytesPerS: 2e8,
      downtimeLimitS: 0.3,
      maxRounds: 30,
      onNonConvergence: "force",
    });
    const n = out.metrics["maintenance.migrations"] as number;
    // Three hosts in turn: each of 6 VMs leaves every host it is on when that host is patched.
    expect(n).toBeGreaterThanOrEqual(6);
    expect(out.metrics["maintenance.drained"]).toBe(n);
    expect(out.metrics["maintenance.migrationBytes"]).toBeCloseTo(n * m.bytesMoved, 0);
    expect(out.metrics["maintenance.pause.max"]).toBeCloseTo(m.pauseS, 12);
    expect(out.metrics["maintenance.downtime"]).toBeCloseTo(n * m.pauseS, 9);
    expect(out.metrics["maintenance.unplaced"]).toBe(0);
    // Three patches of 20 minutes, one host after another, each drained in a few seconds.
    expect(out.metrics["maintenance.window"]).toBeGreaterThan(3 * 1200);
    expect(out.metrics["maintenance.window"]).toBeLessThan(3 * 1200 + n * (m.totalS + 1));
  });

  it("an app's own dirty rate overrides the mode's: dirtying faster than the network never converges", () => {
    const s = patched({ modes: { vm: { migration: { bandwidth: "1Gbit/s", maxRounds: 10 } } } });
    const fast = { ...s, scenario: { ...s.scenario, apps: s.scenario.apps.map((a) => ({ ...a, dirtyRate: 200e6 })) } };
    const slow = replay(s, 0).out;
    const out = replay(fast, 0).out;
    expect(slow.metrics["maintenance.nonConverged"]).toBe(0);
    expect(out.metrics["maintenance.nonConverged"]).toBe(out.metrics["maintenance.migrations"]);
    // Forced stop-and-copy of all guest memory (4 GiB app + guest OS) at 125 MB/s: a pause of over 30 s.
    expect(out.metrics["maintenance.pause.max"]).toBeGreaterThan(30);
  });

  it("guest patches reboot each VM once; containers have no guest to reboot", () => {
    const s = patched({ guest: true, modes: { container: {}, vm: {} } });
    const container = replay(s, 0).out;
    const vm = replay(s, 1).out;
    expect(container.metrics["maintenance.guestReboots"]).toBe(0);
    expect(vm.metrics["maintenance.guestReboots"]).toBe(6);
    expect(vm.metrics["maintenance.downtime"]).toBeGreaterThanOrEqual(6 * 60);
  });

  it("bare processes are down for their host's patch window and come back on it", () => {
    const { out } = replay(patched({ modes: { bare: {} } }), 0);
    // 6 processes, each down 20 minutes once (its host's window), plus a restart of seconds.
    expect(out.metrics["maintenance.downtime"]).toBeGreaterThanOrEqual(6 * 1200);
    expect(out.metrics["maintenance.downtime"]).toBeLessThan(6 * 1210);
    expect(out.metrics["availability"]).toBeLessThan(1);
  });

  it("without maintenance, no maintenance metric and availability 1", () => {
    const { out } = replay(patched({ maintenance: false }), 2);
    expect(Object.keys(out.metrics).filter((k) => k.startsWith("maintenance."))).toEqual([]);
    expect(out.metrics["availability"]).toBe(1);
  });

  it("is deterministic: the same seed gives the same metrics and instances", () => {
    const s = patched({ guest: true });
    for (let m = 0; m < 4; m++) {
      const a = replay(s, m).out;
      const b = replay(s, m).out;
      expect(JSON.stringify(b.metrics)).toBe(JSON.stringify(a.metrics));
      expect(JSON.stringify(b.instances)).toBe(JSON.stringify(a.instances));
    }
  });

  it("properties: no host over capacity during a drain; every drained instance ends on a host or unplaced with a reason", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom<Record<string, unknown>>(
          { vm: {} },
          { vm: { drain: "cold" } },
          { vm: { drain: "reschedule" } },
          { vm: { migration: { dirtyRate: "2GB/s", maxRounds: 3 } } },
          { vm: { migration: { dirtyRate: "2GB/s", maxRounds: 3, onNonConvergence: "cold" } } },
          { container: {} },
          { bare: { drain: "reschedule" } },
          { microvm: {} },
          { microvm: { drain: "live" } },
        ),
        (hosts, replicas, parallel, modes) => {
          fc.pre(parallel <= hosts);
          // 32 GiB hosts: 6 instances of 4 GiB fit, so a small estate runs out of room while draining.
          const s = patched({ hosts, replicas, parallel, modes, memory: "32GiB", guest: true });
          const { out, worst, last, capacityBytes } = replay(s, 0);
          expect(worst).toBeLessThanOrEqual(capacityBytes * (1 + 1e-9));
          const placed = out.metrics["instances.placed"] as number;
          for (let i = 0; i < placed; i++) {
            const l = last.get(i);
            if (!l) continue;
            if (l.event === "unplaced" || l.event === "rejected") expect(l.detail).toMatch(/^0\/\d+ hosts: /);
            else expect(["placed", "relocated", "migrated"]).toContain(l.event);
          }
          const a = out.metrics["availability"] as number;
          expect(a).toBeGreaterThanOrEqual(0);
          expect(a).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 25 },
    );
  });
});
