/**
 * Start-up steps as the model defines them: a per-host serial server shared by instances starting
 * at once, seeded variability with common random numbers across modes, constant overrides, a
 * management plane's limit on provisioning at once, and lazy pulling.
 */
import { describe, expect, it } from "vitest";
import { resolveWorkload, runOnce, type RunOutput } from "../../sim/experiment/index.js";
import { STARTUP_PHASES } from "../../sim/model/index.js";
import { loadScenarioText } from "../../sim/scenario/index.js";
import { scenario } from "../helpers/scenario.js";

const PULL = STARTUP_PHASES.indexOf("pull");
const PROVISION = STARTUP_PHASES.indexOf("provision");
const BOOT = STARTUP_PHASES.indexOf("boot");
const CREATE = STARTUP_PHASES.indexOf("create");

function runAll(input: Record<string, unknown>, horizonS = 3600): RunOutput[] {
  const s = scenario({ version: 1, name: "s", replications: 1, horizon: horizonS, ...input });
  const w = resolveWorkload(s.scenario);
  return w.modes.map((m) => runOnce(w, m, { seed: 3, horizonS, policy: "first-fit" }, 0));
}

describe("variability: start-up quantiles differ", () => {
  it("24 instances of one app at once on one host with a constant init: p50 < max in every mode", () => {
    const runs = runAll({
      hosts: [{ type: "h", cores: 64, memory: "512GiB" }],
      images: { app: { layers: [{ digest: "app", size: "100MiB" }] } },
      apps: [{ name: "web", replicas: 24, cpu: 1, memory: "512MiB", init: "2s", image: "app" }],
    });
    expect(runs).toHaveLength(4); // bare, container, vm, microvm
    for (const r of runs) {
      expect(r.metrics["instances.placed"]).toBe(24);
      expect(r.metrics["startup.p50"]!).toBeLessThan(r.metrics["startup.max"]!);
    }
  });

  it("constant steps remain available: with every step a bare duration, all 24 are ready at one instant", () => {
    const [r] = runAll({
      hosts: [{ type: "h", cores: 64, memory: "512GiB" }],
      apps: [{ name: "web", replicas: 24, cpu: 1, memory: "512MiB", init: "2s" }],
      modes: { container: { create: "300ms", serial: "100ms", createDisk: 0, cache: "warm" } },
    });
    expect(r!.metrics["startup.p50"]).toBe(r!.metrics["startup.max"]);
    // 24 serial steps of 100 ms processor-shared, then 300 ms, then 2 s of init on a core each.
    expect(r!.metrics["startup.max"]!).toBeCloseTo(2.4 + 2.3, 6);
  });

  it("common random numbers: a replica draws the same variates in every mode (same boot parameters, same boot times)", () => {
    const [kvm, vmware] = runAll({
      hosts: [{ type: "h", cores: 64, memory: "512GiB" }],
      apps: [{ name: "web", replicas: 6, cpu: 1, memory: "512MiB", start: { stagger: "60s" } }],
      modes: { kvm: { kind: "vm", profile: "kvm-linux" }, vmware: { kind: "vm", profile: "vmware-linux" } },
    });
    const boots = (r: RunOutput) => r.instances.map((i) => i.phases[BOOT]!);
    expect(boots(kvm!)).toEqual(boots(vmware!));
    expect(new Set(boots(kvm!)).size).toBe(6);
  });
});

