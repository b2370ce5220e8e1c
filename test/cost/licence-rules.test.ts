import { describe, expect, it } from "vitest";
import type { HostUsage, LicenceRule, ModeRef } from "../../sim/cost/index.js";
import { PRESETS, licenceCost, resolveLicence, windowsLicensedCores } from "../../sim/cost/index.js";
import { host } from "./hosts.js";

const vm: ModeRef = { name: "vm", kind: "vm" };
const container: ModeRef = { name: "container", kind: "container" };
const bare: ModeRef = { name: "bare", kind: "bare" };
const std22 = PRESETS["windows-server-2022-standard"].rule;
const dc22 = PRESETS["windows-server-2022-datacenter"].rule;
/** Total licence amount before billing (perpetual: monthly x 36). */
const amount = (rule: LicenceRule, hosts: readonly HostUsage[], mode: ModeRef) => licenceCost(rule, hosts, mode).monthly * 36;

describe("Windows Server: Standard stacks per 2 VMs, Datacenter is flat (winsrv)", () => {
  const winHost = (n: number) => host({ cores: 16, sockets: 1, guests: { linux: 0, windows: n } });

  it("a 16-core one-socket host with n Windows VMs: ceil(n/2) x $1,069 under Standard, $6,155 under Datacenter", () => {
    for (let n = 1; n <= 20; n++) {
      expect(amount(std22, [winHost(n)], vm)).toBeCloseTo(Math.ceil(n / 2) * 1069, 6);
      expect(amount(dc22, [winHost(n)], vm)).toBeCloseTo(6155, 6);
    }
  });

  it("at 2022 prices Standard is cheaper at 10 VMs (5 x 1069 = 5345 < 6155) and Datacenter at 11 (6 x 1069 = 6414 > 6155)", () => {
    expect(amount(std22, [winHost(10)], vm)).toBeCloseTo(5345, 6);
    expect(amount(std22, [winHost(10)], vm)).toBeLessThan(amount(dc22, [winHost(10)], vm));
    expect(amount(std22, [winHost(11)], vm)).toBeCloseTo(6414, 6);
    expect(amount(std22, [winHost(11)], vm)).toBeGreaterThan(amount(dc22, [winHost(11)], vm));
  });

  it("over n = 1..20 the crossover is n = 11: Standard cheaper below, Datacenter from there on", () => {
    const cheaper = Array.from({ length: 20 }, (_, i) => i + 1).map((n) =>
      amount(std22, [winHost(n)], vm) < amount(dc22, [winHost(n)], vm) ? "standard" : "datacenter",
    );
    expect(cheaper.indexOf("datacenter") + 1).toBe(11);
    expect(cheaper.slice(0, 10).every((c) => c === "standard")).toBe(true);
    expect(cheaper.slice(10).every((c) => c === "datacenter")).toBe(true);
  });

  it("the detail line spells out the stacking", () => {
    expect(licenceCost(std22, [winHost(11)], vm).detail).toBe(
      "windows-server-2022-standard: 1 host x ceil(11/2)=6 licensings x 16 cores x $1,069/16 cores = $6,414 perpetual / 36 = $178.17/month",
    );
    const two = licenceCost(std22, [winHost(11), { ...winHost(3), name: "h-2" }], vm);
    expect(two.monthly * 36).toBeCloseTo(6414 + 2 * 1069, 6);
    expect(two.detail).toContain("(1 host x ceil(11/2)=6 licensings x 16 cores + 1 host x ceil(3/2)=2 licensings x 16 cores)");
  });

  it("all physical cores are licensed, at least 8 per CPU and 16 per host: 2 x 24 cores -> 48, 2 x 4 -> 16", () => {
    expect(windowsLicensedCores(48, 2)).toBe(48);
    expect(windowsLicensedCores(8, 2)).toBe(16);
    expect(windowsLicensedCores(4, 1)).toBe(16);
    expect(windowsLicensedCores(16, 4)).toBe(32); // 8 per CPU beats 16 per host
    expect(windowsLicensedCores(17, 1)).toBe(18); // whole 2-core packs
    const big = host({ cores: 48, sockets: 2, guests: { linux: 0, windows: 2 } });
    expect(amount(std22, [big], vm)).toBeCloseTo((1069 * 48) / 16, 6);
    expect(amount(dc22, [big], vm)).toBeCloseTo((6155 * 48) / 16, 6);
    const small = host({ cores: 8, sockets: 2, guests: { linux: 0, windows: 2 } });
    expect(amount(std22, [small], vm)).toBeCloseTo(1069, 6);
  });

  it("a Windows host OS alone (bare or container mode) needs one full licensing", () => {
    const w = host({ hostOs: "windows", containers: 30 });
    expect(amount(std22, [w], container)).toBeCloseTo(1069, 6);
    expect(amount(dc22, [w], container)).toBeCloseTo(6155, 6);
    // A Windows Hyper-V host with 4 Windows guests: the host OS rides on the guests' 2 licensings.
    expect(amount(std22, [host({ hostOs: "windows", guests: { linux: 0, windows: 4 } })], vm)).toBeCloseTo(2 * 1069, 6);
  });
});

