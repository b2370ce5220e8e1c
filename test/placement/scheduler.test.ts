import { describe, expect, it } from "vitest";
import { resolveWorkload, runExperiment, runOnce } from "../../sim/experiment/index.js";
import { summarise } from "../../sim/placement/index.js";
import { scenario } from "../helpers/scenario.js";

const hosts = (n: number, memory = "64GiB", cores = 16) => [{ type: "h", count: n, cores, memory }];

function run(apps: unknown[], mode: Record<string, unknown>, policy = "best-fit", h = hosts(4)) {
  const s = scenario({ version: 1, name: "t", replications: 1, hosts: h, apps, modes: mode, placement: { policy } });
  const w = resolveWorkload(s.scenario);
  return runOnce(w, w.modes[0]!, { seed: 1, horizonS: 60, policy: s.scenario.placement.policy }, 0);
}

describe("rejection reasons, kubectl style", () => {
  it("sums up every host's first failing filter, most common first", () => {
    expect(summarise(4, new Map([["port 8080 in use", 1], ["insufficient memory", 3]]))).toBe(
      "0/4 hosts: 3 insufficient memory, 1 port 8080 in use",
    );
    expect(summarise(1, new Map([["insufficient cpu", 1]]))).toBe("0/1 host: 1 insufficient cpu");
  });

  it("bare: one process per port per host; the fifth replica is rejected naming the port", () => {
    const out = run([{ name: "web", replicas: 5, cpu: 1, memory: "1GiB", ports: [8080] }], { bare: {} });
    expect(out.metrics["instances.placed"]).toBe(4);
    expect(out.rejections).toEqual([{ app: "web", count: 1, reason: "0/4 hosts: 4 port 8080 in use" }]);
  });

  it("containers and VMs do not collide on listening ports; containers do on published ports", () => {
    const apps = [{ name: "web", replicas: 8, cpu: 1, memory: "1GiB", ports: [8080] }];
    expect(run(apps, { container: {} }).metrics["instances.placed"]).toBe(8);
    expect(run(apps, { vm: {} }).metrics["instances.placed"]).toBe(8);
    const published = run([{ name: "web", replicas: 8, cpu: 1, memory: "1GiB", publish: [80] }], { container: {} });
    expect(published.metrics["instances.placed"]).toBe(4);
    expect(published.rejections[0]?.reason).toBe("0/4 hosts: 4 port 80 in use");
  });

  it("bare: two versions of one runtime family cannot share a host, two families can", () => {
    const apps = [
      { name: "a", replicas: 2, runtime: "java@11", cpu: 1, memory: "1GiB" },
      { name: "b", replicas: 2, runtime: "java@17", cpu: 1, memory: "1GiB" },
      { name: "c", replicas: 1, runtime: "python@3.11", cpu: 1, memory: "1GiB" },
      { name: "d", replicas: 1, runtime: "java@8", cpu: 1, memory: "1GiB" },
    ];
    const out = run(apps, { bare: {} }, "first-fit", hosts(2));
    // a -> host-1 (both), b -> host-2 (both), c -> host-1, d -> nowhere.
    expect(out.hostInstances).toEqual([3, 2]);
    expect(out.rejections).toEqual([{ app: "d", count: 1, reason: "0/2 hosts: 1 runtime conflict java@11, 1 runtime conflict java@17" }]);
    expect(run(apps, { container: {} }, "first-fit", hosts(2)).metrics["instances.rejected"]).toBe(0);
  });

  it("bare processes keep Linux and Windows apps on different hosts (a container mode runs one OS family: its profile's)", () => {
    const apps = [
      { name: "l", replicas: 1, cpu: 1, memory: "1GiB" },
      { name: "w", replicas: 1, os: "windows", cpu: 1, memory: "1GiB" },
    ];
    const out = run(apps, { bare: {} }, "first-fit", hosts(1));
    expect(out.rejections[0]?.reason).toBe("0/1 host: 1 os conflict linux");
  });
});

describe("policies", () => {
  const apps = [{ name: "a", replicas: 6, cpu: 1, memory: "8GiB" }];
  it("best-fit packs, worst-fit spreads, first-fit fills in host order", () => {
    expect(run(apps, { container: {} }, "best-fit").hostInstances).toEqual([6, 0, 0, 0]);
    expect(run(apps, { container: {} }, "worst-fit").hostInstances).toEqual([2, 2, 1, 1]);
    expect(run(apps, { container: {} }, "first-fit").hostInstances).toEqual([6, 0, 0, 0]);
  });

  it("ffd places the largest first and so fits what first-fit in arrival order cannot", () => {
    // Two hosts of 10 GiB usable. Arrival order 4,4,6,6: first-fit puts 4+4 on host 1, 6 on host 2, rejects the last 6.
    const items = [
      { name: "small", replicas: 2, cpu: 0.1, memory: "4GiB" },
      { name: "large", replicas: 2, cpu: 0.1, memory: "6GiB" },
    ];
    const h = hosts(2, "10GiB");
    expect(run(items, { bare: {} }, "first-fit", h).metrics["instances.rejected"]).toBe(1);
    expect(run(items, { bare: {} }, "ffd", h).metrics["instances.rejected"]).toBe(0);
    expect(run(items, { bare: {} }, "bfd", h).metrics["instances.rejected"]).toBe(0);
  });
});

describe("runtime-conflicts.yaml", () => {
  it("bare needs more hosts or rejects where containers and VMs do not, and names the conflicts", async () => {
    const { loadScenarioFile } = await import("../../sim/scenario/index.js");
    const loaded = loadScenarioFile("scenarios/runtime-conflicts.yaml");
    if (!loaded.ok) throw new Error("scenario invalid");
    const r = runExperiment(loaded).results;
    const m = (mode: string, metric: string) => r.modes[mode]!.summary[metric]!.mean;
    for (const other of ["container", "vm"]) {
      expect(m(other, "instances.rejected")).toBe(0);
      expect(m("bare", "instances.rejected") > 0 || m("bare", "hosts.used") > m(other, "hosts.used")).toBe(true);
    }
    const reasons = r.modes.bare!.runs[0]!.rejections.map((x) => x.reason).join("\n");
    expect(reasons).toMatch(/runtime conflict java@(8|11|17)/);
  });
});
