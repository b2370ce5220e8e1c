/**
 * An experiment: every compared mode on the same workload, `replications` runs each with seeds
 * derived from the scenario seed, summarised per metric into the results contract.
 */
import { drainPolicy, findProfile, MODE_DEFAULT_SOURCES, profileParameters, recoveryDefault, type Mode } from "../model/index.js";
import { formatBytes, formatDuration, sigFigs } from "../units/format.js";
import type { LoadedScenario } from "../scenario/index.js";
import { resolveWorkload, type Workload } from "./resolve.js";
import {
  APP_METRICS,
  CPU_SERIES_OTHER,
  METRICS,
  RESULTS_SCHEMA_VERSION,
  type Assumption,
  type CpuSeries,
  type MemoryGroup,
  type MemorySeries,
  type ModeResult,
  type Results,
} from "./results.js";
import { runOnce, type RunConfig, type RunOutput, type Samples } from "./run.js";
import { runGrouped } from "./host-groups.js";
import { isEstimate, percentilesOf, pool } from "./sample-digest.js";
import type { JobSink } from "./jobs.js";
import { judgeObjectives, scenarioObjectives } from "./slo.js";
import { summarise } from "./stats.js";
import { quantileSorted } from "simple-statistics";

export const TOOL_VERSION = "0.1.0";

export interface ExperimentOptions {
  /** Mode names to run, in the scenario's order; all when absent. */
  readonly modes?: readonly string[];
  /** Called after each run (for progress bars). */
  readonly onRun?: (done: number, total: number) => void;
  /** Judge SLOs on the 95% CI's pessimistic end instead of the mean (`--strict`). */
  readonly strict?: boolean;
  /** Keep no job records in the runs' instances (only the results are wanted): memory then follows the jobs in flight. */
  readonly dropJobRecords?: boolean;
  /** Keep replication 0's per-host sample rows in `runs` (timeseries.csv; default true); results need only their sums. */
  readonly hostRows?: boolean;
}

export interface ExperimentOutput {
  readonly results: Results;
  /** Mode name -> each replication's full output (instances for CSV). */
  readonly runs: ReadonlyMap<string, readonly RunOutput[]>;
}

/** Mode names the user asked for that the scenario does not compare. */
export function unknownModes(loaded: LoadedScenario, wanted: readonly string[]): string[] {
  const names = resolveWorkload(loaded.scenario, loaded.traces).modes.map((m) => m.name);
  return wanted.filter((w) => !names.includes(w));
}

/** A run's output without its instance records (instances: []): the results need only its digest. */
export type DigestedRun = RunOutput;

export const digestRun = (o: RunOutput): DigestedRun => ({ ...o, instances: [] });

/** One run of an experiment: a mode and a replication. */
export interface ExperimentTask {
  readonly mode: string;
  readonly replication: number;
}

/** The runs of an experiment in the order their results are assembled: modes in scenario order, then replications. */
export function experimentTasks(loaded: LoadedScenario, modes?: readonly string[]): ExperimentTask[] {
  const workload = resolveWorkload(loaded.scenario, loaded.traces);
  return workload.modes
    .filter((m) => !modes || modes.includes(m.name))
    .flatMap((m) => Array.from({ length: loaded.scenario.replications }, (_, r) => ({ mode: m.name, replication: r })));
}

/**
 * Runs one replication of one mode as `runExperiment` does (replication 0 sampled for time series);
 * with `jobSink`, job records go to it (and are not kept in the output's instances); with
 * `records` false, the output has no instance records at all (only its metrics and digest); with
 * `hostRows` false, its samples keep only the sums the results read (RunConfig.hostRows).
 */
export function runExperimentTask(
  loaded: LoadedScenario,
  task: ExperimentTask,
  workload = resolveWorkload(loaded.scenario, loaded.traces),
  jobSink?: JobSink,
  records = true,
  hostRows = true,
): RunOutput {
  const { mode, config } = taskRun(loaded, task, workload, records, hostRows);
  // A run whose hosts never affect each other goes host group by host group (host-groups.ts), else whole.
  return runGrouped(workload, mode, config, task.replication) ?? runOnce(workload, mode, config, task.replication, undefined, jobSink);
}

