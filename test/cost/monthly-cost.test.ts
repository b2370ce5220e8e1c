import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CostInput, HostUsage, LicenceRule } from "../../sim/cost/index.js";
import { MODE_KINDS } from "../../sim/model/index.js";
import { PRESETS, monthlyCost, presetNames, resolveLicence } from "../../sim/cost/index.js";
import { host } from "./hosts.js";

const allPresets: LicenceRule[] = presetNames.map((n) => PRESETS[n].rule);
const userRules: LicenceRule[] = [
  { name: "os-both", kind: "per-os-instance", price: 7, billing: "month" },
  { name: "os-guests", kind: "per-os-instance", os: "windows", covers: "guests", price: 9, billing: "perpetual", amortizeMonths: 12 },
  { name: "platform", kind: "per-node", price: 250, billing: "year" },
  { name: "rhel-guests", kind: "per-socket-pair", os: "linux", allowance: 2, covers: "guests", price: 799, billing: "year" },
];

describe("monthlyCost", () => {
  it("sums hosts, licences and operations for one mode, skipping idle hosts", () => {
    const hosts: HostUsage[] = [
      host({ name: "h-1", cores: 32, sockets: 2, guests: { linux: 0, windows: 11 } }),
      host({ name: "h-2", cores: 32, sockets: 2, guests: { linux: 0, windows: 3 } }),
      host({ name: "h-3", cores: 32, sockets: 2, used: false, cpuUtilization: 0 }),
    ];
    const input: CostInput = {
      hosts,
      mode: { name: "vm", kind: "vm" },
      hostCost: { monthly: 350 },
      licences: [resolveLicence({ preset: "windows-server-2022-standard" }), resolveLicence({ preset: "vsphere-foundation" })],
      operations: { patchHoursPerOsInstance: 0.5, hourlyRate: 80 },
    };
    const c = monthlyCost(input);
    // Standard: (6 + 2) licensings x 32 cores = 16 x 16-core units x $1,069 / 36.
    const windows = (8 * 2 * 1069) / 36;
    const vsphere = (2 * 32 * 135) / 12;
    expect(c.hosts).toBe(700);
    expect(c.perRule.map((r) => r.name)).toEqual(["windows-server-2022-standard", "vsphere-foundation"]);
    expect(c.perRule[0]!.monthly).toBeCloseTo(windows, 9);
    expect(c.perRule[1]!.monthly).toBeCloseTo(vsphere, 9);
    expect(c.licenses).toBeCloseTo(windows + vsphere, 9);
    expect(c.osInstances).toBe(2 + 14);
    expect(c.operations).toBe(16 * 40);
    expect(c.total).toBeCloseTo(700 + windows + vsphere + 640, 9);
    // Counting the idle host adds its hardware, its vSphere cores and its host OS patching.
    const all = monthlyCost({ ...input, countIdleHosts: true });
    expect(all.hosts).toBe(1050);
    expect(all.perRule[1]!.monthly).toBeCloseTo((3 * 32 * 135) / 12, 9);
    expect(all.operations).toBe(17 * 40);
  });

  interface RawHost {
    cores: number;
    sockets: number;
    used: boolean;
    cpuUtilization: number;
    linux: number;
    windows: number;
    hostOs: "linux" | "windows";
    containers: number;
  }
  const hostArb: fc.Arbitrary<RawHost> = fc.record({
    cores: fc.integer({ min: 1, max: 128 }),
    sockets: fc.integer({ min: 1, max: 8 }),
    used: fc.boolean(),
    cpuUtilization: fc.double({ min: 0, max: 1, noNaN: true }),
    linux: fc.nat(40),
    windows: fc.nat(40),
    hostOs: fc.constantFrom("linux" as const, "windows" as const),
    containers: fc.nat(100),
  });
  const toHost = (h: RawHost, i: number): HostUsage => ({
    name: `h-${i + 1}`,
    cores: h.cores,
    sockets: h.sockets,
    used: h.used || h.linux + h.windows > 0,
    cpuUtilization: h.cpuUtilization,
    guests: { linux: h.linux, windows: h.windows },
    hostOs: h.hostOs,
    containers: h.containers,
  });

  it("property: costs are non-negative and monotone non-decreasing in the guests per host", () => {
    fc.assert(
      fc.property(
        fc.array(hostArb, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(...MODE_KINDS),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.record({ at: fc.nat(), linux: fc.nat(30), windows: fc.nat(30) }), { maxLength: 4 }),
        (raw, kind, countIdleHosts, microvmGuestsArePatched, extra) => {
          const base = raw.map(toHost);
          const more = raw
            .map((h) => ({ ...h }))
            .map((h, i) => {
              for (const e of extra)
                if (e.at % raw.length === i) {
                  h.linux += e.linux;
                  h.windows += e.windows;
                }
              return h;
            })
            .map(toHost);
          const input = (hosts: HostUsage[]): CostInput => ({
            hosts,
            mode: { name: kind, kind },
            hostCost: { price: 9000, watts: { idle: 120, max: 450 }, kwhPrice: 0.2 },
            licences: [...allPresets, ...userRules],
            operations: { patchHoursPerOsInstance: 0.5, hourlyRate: 80, microvmGuestsArePatched },
            countIdleHosts,
          });
          const a = monthlyCost(input(base));
          const b = monthlyCost(input(more));
          for (const c of [a, b]) {
            for (const v of [c.total, c.hosts, c.licenses, c.operations, ...c.perRule.map((r) => r.monthly)]) expect(v).toBeGreaterThanOrEqual(0);
            expect(c.total).toBeCloseTo(c.hosts + c.licenses + c.operations, 6);
          }
          const eps = 1e-9;
          expect(b.total).toBeGreaterThanOrEqual(a.total - eps);
          expect(b.licenses).toBeGreaterThanOrEqual(a.licenses - eps);
          expect(b.operations).toBeGreaterThanOrEqual(a.operations - eps);
          a.perRule.forEach((r, i) => expect(b.perRule[i]!.monthly).toBeGreaterThanOrEqual(r.monthly - eps));
        },
      ),
      { seed: 20260101, numRuns: 300 },
    );
  });

  it("is deterministic: the same input gives the same output, details included", () => {
    const input: CostInput = {
      hosts: [host({ guests: { linux: 3, windows: 5 } })],
      mode: { name: "vm", kind: "vm" },
      hostCost: { monthly: 300 },
      licences: allPresets,
      operations: { patchHoursPerOsInstance: 1, hourlyRate: 50 },
    };
    expect(monthlyCost(input)).toEqual(monthlyCost(input));
  });
});