describe("RHEL: per socket pair, Server covers 2 guests, Virtual Datacenter unlimited (rhel)", () => {
  const server = PRESETS["rhel-server"].rule;
  const vdc = PRESETS["rhel-virtual-datacenter"].rule;
  const serverGuests = resolveLicence({ preset: "rhel-server", covers: "guests" });
  const serverHosts = resolveLicence({ preset: "rhel-server", covers: "hosts" });
  const perYear = (rule: LicenceRule, ...hs: HostUsage[]) => licenceCost(rule, hs, vm).monthly * 12;

  it("Server: 2 VMs per subscription, stacked; the Linux host OS takes one more per socket pair", () => {
    const h5 = host({ sockets: 2, cores: 32, guests: { linux: 5, windows: 0 } });
    expect(perYear(serverGuests, h5)).toBeCloseTo(3 * server.price, 6);
    expect(perYear(server, h5)).toBeCloseTo((1 + 3) * server.price, 6);
    expect(perYear(serverGuests, host({ sockets: 2, guests: { linux: 4, windows: 0 } }))).toBeCloseTo(2 * server.price, 6);
  });

  it("Virtual Datacenter: unlimited guests per socket pair", () => {
    for (const n of [1, 2, 10, 100])
      expect(perYear(vdc, host({ sockets: 2, guests: { linux: n, windows: 0 } }))).toBeCloseTo(vdc.price, 6);
    expect(perYear(vdc, host({ sockets: 2 }))).toBe(0); // no guests: VDC covers no host OS
  });

  it("a 4-socket host is two socket pairs", () => {
    const four = host({ sockets: 4, cores: 64, guests: { linux: 3, windows: 0 } });
    expect(perYear(vdc, four)).toBeCloseTo(2 * vdc.price, 6);
    expect(perYear(serverHosts, four)).toBeCloseTo(2 * server.price, 6);
    expect(perYear(serverGuests, four)).toBeCloseTo(2 * Math.ceil(3 / 2) * server.price, 6);
    expect(perYear(serverHosts, host({ sockets: 3 }))).toBeCloseTo(2 * server.price, 6);
  });

  it("Virtual Datacenter is about 3.2x Server (rhel)", () => {
    expect(vdc.price / server.price).toBeCloseTo(3.2, 6);
  });
});

