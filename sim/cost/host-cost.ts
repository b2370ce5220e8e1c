/**
 * Host cost per month: a flat monthly figure, or the purchase price spread over the host's life
 * plus the power it draws at the run's average utilisation. USD, watts, kWh.
 */
import { usdCents } from "./billing.js";
import type { HostUsage } from "./types.js";
import { checkHostUsage } from "./types.js";

/** A 5-year server life (judgement: a common refresh cycle; docs/calibration.md, judgement). */
export const DEFAULT_LIFETIME_MONTHS = 60;
/** 8760 h / 12: the average month. */
export const HOURS_PER_MONTH = 730;

export interface FlatHostCost {
  /** USD per month (rent, colocation, or an all-in internal rate). */
  readonly monthly: number;
}

export interface OwnedHostCost {
  /** Purchase price, USD. */
  readonly price: number;
  readonly lifetimeMonths?: number;
  /** Wall power at 0% and 100% CPU; linear in between (the usual server power model). */
  readonly watts: { readonly idle: number; readonly max: number };
  /** USD per kWh. */
  readonly kwhPrice: number;
}

export type HostCostSpec = FlatHostCost | OwnedHostCost;

export interface HostsCost {
  /** USD per month, all counted hosts. */
  readonly monthly: number;
  /** Of which purchase amortisation or flat rate, and power. */
  readonly capital: number;
  readonly power: number;
  readonly counted: number;
  /** Hosts the mode left empty and that were not charged. */
  readonly dropped: number;
  readonly detail: string;
}

/** Average wall power (W) of a host at `cpuUtilization` (0..1). */
export function hostWatts(spec: OwnedHostCost, cpuUtilization: number): number {
  return spec.watts.idle + (spec.watts.max - spec.watts.idle) * cpuUtilization;
}

/** One host's monthly cost split into capital (or flat rate) and power, USD. */
export function hostMonthlyCost(spec: HostCostSpec, cpuUtilization: number): { capital: number; power: number } {
  if ("monthly" in spec) return { capital: spec.monthly, power: 0 };
  const capital = spec.price / (spec.lifetimeMonths ?? DEFAULT_LIFETIME_MONTHS);
  const power = (hostWatts(spec, cpuUtilization) * HOURS_PER_MONTH * spec.kwhPrice) / 1000;
  return { capital, power };
}

/**
 * The hosts a mode pays for. Hosts it left empty are dropped by default: needing fewer hosts is
 * the real saving of a denser mode. `hostCost` is one spec for all hosts or one per host, in order.
 */
export function hostsMonthlyCost(
  hosts: readonly HostUsage[],
  hostCost: HostCostSpec | readonly HostCostSpec[],
  countIdleHosts = false,
): HostsCost {
  const specs = specsFor(hosts, hostCost);
  let capital = 0;
  let power = 0;
  let counted = 0;
  hosts.forEach((h, i) => {
    checkHostUsage(h);
    if (!h.used && !countIdleHosts) return;
    const c = hostMonthlyCost(specs[i] as HostCostSpec, h.cpuUtilization);
    capital += c.capital;
    power += c.power;
    counted++;
  });
  const dropped = hosts.length - counted;
  const hostWord = (n: number) => `${n} host${n === 1 ? "" : "s"}`;
  const droppedText = dropped > 0 ? ` (${hostWord(dropped)} left empty, not charged)` : "";
  const powerText = power > 0 ? ` + ${usdCents(power)} power` : "";
  const detail = `hosts: ${hostWord(counted)}${droppedText}: ${usdCents(capital)}${powerText} = ${usdCents(capital + power)}/month`;
  return { monthly: capital + power, capital, power, counted, dropped, detail };
}

function specsFor(hosts: readonly HostUsage[], hostCost: HostCostSpec | readonly HostCostSpec[]): readonly HostCostSpec[] {
  if (!isSpecList(hostCost)) return hosts.map(() => hostCost);
  if (hostCost.length !== hosts.length)
    throw new RangeError(`cost: ${hostCost.length} host cost specs for ${hosts.length} hosts`);
  return hostCost;
}

function isSpecList(x: HostCostSpec | readonly HostCostSpec[]): x is readonly HostCostSpec[] {
  return Array.isArray(x);
}
