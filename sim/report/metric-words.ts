/**
 * Metrics, units and scenario paths in words, for table headers and axis titles: "cost: licences
 * / month (USD per month)", "app erp: replicas". Cells format through format.ts; this names them.
 */
import type { MetricUnit } from "../experiment/metric-catalog.js";

/** A unit in words, as a header says it (cells carry their own unit through formatValue). */
export const UNIT_WORDS: Readonly<Record<MetricUnit, string>> = {
  s: "duration",
  bytes: "bytes",
  usd: "USD per month",
  "usd-each": "USD per month per instance",
  factor: "factor, 1 = unaffected",
  share: "%",
  cores: "cores",
  count: "count",
  "host-s": "host-seconds",
};

/** A metric's name in words with its unit: "cost: licences / month (USD per month)". */
export const metricHeading = (label: string, unit: MetricUnit): string => `${label} (${UNIT_WORDS[unit]})`;

/** How a chart plots a unit: the factor from SI, the unit in the axis title, a d3 tick format (Vega's default when absent). */
export interface AxisUnit {
  readonly scale: number;
  readonly title: string;
  readonly format?: string;
}

const GiB = 2 ** 30;

export const AXIS_UNITS: Readonly<Record<MetricUnit, AxisUnit>> = {
  s: { scale: 1, title: "seconds" },
  bytes: { scale: 1 / GiB, title: "GiB" },
  usd: { scale: 1, title: "USD per month", format: "$,~f" },
  "usd-each": { scale: 1, title: "USD per month per instance", format: "$,~f" },
  factor: { scale: 1, title: "×, 1 = unaffected" },
  share: { scale: 100, title: "%" },
  cores: { scale: 1, title: "cores" },
  count: { scale: 1, title: "count" },
  "host-s": { scale: 1, title: "host-seconds" },
};

/** An axis title: the metric in words and the unit plotted: "start-up p95 (seconds)". */
export const metricAxisTitle = (label: string, unit: MetricUnit): string => `${label} (${AXIS_UNITS[unit].title})`;

const ACRONYMS: Readonly<Record<string, string>> = { os: "OS", cpu: "CPU", io: "I/O", vm: "VM", iops: "IOPS", kwh: "kWh" };

/** `guestOs` -> "guest OS", `kwhPrice` -> "kWh price". */
function words(segment: string): string {
  return segment
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(" ")
    .map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase())
    .join(" ");
}

const OWNERS: Readonly<Record<string, string>> = { apps: "app", hosts: "host", modes: "mode", images: "image", licenses: "licence" };

/**
 * A scenario path (as --set takes it) in words: `apps.erp.replicas` -> "app erp: replicas",
 * `modes.vm.guestOs.memory` -> "mode vm: guest OS memory", `replications` -> "replications".
 * `hosts.0.count` -> "hosts[0]: count". Names (of apps, modes) stay as written.
 */
export function parameterWords(path: string): string {
  const parts = path.split(".");
  const [head = "", name, ...rest] = parts;
  const owner = OWNERS[head];
  if (owner !== undefined && name !== undefined && rest.length > 0) {
    // A list item by position reads as its path (`hosts[0]`), one by name as words (`app erp`).
    const item = /^[0-9]+$/.test(name) ? `${head}[${name}]` : `${owner} ${name}`;
    return `${item}: ${rest.map(words).join(" ")}`;
  }
  return parts.map(words).join(" ");
}