describe("vSphere: per core per year, at least 16 cores per CPU (vmware)", () => {
  const vsf = PRESETS["vsphere-foundation"].rule;
  it("a 2 x 8-core host pays for 32 cores: 32 x $135 / 12 a month", () => {
    const c = licenceCost(vsf, [host({ cores: 16, sockets: 2 })], vm);
    expect(c.monthly).toBeCloseTo((32 * 135) / 12, 9);
    expect(c.detail).toBe("vsphere-foundation: 1 host x 32 cores (min 16/CPU x 2) x $135/core = $4,320/year / 12 = $360.00/month");
  });
  it("a 2 x 24-core host pays for its 48 cores; VCF at $350", () => {
    expect(licenceCost(vsf, [host({ cores: 48, sockets: 2 })], vm).monthly).toBeCloseTo((48 * 135) / 12, 9);
    expect(licenceCost(PRESETS["vmware-cloud-foundation"].rule, [host({ cores: 48, sockets: 2 })], vm).monthly).toBeCloseTo((48 * 350) / 12, 9);
  });
  it("applies to hypervisor hosts only: nothing in bare or container modes", () => {
    expect(licenceCost(vsf, [host()], container).monthly).toBe(0);
    expect(licenceCost(vsf, [host()], bare).monthly).toBe(0);
    expect(licenceCost(vsf, [host()], { name: "vm-overcommit", kind: "vm" }).monthly).toBeGreaterThan(0);
  });
});

describe("billing", () => {
  const base = { name: "x", kind: "per-node", price: 3600 } as const;
  it("perpetual is amortised over 36 months by default, or amortizeMonths", () => {
    expect(licenceCost({ ...base, billing: "perpetual" }, [host()], vm).monthly).toBe(100);
    expect(licenceCost({ ...base, billing: "perpetual", amortizeMonths: 60 }, [host()], vm).monthly).toBe(60);
  });
  it("a yearly subscription is / 12, a monthly one as is", () => {
    expect(licenceCost({ ...base, billing: "year" }, [host()], vm).monthly).toBe(300);
    expect(licenceCost({ ...base, billing: "month" }, [host()], vm).monthly).toBe(3600);
    expect(licenceCost({ ...base, billing: "year" }, [host()], vm).detail).toBe("x: 1 host x $3,600/host = $3,600/year / 12 = $300.00/month");
  });
});

describe("rule filters", () => {
  const mixed = host({ guests: { linux: 7, windows: 0 } });
  it("a windows rule does not charge linux guests (or a linux host OS)", () => {
    const c = licenceCost(std22, [mixed], vm);
    expect(c.monthly).toBe(0);
    expect(c.detail).toBe("windows-server-2022-standard: nothing to license in mode vm = $0.00/month");
    expect(licenceCost(std22, [host({ guests: { linux: 7, windows: 1 } })], vm).monthly * 36).toBeCloseTo(1069, 6);
  });
  it("a rule limited to modes [vm] charges nothing in container mode", () => {
    const rule = resolveLicence({ preset: "rhel-server", modes: ["vm"] });
    expect(licenceCost(rule, [mixed], vm).monthly).toBeGreaterThan(0);
    const c = licenceCost(rule, [host({ containers: 40 })], container);
    expect(c.monthly).toBe(0);
    expect(c.detail).toBe("rhel-server: not applied to mode container = $0.00/month");
  });
  it("per OS instance: guests, hosts or both, of the rule's OS family", () => {
    const rule: LicenceRule = { name: "os", kind: "per-os-instance", os: "linux", price: 10, billing: "month" };
    const h = host({ guests: { linux: 3, windows: 2 } });
    expect(licenceCost(rule, [h], vm).monthly).toBe(40);
    expect(licenceCost({ ...rule, covers: "guests" }, [h], vm).monthly).toBe(30);
    expect(licenceCost({ ...rule, covers: "hosts" }, [h], vm).monthly).toBe(10);
    expect(licenceCost({ ...rule, os: "windows" }, [h], vm).monthly).toBe(20);
    expect(licenceCost(rule, [h], vm).detail).toBe("os: 1 host x 4 OS instances (host OS + 3 guests) x $10/OS instance = $40.00/month");
  });
});
