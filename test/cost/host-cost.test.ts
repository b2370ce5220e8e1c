import { describe, expect, it } from "vitest";
import type { OwnedHostCost } from "../../sim/cost/index.js";
import { hostMonthlyCost, hostsMonthlyCost } from "../../sim/cost/index.js";
import { host } from "./hosts.js";

const owned: OwnedHostCost = { price: 12000, watts: { idle: 100, max: 500 }, kwhPrice: 0.15 };

describe("host cost per month", () => {
  it("a flat monthly figure is charged as is, whatever the load", () => {
    expect(hostMonthlyCost({ monthly: 350 }, 0.9)).toEqual({ capital: 350, power: 0 });
    expect(hostsMonthlyCost([host(), host({ name: "h-2" })], { monthly: 350 }).monthly).toBe(700);
  });

  it("an owned host: price / 60 months + watts at the average utilisation x 730 h x $/kWh / 1000", () => {
    // 40% busy: 100 + 0.4 x 400 = 260 W; 260 x 730 / 1000 = 189.8 kWh; x $0.15 = $28.47.
    const c = hostMonthlyCost(owned, 0.4);
    expect(c.capital).toBeCloseTo(200, 9);
    expect(c.power).toBeCloseTo(28.47, 9);
    expect(hostMonthlyCost({ ...owned, lifetimeMonths: 48 }, 0).capital).toBeCloseTo(250, 9);
    expect(hostMonthlyCost(owned, 0).power).toBeCloseTo((100 * 730 * 0.15) / 1000, 9);
    expect(hostMonthlyCost(owned, 1).power).toBeCloseTo((500 * 730 * 0.15) / 1000, 9);
  });

  it("hosts a mode left empty are dropped by default, charged (at idle power) with countIdleHosts", () => {
    const hosts = [host({ cpuUtilization: 0.4 }), host({ name: "h-2", used: false, cpuUtilization: 0 })];
    const dropped = hostsMonthlyCost(hosts, owned);
    expect(dropped.counted).toBe(1);
    expect(dropped.dropped).toBe(1);
    expect(dropped.monthly).toBeCloseTo(200 + 28.47, 9);
    expect(dropped.detail).toBe("hosts: 1 host (1 host left empty, not charged): $200.00 + $28.47 power = $228.47/month");
    const kept = hostsMonthlyCost(hosts, owned, true);
    expect(kept.counted).toBe(2);
    expect(kept.monthly).toBeCloseTo(200 + 28.47 + 200 + 10.95, 9);
  });

  it("one spec per host, in cluster order", () => {
    const hosts = [host(), host({ name: "h-2" })];
    expect(hostsMonthlyCost(hosts, [{ monthly: 100 }, { monthly: 250 }]).monthly).toBe(350);
    expect(() => hostsMonthlyCost(hosts, [{ monthly: 100 }])).toThrow(/1 host cost specs for 2 hosts/);
  });
});