/** The task's mode and the settings of its run (replication 0 sampled for time series). */
export function taskRun(loaded: LoadedScenario, task: ExperimentTask, workload: Workload, records = true, hostRows = true): { mode: Mode; config: RunConfig } {
  const s = loaded.scenario;
  const mode = workload.modes.find((m) => m.name === task.mode);
  if (!mode) throw new Error(`runExperimentTask: no mode ${task.mode}`);
  // Replication 0 is sampled for time series; the others need not pay for it. Every run's config
  // has the same fields (undefined where unused), so the code that reads it sees one shape.
  const sampleStepS = task.replication === 0 ? (s.sampling?.step ?? s.horizon / 120) : undefined;
  return { mode, config: { seed: s.seed, horizonS: s.horizon, policy: s.placement.policy, records, hostRows, sampleStepS } };
}

const dropJob: JobSink = () => {};

export function runExperiment(loaded: LoadedScenario, options: ExperimentOptions = {}): ExperimentOutput {
  const workload: Workload = resolveWorkload(loaded.scenario, loaded.traces);
  const tasks = experimentTasks(loaded, options.modes);
  const outputs = tasks.map((t, k) => {
    const out = runExperimentTask(loaded, t, workload, options.dropJobRecords ? dropJob : undefined, true, options.hostRows ?? true);
    options.onRun?.(k + 1, tasks.length);
    return out;
  });
  return assembleExperiment(loaded, tasks, outputs, options);
}

/**
 * The results of an experiment from its runs' outputs, `outputs[k]` the output of `tasks[k]`
 * (as `experimentTasks` orders them): the same whichever process ran each.
 */
export function assembleExperiment(
  loaded: LoadedScenario,
  tasks: readonly ExperimentTask[],
  outputs: readonly DigestedRun[],
  options: Pick<ExperimentOptions, "modes" | "strict"> = {},
): ExperimentOutput {
  const s = loaded.scenario;
  const workload: Workload = resolveWorkload(s, loaded.traces);
  const modes = workload.modes.filter((m) => !options.modes || options.modes.includes(m.name));
  const runs = new Map<string, RunOutput[]>();
  const modeResults: Record<string, ModeResult> = {};
  for (const mode of modes) {
    const outs = outputs.filter((_, k) => tasks[k]?.mode === mode.name);
    runs.set(mode.name, outs);
    const summary = Object.fromEntries(METRICS.map((k) => [k, summarise(valuesOf(outs.map((o) => o.metrics), k))]));
    const latencies = pool(outs.map((o) => o.digest.latencies));
    // Sketch estimates are named, each once, in the order of the runs that made them.
    const estimated = [...new Set([...(isEstimate(latencies) ? ["startupQuantiles"] : []), ...outs.flatMap((o) => o.estimated)])];
    modeResults[mode.name] = {
      kind: mode.kind,
      profile: mode.profile.name,
      overcommit: { cpu: mode.overcommitCpu, memory: mode.kind === "vm" || mode.kind === "microvm" ? mode.overcommitMemory : 1 },
      summary,
      startupQuantiles: percentilesOf(latencies),
      readyCurve: readyCurve(outs[0]),
      // Only where a host failed: results of scenarios without failures stay as they were.
      ...(outs.some((o) => o.failureTimesS.length > 0)
        ? {
            failures: {
              readySteps: outs[0]?.readySteps ?? [],
              timesS: outs[0]?.failureTimesS ?? [],
              recoveryS: outs.flatMap((o) => o.recoveryTimesS).sort((a, b) => a - b),
            },
          }
        : {}),
      slowdownQuantiles: percentiles(outs.flatMap((o) => Array.from(o.digest.slowdowns))),
      cpuSeries: cpuSeries(outs[0]?.samples, workload),
      startupCpuSeries: cpuSeries(outs[0]?.samples, workload, "startup"),
      memorySeries: memorySeries(outs[0]?.samples, workload),
      // Items are the same in every replication (one per applicable rule), so they line up by position.
      costItems: (outs[0]?.costItems ?? []).map((item, k) => ({
        kind: item.kind,
        name: item.name,
        monthly: summarise(outs.map((o) => o.costItems[k]?.monthly ?? 0)),
        detail: item.detail,
      })),
      apps: Object.fromEntries(
        workload.apps.map((a) => [
          a.name,
          Object.fromEntries(APP_METRICS.map((k) => [k, summarise(valuesOf(outs.map((o) => o.apps[a.name] ?? {}), k))])),
        ]),
      ),
      ...(estimated.length > 0 ? { estimated } : {}),
      assumptions: [
        ...assumptionsOf(mode, workload.events.length > 0 || workload.hostTypes.some((t) => t.failures !== undefined)),
        ...(workload.maintenance ? maintenanceAssumptions(mode) : []),
      ],
      runs: outs.map((o) => ({
        replication: o.replication,
        seed: o.seed,
        metrics: o.metrics,
        hostInstances: o.hostInstances,
        rejections: o.rejections,
        apps: o.apps,
      })),
    };
  }
  const hostTotals = workload.hostTypes.reduce(
    (acc, t) => ({ hosts: acc.hosts + t.count, cores: acc.cores + t.count * t.cores, memoryBytes: acc.memoryBytes + t.count * t.memoryBytes }),
    { hosts: 0, cores: 0, memoryBytes: 0 },
  );
  const results: Results = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: "densim", version: TOOL_VERSION },
    scenario: {
      name: s.name,
      title: s.title ?? s.name,
      hash: loaded.hash,
      file: loaded.file,
      question: loaded.question,
      overrides: loaded.overrides,
      modes: modes.map((m) => m.name),
      // Read when the results are written (a sweep's points never are).
      get text(): string {
        return loaded.effectiveText;
      },
    },
    seed: s.seed,
    replications: s.replications,
    horizonS: s.horizon,
    cluster: { ...hostTotals, hostNames: workload.hostNames },
    apps: workload.apps.map((a) => ({
      name: a.name,
      kind: a.kind,
      noisy: a.pressure.memoryBandwidth > 0 || a.pressure.disk > 0,
      grows: a.grow !== undefined,
    })),
    modes: modeResults,
    slo: judgeObjectives(scenarioObjectives(s), modeResults, options.strict ?? false),
  };
  return { results, runs };
}

