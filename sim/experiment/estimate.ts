/**
 * The size of an experiment, estimated from the scenario before anything runs: hosts, service
 * instances, jobs, time-series samples and simulation events, each over the whole experiment
 * (every mode, every replication; samples come from replication 0 only). Compared with limits,
 * so a run that would take hours or exhaust memory is refused at once with the estimate and the
 * option that raises the limit, instead of failing late.
 */
import { mean, type Distribution } from "../engine/index.js";
import type { Mode } from "../model/index.js";
import type { IssuePath } from "../scenario/issues.js";
import type { LoadedScenario, Scenario } from "../scenario/index.js";

export interface SizeEstimate {
  /** Hosts in one run. */
  readonly hosts: number;
  /** Service instances requested, over every run. */
  readonly instances: number;
  /** Job arrivals within the horizon, over every run. */
  readonly jobs: number;
  /** Rows of timeseries.csv: sample times x hosts x modes. */
  readonly samples: number;
  /** Simulation events (starts, load changes, arrivals, samples), over every run. */
  readonly events: number;
  /** Modes and replications the totals multiply by. */
  readonly modes: number;
  readonly replications: number;
}

export interface Limits {
  readonly maxHosts: number;
  readonly maxInstances: number;
  readonly maxJobs: number;
  readonly maxSamples: number;
  readonly maxEvents: number;
}

/** Defaults: a few times the largest bundled scenario, well under a minute and a GiB each. */
export const DEFAULT_LIMITS: Limits = {
  maxHosts: 100_000,
  maxInstances: 2_000_000,
  maxJobs: 2_000_000,
  maxSamples: 5_000_000,
  maxEvents: 200_000_000,
};

/** Each limit's command-line option. */
export const LIMIT_FLAGS: Readonly<Record<keyof Limits, string>> = {
  maxHosts: "--max-cluster-hosts",
  maxInstances: "--max-instances",
  maxJobs: "--max-jobs",
  maxSamples: "--max-samples",
  maxEvents: "--max-events",
};

/** Events a started instance costs besides its load changes (request, pull, boot, ready, end...). */
const EVENTS_PER_INSTANCE = 10;
const EVENTS_PER_JOB = 8;
/** Restarts after OOM kills: back-offs of 10 s doubling (the quick ones), then at most 5 minutes apart. */
const QUICK_RESTARTS = 5;
const RESTART_BACKOFF_CAP_S = 300;

interface Part {
  readonly value: number;
  readonly path: IssuePath;
}

const largest = (parts: readonly Part[], fallback: IssuePath): IssuePath =>
  parts.reduce<Part | undefined>((best, p) => (best === undefined || p.value > best.value ? p : best), undefined)?.path ?? fallback;
const sum = (parts: readonly Part[]): number => parts.reduce((acc, p) => acc + p.value, 0);

/** Jobs one app's arrivals bring within the horizon of one run. */
function jobsOf(s: Scenario, app: Scenario["apps"][number], traces: LoadedScenario["traces"]): number {
  const a = app.arrivals;
  if (app.kind !== "job" || !a) return 0;
  if (a.process === "poisson") return a.rate * s.horizon;
  if (a.process === "interval") return a.at > s.horizon ? 0 : Math.floor((s.horizon - a.at) / a.every) + 1;
  return (traces.get(`arrivals:${app.name}`)?.times ?? []).filter((t) => t <= s.horizon).length;
}

/** Load changes one replica of a service makes within the horizon. */
function loadChangesOf(s: Scenario, app: Scenario["apps"][number], traces: LoadedScenario["traces"]): number {
  const l = app.load;
  if (!l || l.pattern === "constant") return 0;
  if (l.pattern === "diurnal") return s.horizon / (l.period / l.steps);
  if (l.pattern === "bursty") return (2 * s.horizon) / (l.on + l.off);
  if (l.pattern === "spikes") return (2 * s.horizon) / l.every;
  const times = traces.get(`load:${app.name}`)?.times ?? [];
  const span = times.length > 0 ? (times[times.length - 1] as number) : 0;
  return l.loop && span > 0 ? times.length * Math.ceil(s.horizon / span) : times.length;
}

