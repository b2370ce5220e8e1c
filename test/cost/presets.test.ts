import { describe, expect, it } from "vitest";
import { PRESETS, formatPresets, licenceSpecProblems, presetNames, resolveLicence } from "../../sim/cost/index.js";

describe("licence presets", () => {
  it("list prices from docs/calibration.md (winsrv, vmware, docker)", () => {
    expect(PRESETS["windows-server-2022-standard"].rule).toMatchObject({ kind: "per-core-stacking", price: 1069, allowance: 2, billing: "perpetual" });
    expect(PRESETS["windows-server-2022-datacenter"].rule).toMatchObject({ kind: "per-core-unlimited", price: 6155 });
    expect(PRESETS["windows-server-2025-standard"].rule.price).toBe(1176);
    expect(PRESETS["windows-server-2025-datacenter"].rule.price).toBe(6771);
    expect(PRESETS["vsphere-foundation"].rule).toMatchObject({ kind: "per-core-subscription", price: 135, billing: "year" });
    expect(PRESETS["vmware-cloud-foundation"].rule.price).toBe(350);
    expect(PRESETS["docker-engine"].rule).toMatchObject({ kind: "per-node", price: 0 });
    for (const name of presetNames) {
      expect(PRESETS[name].rule.name).toBe(name);
      expect(["winsrv", "rhel", "vmware", "docker", "sqlserver"]).toContain(PRESETS[name].source);
      expect(PRESETS[name].date.length).toBeGreaterThan(0);
    }
  });

  it("a scenario overrides any field: { preset, price }", () => {
    expect(resolveLicence({ preset: "rhel-server", price: 1299 })).toEqual({ ...PRESETS["rhel-server"].rule, price: 1299 });
    expect(resolveLicence({ preset: "vsphere-foundation", modes: ["vm"], name: "vsf" })).toMatchObject({ name: "vsf", modes: ["vm"], price: 135 });
  });

  it("rejects overrides that do not fit the preset's rule kind, and bad values", () => {
    expect(licenceSpecProblems({ preset: "windows-server-2022-datacenter", allowance: 4 })).toEqual([
      "allowance does not apply to preset windows-server-2022-datacenter (a per-core-unlimited rule)",
    ]);
    expect(licenceSpecProblems({ preset: "rhel-server", price: -1 })[0]).toMatch(/price must be a non-negative number/);
    expect(licenceSpecProblems({ preset: "windows-server-2022-standard", allowance: "unlimited" })[0]).toMatch(/per-core-unlimited/);
    expect(() => resolveLicence({ preset: "docker-engine", covers: "guests" })).toThrow(/covers does not apply/);
  });

  it("formatPresets lists every preset with rule kind, price, billing, date and source key", () => {
    const text = formatPresets();
    for (const name of presetNames) expect(text).toContain(name);
    const line = (name: string) => text.split("\n").find((l) => l.startsWith(`${name} `)) ?? "";
    expect(line("windows-server-2022-standard")).toMatch(/per-core-stacking +\$1,069 \/ 16 cores, 2 OS instances each +perpetual, \/ 36 months .*winsrv$/);
    expect(line("vsphere-foundation")).toMatch(/\$135 \/ core, min 16 per CPU +per year, \/ 12 .*mid 2026 +vmware$/);
    expect(line("rhel-virtual-datacenter")).toContain("$2,556.80 / socket pair, unlimited guests");
  });
});
