/**
 * A run's output from what it left at the horizon (RunParts): its metrics, bill, per-app figures and
 * digest. A whole run (runOnce) and a run merged from its host groups' runs (host-groups.ts) read
 * their parts off different places and hand them here, so both are summed up the same way.
 */
import { deriveSeed } from "../engine/index.js";
import { hostMonthlyCost, ruleApplies, type LicenceRule } from "../cost/index.js";
import type { App, Mode } from "../model/index.js";
import type { Workload } from "./resolve.js";
import type { JobAppFigures, JobFigures } from "./jobs.js";
import type { InstanceRecord } from "./instance-record.js";
import type { ReadyDigest, SampleDigest } from "./sample-digest.js";
import { costOf } from "./run-cost.js";
import {
  appMetrics,
  groupRejections,
  isNoisy,
  metricsOf,
  slowdownsOf,
  utilizationOf,
  type FailureTotals,
  type HostReport,
  type MaintenanceTotals,
  type ServiceOutcomes,
} from "./run-metrics.js";
import type { ServiceTable } from "./service-table.js";
import type { RunConfig, RunOutput, Samples } from "./run.js";

/** What a run left at the horizon, as its output is made of. */
export interface RunParts {
  readonly hosts: readonly HostReport[];
  readonly table: ServiceTable;
  readonly outcomes: ServiceOutcomes;
  /** OOM kills by service (absent: none). */
  readonly kills: ArrayLike<number | undefined>;
  readonly jobs: JobFigures;
  readonly pulls: { readonly bytes: number; readonly requests: number; readonly downloads: number };
  readonly overheadCoreSeconds: number;
  readonly oomKills: number;
  readonly swapSeconds: number;
  /** Most guest OS instances at once over the run, counting a guest that moved once (only when instances moved). */
  readonly peakGuests: number | undefined;
  readonly failures: Omit<FailureTotals, "reserveMonthly">;
  readonly maintenance: MaintenanceTotals | undefined;
  readonly instances: readonly InstanceRecord[];
  readonly latencies: SampleDigest;
  readonly ready: ReadyDigest;
  readonly samples: Samples | undefined;
  readonly eventsProcessed: number;
  readonly failureTimesS: readonly number[];
  readonly readySteps: readonly (readonly [number, number])[];
}

/** A run's output from its parts. */
export function runOutput(w: Workload, mode: Mode, config: Pick<RunConfig, "seed" | "horizonS">, replication: number, p: RunParts): RunOutput {
  const { hosts, outcomes, jobs } = p;
  const cpu = hosts.filter((h) => h.everUsed);
  const cost = costOf(w, mode, hosts, config.horizonS, p.peakGuests);
  // Sorted once, for the metrics and the digest.
  const sortedSlowdowns = slowdownsOf(outcomes);
  return {
    replication,
    seed: deriveSeed(config.seed, replication),
    metrics: metricsOf(
      hosts,
      outcomes,
      jobs,
      p.pulls,
      {
        horizonS: config.horizonS,
        cpuUsed: cpu.reduce((a, h) => a + h.cpuUsed, 0),
        cpuCapacity: cpu.reduce((a, h) => a + h.cores, 0),
        overheadCoreSeconds: p.overheadCoreSeconds,
        oomKills: p.oomKills,
        swapSeconds: p.swapSeconds,
        cost,
        noisyApps: new Set(w.apps.filter(isNoisy).map((a) => a.name)),
        failures: { ...p.failures, reserveMonthly: reserveCost(w, hosts, cost.hosts, config.horizonS) },
        maintenance: p.maintenance,
      },
      sortedSlowdowns,
    ),
    costItems: [
      { kind: "hosts", name: "hosts", monthly: cost.hosts, detail: cost.hostsDetail },
      // Rules for other modes are left out: a mode's bill lists what applies to it.
      ...cost.perRule
        .filter((_, k) => ruleApplies(w.cost.licences[k] as LicenceRule, { name: mode.name, kind: mode.kind }))
        .map((r) => ({ kind: "licenses" as const, name: r.name, monthly: r.monthly, detail: r.detail })),
      { kind: "operations", name: "operations", monthly: cost.operations, detail: cost.operationsDetail },
    ],
    hostInstances: hosts.map((h) => h.instances),
    rejections: groupRejections(outcomes),
    apps: perApp(w.apps, p.table, outcomes, p.kills, (a) => jobs.apps.get(a.name), config.horizonS),
    instances: p.instances,
    digest: { latencies: p.latencies, slowdowns: sortedSlowdowns, ready: p.ready },
    estimated: [
      ...(jobs.turnaround.kind === "sketch" ? ["jobs.turnaround.p95"] : []),
      ...[...jobs.apps].filter(([, f]) => f.turnaround.kind === "sketch").map(([name]) => `apps.${name}.jobs.turnaround.p95`),
    ],
    samples: p.samples,
    eventsProcessed: p.eventsProcessed,
    failureTimesS: p.failureTimesS,
    recoveryTimesS: p.failures.recoveryTimesS,
    readySteps: p.readySteps,
  };
}

/**
 * USD per month of host cost held back as failover reserve: the reserve hosts' share of the host
 * bill (they are paid for, used or not), or the reserved share of every host's. A host's price is
 * the one at its position in the workload's list.
 */
function reserveCost(w: Workload, hosts: readonly HostReport[], hostsMonthly: number, horizonS: number): number {
  const r = w.reserve;
  if (r.share > 0) return r.share * hostsMonthly;
  let sum = 0;
  hosts.forEach((h, k) => {
    if (!h.reserveHost) return;
    const c = hostMonthlyCost(w.cost.hostCosts[k] ?? { monthly: 0 }, utilizationOf(h, horizonS));
    sum += c.capital + c.power;
  });
  return sum;
}

/** Each app's metrics: a service app's over its replicas (consecutive in request order), a job app's over none. */
function perApp(
  apps: readonly App[],
  table: ServiceTable,
  outcomes: ServiceOutcomes,
  kills: ArrayLike<number | undefined>,
  jobsOf: (app: App) => JobAppFigures | undefined,
  horizonS: number,
): RunOutput["apps"] {
  return Object.fromEntries(
    apps.map((a) => {
      const slot = table.apps.indexOf(a);
      const span = slot >= 0 ? table.spanOf(slot) : { from: 0, to: 0 };
      let killed = 0;
      for (let i = span.from; i < span.to; i++) killed += kills[i] ?? 0;
      return [a.name, appMetrics(outcomes, span, killed, jobsOf(a), horizonS)];
    }),
  );
}
