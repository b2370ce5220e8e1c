/** SQL Server per-core licences (sqlserver): the rule's arithmetic, and scenarios/windows-sql.yaml worked by hand. */
import { describe, expect, it } from "vitest";
import { PRESETS, licenceCost, resolveLicence, sqlHostCores, sqlLicensedCores, type LicenceRule } from "../../sim/cost/index.js";
import { runExperiment } from "../../sim/experiment/index.js";
import { loadScenarioFile } from "../../sim/scenario/index.js";
import { host } from "./hosts.js";

const vm = { name: "vm", kind: "vm" } as const;
const bare = { name: "bare", kind: "bare" } as const;
const std = resolveLicence({ preset: "sql-server-2022-standard", apps: ["sql"] });
const ent = resolveLicence({ preset: "sql-server-2022-enterprise", apps: ["sql"] });
const entHost = resolveLicence({ preset: "sql-server-2022-enterprise-host", apps: ["sql"] });
const sa = resolveLicence({ preset: "sql-server-2022-enterprise-sa", apps: ["sql"] });

describe("SQL Server per core: 2-core packs, 4 cores minimum per VM or container", () => {
  it("rounds cores up to packs with a 4-core floor", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((c) => sqlLicensedCores(c))).toEqual([4, 4, 4, 4, 6, 6, 8, 8]);
    expect(sqlHostCores(24, 2)).toBe(24);
    expect(sqlHostCores(6, 2)).toBe(8); // 4 per CPU
  });

  it("prices each VM's vCPUs: 3 VMs of 2 vCPUs + 1 of 6 = 3 x 4 + 6 = 18 cores = 9 packs x $3,945, over 36 months", () => {
    const h = host({ cores: 24, sockets: 2, apps: [{ name: "sql", instances: 3, cores: 2 }, { name: "big", instances: 1, cores: 6 }] });
    const rule: LicenceRule = { ...std, apps: ["sql", "big"] } as LicenceRule;
    const c = licenceCost(rule, [h], vm);
    expect(c.monthly).toBeCloseTo((9 * 3945) / 36, 9);
    expect(c.detail).toContain("3 sqls x 4 cores + 1 big x 6 cores");
  });

  it("licenses only the apps it names", () => {
    const h = host({ apps: [{ name: "web", instances: 10, cores: 2 }] });
    expect(licenceCost(std, [h], vm).monthly).toBe(0);
  });

  it("Enterprise per instance: the same cores at $15,123 a pack", () => {
    const h = host({ apps: [{ name: "sql", instances: 2, cores: 4 }] });
    expect(licenceCost(ent, [h], vm).monthly).toBeCloseTo((4 * 15123) / 36, 9);
  });

  it("Enterprise on all physical cores covers any number of instances; Software Assurance is 25% a year on the same cores", () => {
    const few = host({ cores: 24, sockets: 2, apps: [{ name: "sql", instances: 1, cores: 2 }] });
    const many = host({ cores: 24, sockets: 2, apps: [{ name: "sql", instances: 40, cores: 8 }] });
    for (const h of [few, many]) {
      expect(licenceCost(entHost, [h], vm).monthly).toBeCloseTo((12 * 15123) / 36, 9);
      expect(licenceCost(sa, [h], vm).monthly).toBeCloseTo((12 * 3780.75) / 12, 9);
    }
    expect(PRESETS["sql-server-2022-enterprise-sa"].rule.price).toBe(3780.75);
    expect(PRESETS["sql-server-2022-enterprise-host"].note).toMatch(/ONLY with Software Assurance/);
  });

  it("in the host's own OS (bare) it licenses the physical cores once, however many processes", () => {
    const h = host({ cores: 16, sockets: 2, apps: [{ name: "sql", instances: 3, cores: "physical" }] });
    expect(licenceCost(std, [h], bare).monthly).toBeCloseTo((8 * 3945) / 36, 9);
  });

  it("a host without the apps owes nothing", () => {
    expect(licenceCost(entHost, [host({ apps: [] })], vm).monthly).toBe(0);
  });
});

describe("scenarios/windows-sql.yaml by hand", () => {
  const loaded = loadScenarioFile("scenarios/windows-sql.yaml", { replications: 1 });
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join("\n"));
  const r = runExperiment(loaded).results;
  const rule = (mode: string, name: string) => {
    const item = r.modes[mode]!.costItems.find((x) => x.name === name);
    return item ? { monthly: item.monthly.mean, detail: item.detail } : undefined;
  };

  it("places all 40 instances in every mode", () => {
    for (const m of Object.values(r.modes)) expect(m.summary["instances.placed"]!.mean).toBe(40);
  });

  it("SQL Server Standard per VM or container: 10 instances of 2 cores -> 4 cores each = 40 cores = 20 packs x $3,945 = $78,900, / 36 = $2,191.67 a month", () => {
    for (const mode of ["vm", "container-process", "container-hyperv"]) {
      const c = rule(mode, "sql-server-2022-standard")!;
      expect(c.monthly).toBeCloseTo(78900 / 36, 6);
    }
  });

  it("SQL Server Enterprise on every physical core: 3 hosts x 24 cores = 36 packs x $15,123 / 36 months + SA 36 x $3,780.75 / 12", () => {
    expect(rule("vm-sql-enterprise", "sql-server-2022-enterprise-host")!.monthly).toBeCloseTo((36 * 15123) / 36, 6);
    expect(rule("vm-sql-enterprise", "sql-server-2022-enterprise-sa")!.monthly).toBeCloseTo((36 * 3780.75) / 12, 6);
  });

  it("Windows Server: Datacenter on 3 x 24 cores for VMs and Hyper-V containers; Standard once per host for process isolation", () => {
    const dc = (3 * 24 * 6155) / 16 / 36;
    const st = (3 * 24 * 1069) / 16 / 36;
    expect(rule("vm", "windows-server-2022-datacenter")!.monthly).toBeCloseTo(dc, 6);
    expect(rule("container-hyperv", "windows-server-2022-datacenter")!.monthly).toBeCloseTo(dc, 6);
    expect(rule("container-process", "windows-server-2022-standard")!.monthly).toBeCloseTo(st, 6);
    expect(r.modes["container-process"]!.summary["cost.monthly.licenses"]!.mean).toBeCloseTo(st + 78900 / 36, 6);
  });

  it("Hyper-V isolation counts every container as an OS instance with a utility VM's memory; process isolation does not", () => {
    expect(r.modes["container-hyperv"]!.summary["osInstances"]!.mean).toBe(43);
    expect(r.modes["container-process"]!.summary["osInstances"]!.mean).toBe(3);
    expect(r.modes["container-hyperv"]!.summary["memory.guestOs"]!.mean).toBe(40 * 300 * 2 ** 20);
    expect(r.modes["container-process"]!.summary["memory.guestOs"]!.mean).toBe(0);
  });
});