/** A metric's values over the replications that have one (a run leaves out a metric without a value). */
const valuesOf = (runs: readonly Readonly<Record<string, number>>[], key: string): number[] =>
  runs.flatMap((m) => (m[key] === undefined ? [] : [m[key] as number]));

/**
 * The mode's profile parameters as run: the built-in profile's default and source, or
 * `scenario: modes.<name>` where the scenario's override changed the value.
 */
function assumptionsOf(mode: Mode, failures: boolean): Assumption[] {
  const base = findProfile(mode.kind, mode.profile.name);
  const defaults = new Map((base ? profileParameters(base) : []).map((p) => [p.parameter, p.value]));
  const profile = profileParameters(mode.profile).map((p) =>
    defaults.get(p.parameter) === p.value ? p : { parameter: p.parameter, value: p.value, source: `scenario: modes.${mode.name}` },
  );
  return failures ? [...profile, ...recoveryAssumptions(mode)] : profile;
}

/** The recovery in force after a host failure, with its source (listed only when hosts can fail). */
function recoveryAssumptions(mode: Mode): Assumption[] {
  const d = recoveryDefault(mode.kind, mode.profile.name);
  const scenario = `scenario: modes.${mode.name}`;
  return [
    { parameter: "recovery.detect", value: `${mode.recovery.detectS} s`, source: mode.recovery.detectS === d.detectS ? `${d.source.key}: ${d.source.note}` : scenario },
    { parameter: "recovery.action", value: mode.recovery.action, source: mode.recovery.action === d.action ? "judgement: lost instances are placed again" : scenario },
  ];
}