interface Estimated {
  readonly estimate: SizeEstimate;
  /** The field that contributes most to each quantity: where an issue points. */
  readonly where: Readonly<Record<keyof Limits, IssuePath>>;
}

/** What is estimated: the whole experiment, or a part that runs fewer modes (a plan's probe runs one). */
export interface EstimateScope {
  /** Modes that run (default: every mode the scenario compares). */
  readonly modes?: number;
  /** The part in words, for messages (default "the experiment"). */
  readonly name?: string;
}

function estimateWithPaths(loaded: Pick<LoadedScenario, "scenario" | "traces">, scope: EstimateScope = {}): Estimated {
  const s = loaded.scenario;
  const modes = scope.modes ?? (s.modes ? Object.keys(s.modes).length : 4);
  const runs = modes * s.replications;
  const hostParts = s.hosts.map((h, i): Part => ({ value: h.count, path: ["hosts", i, "count"] }));
  const hosts = sum(hostParts);
  const instanceParts = s.apps.map((a, i): Part => ({ value: a.kind === "service" ? (a.replicas ?? 0) : 0, path: ["apps", i, "replicas"] }));
  const jobParts = s.apps.map((a, i): Part => ({ value: jobsOf(s, a, loaded.traces), path: ["apps", i, "arrivals"] }));
  const loadParts = s.apps.map((a, i): Part => ({
    value: a.kind === "service" ? (a.replicas ?? 0) * loadChangesOf(s, a, loaded.traces) : 0,
    path: ["apps", i, "load"],
  }));
  // A working set that grows past its limit is OOM-killed and restarted: after a few quick
  // restarts, one per capped back-off (RESTART_BACKOFF_CAP_S) at most.
  const restartParts = s.apps.map((a, i): Part => ({
    value: a.kind === "service" && a.grow && a.restart === "always" ? (a.replicas ?? 0) * (QUICK_RESTARTS + s.horizon / RESTART_BACKOFF_CAP_S) : 0,
    path: ["apps", i, "grow"],
  }));
  const step = s.sampling?.step ?? s.horizon / 120;
  const sampleTimes = Math.floor(s.horizon / step) + 1;
  const samplePath: IssuePath = s.sampling ? ["sampling", "step"] : ["horizon"];
  const instancesPerRun = sum(instanceParts);
  const jobsPerRun = sum(jobParts);
  const eventParts: Part[] = [
    { value: instancesPerRun * EVENTS_PER_INSTANCE * runs, path: largest(instanceParts, ["apps"]) },
    { value: jobsPerRun * EVENTS_PER_JOB * runs, path: largest(jobParts, ["apps"]) },
    { value: sum(loadParts) * runs, path: largest(loadParts, ["apps"]) },
    { value: sum(restartParts) * EVENTS_PER_INSTANCE * runs, path: largest(restartParts, ["apps"]) },
    { value: sampleTimes * modes, path: samplePath },
  ];
  return {
    estimate: {
      hosts,
      instances: instancesPerRun * runs,
      jobs: jobsPerRun * runs,
      samples: sampleTimes * hosts * modes,
      events: sum(eventParts),
      modes,
      replications: s.replications,
    },
    where: {
      maxHosts: largest(hostParts, ["hosts"]),
      maxInstances: largest(instanceParts, ["apps"]),
      maxJobs: largest(jobParts, ["apps"]),
      maxSamples: samplePath,
      maxEvents: largest(eventParts, ["horizon"]),
    },
  };
}

export const estimateSize = (loaded: Pick<LoadedScenario, "scenario" | "traces">, scope?: EstimateScope): SizeEstimate => estimateWithPaths(loaded, scope).estimate;

/**
 * What a run costs besides its events, in events' worth: building its hosts and tables, placing,
 * digesting and summing up. A run of quickstart.yaml (about 1,200 estimated events) takes about
 * 4 ms on one core here, as long as some 6,000 estimated events of a large run.
 */
export const RUN_EVENTS = 5_000;

/** The work of an experiment (or of the part `size` was estimated for), to size the worker pool by: its estimated events plus RUN_EVENTS per run. */
export const poolWork = (size: SizeEstimate): number => size.events + size.modes * size.replications * RUN_EVENTS;

