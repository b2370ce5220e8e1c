import { describe, expect, it } from "vitest";
import { runExperiment } from "../../sim/experiment/index.js";
import { loadScenarioFile, loadScenarioText, type ScenarioIssue } from "../../sim/scenario/index.js";

const total = (file: string, sets: string[], mode: string): number => {
  const l = loadScenarioFile(file, { sets });
  if (!l.ok) throw new Error(l.issues.map((i) => i.message).join("; "));
  return runExperiment(l, { modes: [mode] }).results.modes[mode]!.summary["cost.monthly.licenses"]!.mean;
};

describe("windows-licensing.yaml: the Standard/Datacenter crossover", () => {
  const f = "scenarios/windows-licensing.yaml";
  it("at 10 VMs per 16-core host Standard is cheaper, at 11 Datacenter", () => {
    // Two hosts, worst-fit: replicas 20 -> 10 per host, 22 -> 11 per host.
    const std10 = total(f, ["apps.erp.replicas=20"], "vm-standard");
    const dc10 = total(f, ["apps.erp.replicas=20"], "vm-datacenter");
    const std11 = total(f, ["apps.erp.replicas=22"], "vm-standard");
    const dc11 = total(f, ["apps.erp.replicas=22"], "vm-datacenter");
    expect(std10).toBeCloseTo((2 * 5 * 1069) / 36, 6);
    expect(dc10).toBeCloseTo((2 * 6155) / 36, 6);
    expect(std10).toBeLessThan(dc10);
    expect(std11).toBeCloseTo((2 * 6 * 1069) / 36, 6);
    expect(dc11).toBeLessThan(std11);
  });
  it("process-isolated containers pay only for the host OS licence", () => {
    expect(total(f, [], "container")).toBeCloseTo((2 * 1069) / 36, 6);
  });
});

describe("rhel-vdc.yaml", () => {
  it("RHEL Server stacks per 2 guests per socket pair; VDC is one per socket pair plus the host OS", () => {
    const f = "scenarios/rhel-vdc.yaml";
    // 4 one-pair hosts with 10 guests each: Server 4 x (1 host + 5 guest) subscriptions; VDC 4 + host OS 4.
    expect(total(f, [], "vm-rhel-server")).toBeCloseTo((4 * 6 * 799) / 12, 6);
    expect(total(f, [], "vm-rhel-vdc")).toBeCloseTo((4 * 799 * 3.2 + 4 * 799) / 12, 6);
  });
});

describe("cost inputs a user can get wrong", () => {
  const HEAD = `version: 1
name: t
hosts: [ { type: h, cores: 16, memory: 64GiB, cost: { monthly: 300 } } ]
apps: [ { name: a, replicas: 2, cpu: 1, memory: 1GiB } ]
modes: { vm: {}, container: {} }
licenses:
`;
  const issues = (text: string): readonly ScenarioIssue[] => {
    const r = loadScenarioText(text, "c.yaml");
    if (r.ok) throw new Error("expected issues");
    return r.issues;
  };
  it("an unknown preset", () => {
    const [i] = issues(`${HEAD}  - { preset: windows-server-2019-standard }\n`);
    expect(i!.where).toBe("c.yaml:7:15");
    expect(i!.path).toBe("licenses[0].preset");
    expect(i!.message).toMatch(/^expected "windows-server-2022-standard" or .*found "windows-server-2019-standard"$/);
  });
  it("a negative price", () => {
    const [i] = issues(`${HEAD}  - { preset: rhel-server, price: -5 }\n`);
    expect(i!.where).toBe("c.yaml:7:35");
    expect(i!.path).toBe("licenses[0].price");
    expect(i!.message).toBe("expected a value >= 0, found -5");
  });
  it("a rule naming a mode the scenario does not compare", () => {
    const [i] = issues(`${HEAD}  - { preset: rhel-server, modes: [vm, microvm] }\n`);
    expect(i!.where).toBe("c.yaml:7:40");
    expect(i!.path).toBe("licenses[0].modes[1]");
    expect(i!.message).toBe('expected a mode the scenario compares (one of: vm, container), found "microvm"');
  });
  it("a licence with neither price nor preset", () => {
    const [i] = issues(`${HEAD}  - { kind: per-os-instance, name: support }\n`);
    expect(i!.where).toBe("c.yaml:7:5");
    expect(i!.path).toBe("licenses[0]");
    expect(i!.message).toMatch(/^expected a preset, or a kind with a price/);
  });
});