describe("the per-host serial server", () => {
  it("n containers created at once each take about n serial steps (processor sharing), hosts apart do not share it", () => {
    // One-core hosts hold one instance each.
    const create = (n: number, hosts: number) =>
      runAll({
        hosts: [{ type: "h", count: hosts, cores: hosts === 1 ? 64 : 1, memory: "64GiB" }],
        apps: [{ name: "web", replicas: n, cpu: 1, memory: "64MiB" }],
        modes: { container: { create: 0, serial: "200ms", createDisk: 0, cache: "warm" } },
      })[0]!.instances.map((i) => i.phases[CREATE]!);
    for (const t of create(10, 1)) expect(t).toBeCloseTo(2, 6);
    for (const t of create(10, 10)) expect(t).toBeCloseTo(0.2, 6);
  });

  it("create's disk work paces the serial step on a slow disk only", () => {
    const alone = (disk: string) =>
      runAll({
        hosts: [{ type: "h", cores: 8, memory: "64GiB", disk: { bandwidth: disk } }],
        apps: [{ name: "web", replicas: 1, cpu: 1, memory: "64MiB" }],
        modes: { container: { create: 0, serial: "200ms", createDisk: "50MB", cache: "warm" } },
      })[0]!.instances[0]!.phases[CREATE]!;
    expect(alone("1GB/s")).toBeCloseTo(0.2, 6);
    expect(alone("100MB/s")).toBeCloseTo(0.5, 6);
  });
});

describe("a management plane's limit on provisioning at once", () => {
  it("vmware-linux with 1 operation per host: full copies go one after another (FIFO), not all together", () => {
    const provision = (ops: number) =>
      runAll({
        hosts: [{ type: "h", cores: 64, memory: "512GiB", disk: { bandwidth: "1GB/s" } }],
        apps: [{ name: "db", replicas: 4, cpu: 1, memory: "512MiB" }],
        // No boot reads, so a booting VM leaves the disk to the next copy.
        modes: { vm: { profile: "vmware-linux", provision: { copy: "1GB", concurrentOps: ops }, serial: 0, boot: { read: 0 } } },
      })[0]!
        .instances.map((i) => i.phases[PROVISION]!)
        .sort((a, b) => a - b);
    // A copy reads and writes 1 GB on a 1 GB/s disk: 2 s alone.
    provision(1).forEach((t, k) => expect(t).toBeCloseTo(2 * (k + 1), 6));
    for (const t of provision(0)) expect(t).toBeCloseTo(8, 6);
  });
});

describe("pull: lazy", () => {
  const input = (pull: string) => ({
    hosts: [{ type: "h", cores: 16, memory: "64GiB", network: "1Gbit/s" }],
    registry: { bandwidth: "1Gbit/s", latency: 0 },
    images: { big: { layers: [{ digest: "base", size: "400MiB" }, { digest: "app", size: "600MiB" }] } },
    apps: [{ name: "web", replicas: 4, cpu: 1, memory: "512MiB", image: "big" }],
    modes: { container: { pull } },
  });
  const eager = runAll(input("eager"))[0]!;
  const lazy = runAll(input("lazy"))[0]!;

  it("the app starts once the share read at start is local: the pull phase shrinks about as much as the bytes fetched first", () => {
    const pullS = (r: RunOutput) => r.instances[0]!.phases[PULL]!;
    expect(pullS(lazy) / pullS(eager)).toBeGreaterThan(0.04);
    expect(pullS(lazy) / pullS(eager)).toBeLessThan(0.1);
    expect(lazy.metrics["startup.max"]!).toBeLessThan(eager.metrics["startup.max"]! / 3);
  });

  it("the rest still comes over the same network and is counted in pull.bytes", () => {
    expect(lazy.metrics["pull.bytes"]).toBeCloseTo(eager.metrics["pull.bytes"]!, 0);
    expect(lazy.metrics["pull.bytes"]).toBeCloseTo(1000 * 2 ** 20, 0);
  });

  it("a layer already on the host is not fetched again", () => {
    const warm = runAll({ ...input("lazy"), hosts: [{ type: "h", cores: 16, memory: "64GiB", prepulled: ["big"] }] })[0]!;
    expect(warm.metrics["pull.bytes"]).toBe(0);
  });

  it("pull in a VM mode is an error at its position", () => {
    const r = loadScenarioText(
      "version: 1\nname: x\nhosts: [{ type: h, cores: 4, memory: 8GiB }]\napps: [{ name: a, replicas: 1, cpu: 1, memory: 1GiB }]\nmodes:\n  vm: { pull: lazy }\n",
      "x.yaml",
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ path: "modes.vm.pull", where: "x.yaml:6:9" });
    expect(r.issues[0]!.message).toMatch(/only to container modes/);
  });
});