/** A count in words: digits grouped by thousands, or powers of ten beyond a quadrillion. */
export function countText(n: number): string {
  if (!Number.isFinite(n)) return "more than can be counted";
  const r = Math.round(n);
  if (r >= 1e15) return r.toExponential(2).replace("e+", "e");
  return String(r).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A limit exceeded: where, what was expected, what the estimate found, which option raises it. */
export interface LimitIssue {
  readonly code: "limit";
  readonly path: IssuePath;
  readonly message: string;
}

/** Issues for every quantity above its limit (none when the experiment fits). */
export function limitIssues(loaded: Pick<LoadedScenario, "scenario" | "traces">, limits: Limits = DEFAULT_LIMITS, scope: EstimateScope = {}): LimitIssue[] {
  const { estimate: e, where } = estimateWithPaths(loaded, scope);
  const over = scope.name ?? "the experiment";
  const runs = `${countText(e.modes)} mode${e.modes === 1 ? "" : "s"} x ${countText(e.replications)} replication${e.replications === 1 ? "" : "s"}`;
  const checks: [keyof Limits, number, string, string][] = [
    ["maxHosts", e.hosts, "hosts in one run", "hosts"],
    ["maxInstances", e.instances, `service instances over ${over}`, `instances (replicas x ${runs})`],
    ["maxJobs", e.jobs, `jobs over ${over}`, `jobs (arrivals within the horizon x ${runs})`],
    ["maxSamples", e.samples, "time-series rows", "rows (sample times x hosts x modes; set sampling.step larger)"],
    ["maxEvents", e.events, `simulation events over ${over}`, `events (starts, restarts, load changes, arrivals and samples x ${runs})`],
  ];
  return checks
    .filter(([key, value]) => !(value <= limits[key]))
    .map(([key, value, what, unit]) => ({
      code: "limit",
      path: where[key],
      message: `expected at most ${countText(limits[key])} ${what} (raise the limit with ${LIMIT_FLAGS[key]}), found an estimated ${countText(value)} ${unit}`,
    }));
}

/**
 * A load change's cost against a start-up flow's: measured on the bench's services case (24 diurnal
 * steps a day cost about 0.5 us per replica and step; a bare start-up of 3 units about 53 us).
 */
const LOAD_CHANGE_UNITS = 1 / 32;

/** 1 when a start-up step runs at all (its mean is above 0), else 0. */
const occurs = (d: Distribution): number => (mean(d) > 0 ? 1 : 0);

/**
 * Flow units one start-up of `mode` costs: one per resource of each flow its steps run (as
 * StartupModel.begin runs them). Bare: the serial step and init; container: create's serial step
 * (with its disk bytes alongside) and init; vm and microvm: the provisioning copy, the serial
 * spawn, the boot (CPU, with its disk reads alongside), guest init and init.
 */
export function startupUnits(mode: Mode): number {
  const p = mode.profile;
  const init = 1;
  switch (p.kind) {
    case "bare":
      return occurs(p.serial) + init;
    case "container":
      return occurs(p.serial) * (p.createDiskBytes > 0 ? 2 : 1) + init;
    case "vm":
    case "microvm":
      return (p.provision.copyBytes > 0 ? 1 : 0) + occurs(p.serial) + (p.boot.readBytes > 0 ? 2 : 1) + occurs(p.guestInit) + init;
  }
}

/**
 * A run's relative CPU cost, to order a pool's tasks longest first (pool.ts): each service instance
 * and job costs a unit (its request, placement and running flow) plus its start-up's flow units
 * (startupUnits), each load change LOAD_CHANGE_UNITS, and the run itself a unit. It ranks runs;
 * it does not say how long one takes. The same for every replication.
 */
export function runCostUnits(loaded: Pick<LoadedScenario, "scenario" | "traces">, mode: Mode): number {
  const s = loaded.scenario;
  let instances = 0;
  let loadChanges = 0;
  for (const a of s.apps) {
    instances += a.kind === "service" ? (a.replicas ?? 0) : jobsOf(s, a, loaded.traces);
    if (a.kind === "service") loadChanges += (a.replicas ?? 0) * loadChangesOf(s, a, loaded.traces);
  }
  return 1 + instances * (1 + startupUnits(mode)) + loadChanges * LOAD_CHANGE_UNITS;
}