/** How the mode's instances leave a host being patched, and the live-migration figures when they migrate live (listed only with maintenance). */
function maintenanceAssumptions(mode: Mode): Assumption[] {
  const policy = mode.maintenance ?? drainPolicy(mode.kind);
  const def = drainPolicy(mode.kind);
  const sourceOf = (path: string, same: boolean): string => {
    if (!same) return `scenario: modes.${mode.name}`;
    const d = MODE_DEFAULT_SOURCES.find((x) => x.path === path && x.kinds.includes(mode.kind));
    return d ? `${d.source.key}: ${d.source.note}` : "judgement";
  };
  const out: Assumption[] = [{ parameter: "drain", value: policy.drain, source: sourceOf("drain", policy.drain === def.drain) }];
  if (policy.drain !== "live") return out;
  const m = policy.migration;
  const dm = def.migration;
  const row = (path: string, value: string, same: boolean): Assumption => ({ parameter: `migration.${path}`, value, source: sourceOf(`migration.${path}`, same) });
  return [
    ...out,
    row("bandwidth", `${sigFigs((m.bandwidthBytesPerS * 8) / 1e9)} Gbit/s (${formatBytes(m.bandwidthBytesPerS)}/s)`, m.bandwidthBytesPerS === dm.bandwidthBytesPerS),
    row("downtimeLimit", formatDuration(m.downtimeLimitS), m.downtimeLimitS === dm.downtimeLimitS),
    row("dirtyRate", `${sigFigs(m.dirtyRateBytesPerS / 1e6)} MB/s`, m.dirtyRateBytesPerS === dm.dirtyRateBytesPerS),
    row("workingSet", m.workingSetBytes === undefined ? "all guest memory" : formatBytes(m.workingSetBytes), m.workingSetBytes === dm.workingSetBytes),
    row("maxRounds", String(m.maxRounds), m.maxRounds === dm.maxRounds),
    row("onNonConvergence", m.onNonConvergence, m.onNonConvergence === dm.onNonConvergence),
  ];
}

/** results.json text: two-space indent, trailing newline; key order is fixed by construction. */
export const resultsJson = (r: Results): string => `${JSON.stringify(r, null, 2)}\n`;

function percentiles(values: number[]): number[] {
  const all = values.sort((a, b) => a - b);
  if (all.length === 0) return [];
  return Array.from({ length: 101 }, (_, p) => quantileSorted(all, p / 100));
}

/**
 * Replication 0's samples (the whole run's, or the start-up window's) summed over the hosts that
 * were used: the run's totals over every host, in host order (a host never used adds exact zeros).
 */
function cpuSeries(samples: Samples | undefined, w: Workload, window: "run" | "startup" = "run"): CpuSeries {
  const timesS = window === "run" ? samples?.timesS : samples?.startup.timesS;
  if (!samples || !timesS || timesS.length === 0) return { timesS: [], series: [], values: [], capacityCores: 0 };
  const used = samples.used;
  const series = [...w.apps.map((a) => a.name), ...CPU_SERIES_OTHER];
  const totals = window === "run" ? samples.totals : samples.startup.totals;
  const values = series.map((_, k) => totals.map((t) => t[k]!));
  const capacityCores = samples.cores.reduce((acc, c, h) => (used[h] ? acc + c : acc), 0);
  return { timesS, series, values, capacityCores };
}

/** Replication 0's memory in use per host type, over the hosts that were used, and its OOM kills. */
function memorySeries(samples: Samples | undefined, w: Workload): MemorySeries {
  if (!samples) return { timesS: [], groups: [], oomKillTimesS: [] };
  const groups: MemoryGroup[] = [];
  let first = 0;
  for (const t of w.hostTypes) {
    const members = Array.from({ length: t.count }, (_, i) => first + i).filter((h) => samples.used[h]);
    first += t.count;
    if (members.length === 0) continue;
    groups.push({
      name: t.type,
      hosts: members.length,
      physicalBytes: members.length * t.memoryBytes,
      inUseBytes: samples.memoryBytes.map((m) => members.reduce((acc, h) => acc + (m[h] as number), 0)),
    });
  }
  return { timesS: samples.timesS, groups, oomKillTimesS: samples.oomKillTimesS };
}

const CURVE_POINTS = 400;

/**
 * [time, instances ready] after each ready event of one run, thinned to about CURVE_POINTS points
 * (from the points the run kept when it had too many ready times to keep: sample-digest.ts ReadyLog).
 */
function readyCurve(o: DigestedRun | undefined): [number, number][] {
  if (!o) return [];
  const points: [number, number][] = [[0, 0]];
  const ready = o.digest.ready;
  if (ready.kind === "thinned") for (let k = 0; k < ready.points.length; k += 2) points.push([ready.points[k] as number, ready.points[k + 1] as number]);
  else
    ready.times.forEach((t, k, times) => {
      // Keep the last of equal times: the count once everything ready at t is.
      if (k + 1 < times.length && times[k + 1] === t) return;
      points.push([t, k + 1]);
    });
  if (points.length <= CURVE_POINTS) return points;
  const step = (points.length - 1) / (CURVE_POINTS - 1);
  return Array.from({ length: CURVE_POINTS }, (_, k) => points[Math.round(k * step)] as [number, number]);
}
