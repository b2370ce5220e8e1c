/**
 * Planning: per mode, the fewest hosts that place every instance and meet every objective, or the
 * boundary of one integer parameter (`--vary path=lo..hi`) where an objective stops holding. Each
 * probe is a full experiment of the scenario loaded with `--set` overrides, so `densim run --set`
 * reproduces any probe exactly. Searches assume monotonicity and probe both sides of the answer.
 */
import type { LoadedScenario } from "../scenario/index.js";
import { pricesAnything } from "../scenario/priced.js";
import { runExperiment, TOOL_VERSION } from "./experiment.js";
import type { MetricUnit } from "./metric-catalog.js";
import type { MetricSummary, ModeResult } from "./results.js";
import { resolveWorkload } from "./resolve.js";
import type { RunOutput } from "./run.js";
import { scenarioObjectives, verdictOf, type Objective, type SloOp } from "./slo.js";

export const PLAN_SCHEMA_VERSION = 1;

/** Loads the scenario with these overrides after the user's (validated like `densim run --set`). */
export type PlanLoader = (sets: readonly string[]) => LoadedScenario;

/** What a plan searches over: the host count (host types scaled together), or one integer parameter. */
export type PlanSearch =
  | { readonly kind: "hosts"; readonly maxHosts: number }
  | { readonly kind: "vary"; readonly path: string; readonly lo: number; readonly hi: number };

export interface PlanOptions {
  /** Mode names to plan, in the scenario's order; all when absent. */
  readonly modes?: readonly string[];
  /** Judge objectives on the 95% CI's pessimistic end instead of the mean. */
  readonly strict?: boolean;
  /** What must hold (besides placing every instance); the scenario's SLOs when absent. */
  readonly objectives?: readonly Objective[];
  /** Called after each probe, in the order they run, with what the plan is (to word it). */
  readonly onProbe?: (probe: Probe, frame: PlanFrame) => void;
}

/** An objective as plan.json states it. */
export interface PlanObjective {
  readonly metric: string;
  readonly op: SloOp;
  /** SI units. */
  readonly bound: number;
  readonly unit: MetricUnit;
  readonly text: string;
}

/** One objective at one probe. `margin` (SI units) is how far inside the bound the judged figure is; negative: outside. */
export interface ObjectiveCheck {
  readonly metric: string;
  readonly met: boolean;
  readonly value?: MetricSummary;
  readonly judged?: number;
  readonly margin?: number;
  /** The margin as a share of the bound (absent for a bound of 0). */
  readonly relativeMargin?: number;
  /** Why there is no figure (nothing ran, nothing was ready). */
  readonly reason?: string;
}

/** Whether every instance found a host: services rejected (mean over replications) and jobs that never started (worst replication). */
export interface PlacementCheck {
  readonly ok: boolean;
  readonly requested: number;
  readonly rejected: number;
  readonly jobsNeverStarted: number;
  /** kubectl-style reasons of the first replication that rejected something: `8 x recommender: 0/4 hosts: 4 insufficient cpu`. */
  readonly reasons: readonly string[];
}

/** Why a probe passed or failed, for people: the first failing check, or on a pass the tightest objective. */
export type Deciding =
  | { readonly kind: "placement" }
  | { readonly kind: "objective"; readonly index: number }
  | { readonly kind: "placed" };

export interface Probe {
  readonly mode: string;
  /** Hosts in all (host search) or the parameter's value (vary). */
  readonly value: number;
  /** Per host type, for a host search: the counts this probe ran with. */
  readonly hostCounts?: readonly number[];
  /** The overrides that reproduce the probe with `densim run` (after the user's own). */
  readonly sets: readonly string[];
  readonly pass: boolean;
  readonly deciding: Deciding;
  readonly placement: PlacementCheck;
  /** One per objective, in `search.objectives` order. */
  readonly objectives: readonly ObjectiveCheck[];
  readonly costMonthly: MetricSummary;
  readonly hostsUsed: MetricSummary;
}

export interface ModePlan {
  readonly kind: string;
  /** Whether some probed value passed. */
  readonly feasible: boolean;
  /**
   * Host search: the fewest hosts that pass. Vary: the boundary value that passes (the largest
   * when the objective holds at the low end of the range, the smallest when at the high end).
   */
  readonly value?: number;
  /** The passing range found, [from, to], under monotonicity (vary). */
  readonly holds?: readonly [number, number];
  /** Host search: hosts per type at `value`. */
  readonly hostCounts?: readonly number[];
  /** Overrides that reproduce the answer with `densim run`. */
  readonly sets?: readonly string[];
  /** The neighbour of `value` that was probed and failed (null: no neighbour, e.g. 0 hosts or the range's end). */
  readonly failsAt?: number | null;
  /** Cost per month at `value` (USD, mean and CI over replications). */
  readonly cost?: MetricSummary;
  /** The objectives at `value`. */
  readonly margins?: readonly ObjectiveCheck[];
  /** The probe that decides: the answer's, or (infeasible) the last failing one. */
  readonly probe: number;
}

/** What a plan is, known before any probe runs. */
export type PlanFrame = Pick<PlanResults, "schemaVersion" | "tool" | "scenario" | "seed" | "replications" | "priced" | "search">;

export interface PlanResults {
  readonly schemaVersion: typeof PLAN_SCHEMA_VERSION;
  readonly tool: { readonly name: "densim"; readonly version: string };
  readonly scenario: {
    readonly name: string;
    readonly title: string;
    readonly file: string;
    readonly hash: string;
    /** The user's own overrides (`--set`, `--seed`, `--replications`), before the plan's. */
    readonly overrides: readonly string[];
  };
  readonly seed: number;
  readonly replications: number;
  /**
   * Whether the scenario prices anything (scenario/priced.ts). When false, every cost is $0 for
   * want of prices: the ranking goes by hosts, and the table and chart say the plan is unpriced.
   */
  readonly priced: boolean;
  readonly search: {
    readonly kind: "hosts" | "vary";
    /** `hosts`, or the varied path. */
    readonly parameter: string;
    readonly lo: number;
    readonly hi: number;
    /** Host search: the scenario's host types, whose counts the search scales together. */
    readonly hostTypes?: readonly { readonly type: string; readonly count: number }[];
    readonly strict: boolean;
    readonly objectives: readonly PlanObjective[];
  };
  /** Every probe, in the order run. */
  readonly probes: readonly Probe[];
  /** Mode name -> its plan, in the scenario's mode order. */
  readonly modes: Readonly<Record<string, ModePlan>>;
  /** Feasible modes, best first: by cost per month (host search; by hosts when unpriced) or by value (vary); then infeasible ones. */
  readonly ranking: readonly string[];
}

/**
 * Host counts per type for `total` hosts in the scenario's proportions (D'Hondt: a host goes to
 * the type with the highest count / (given + 1), ties to the earlier type). Adding a host never
 * takes one from another type, so more hosts is always a superset; at the scenario's total it
 * gives the scenario's counts.
 */
export function hostMix(weights: readonly number[], total: number): number[] {
  const counts = weights.map(() => 0);
  for (let n = 0; n < total; n++) {
    let best = -1;
    for (let k = 0; k < weights.length; k++) {
      const w = weights[k] as number;
      if (w <= 0) continue;
      if (best < 0 || w * ((counts[best] as number) + 1) > (weights[best] as number) * ((counts[k] as number) + 1)) best = k;
    }
    if (best < 0) break;
    counts[best] = (counts[best] as number) + 1;
  }
  return counts;
}

const margin = (judged: number, op: SloOp, bound: number): number => (op === "<=" ? bound - judged : judged - bound);

function checkObjectives(objectives: readonly Objective[], mode: ModeResult, strict: boolean): ObjectiveCheck[] {
  return objectives.map((o) => {
    const v = verdictOf(o, mode, strict);
    if (v.judged === undefined) return { metric: o.metric, met: false, ...(v.reason !== undefined ? { reason: v.reason } : {}) };
    const m = margin(v.judged, o.op, o.bound);
    return {
      metric: o.metric,
      met: v.met,
      ...(v.value ? { value: v.value } : {}),
      judged: v.judged,
      margin: m,
      ...(o.bound !== 0 ? { relativeMargin: m / Math.abs(o.bound) } : {}),
    };
  });
}

/** A run as a probe sees it: its records, or (run on the pool) only the count of jobs that never started. */
export type ProbeRun = RunOutput & { readonly unstartedJobs?: number };

const unstartedJobs = (r: ProbeRun): number => r.unstartedJobs ?? r.instances.filter((i) => i.kind === "job" && i.host === undefined).length;

function checkPlacement(mode: ModeResult, runs: readonly ProbeRun[]): PlacementCheck {
  const rejected = mode.summary["instances.rejected"]?.mean ?? 0;
  const jobsNeverStarted = Math.max(0, ...runs.map(unstartedJobs));
  const first = mode.runs.find((r) => r.rejections.length > 0);
  return {
    ok: rejected === 0 && jobsNeverStarted === 0,
    requested: mode.summary["instances.requested"]?.mean ?? 0,
    rejected,
    jobsNeverStarted,
    reasons: (first?.rejections ?? []).map((r) => `${r.count} x ${r.app}: ${r.reason}`),
  };
}

/** The objective a passing probe is closest to missing (bounds of 0 only when there is nothing else). */
function tightest(checks: readonly ObjectiveCheck[]): number {
  let best = -1;
  let bestKey = Infinity;
  checks.forEach((c, k) => {
    const key = c.relativeMargin ?? Number.MAX_VALUE;
    if (best < 0 || key < bestKey) {
      best = k;
      bestKey = key;
    }
  });
  return best;
}

/**
 * Runs one probe's experiment: one mode of the scenario `loaded`. The default runs it in this
 * thread; `densim plan` runs the replications on the worker pool.
 */
export type ProbeRunner = (loaded: LoadedScenario, mode: string, strict: boolean) => Promise<{ readonly mode: ModeResult; readonly runs: readonly ProbeRun[] }>;

const runHere: ProbeRunner = async (loaded, mode, strict) => {
  const { results, runs } = runExperiment(loaded, { modes: [mode], strict, hostRows: false });
  return { mode: results.modes[mode] as ModeResult, runs: runs.get(mode) ?? [] };
};

/**
 * Plans every mode. Each mode's search is a chain of probes (each depends on the last's
 * verdict), and the modes' searches run side by side, so a pool has every mode's probe to run
 * at once; probes are numbered and reported (`onProbe`) in the order a mode-by-mode plan runs
 * them, so plan.json and the printed probes are the same however the runs were spread.
 */
export async function runPlan(load: PlanLoader, search: PlanSearch, options: PlanOptions & { readonly runProbe?: ProbeRunner } = {}): Promise<PlanResults> {
  const base = load([]);
  const s = base.scenario;
  const strict = options.strict ?? false;
  const runProbe = options.runProbe ?? runHere;
  const objectives = options.objectives ?? scenarioObjectives(s);
  const weights = s.hosts.map((h) => h.count);
  const kinds = new Map(resolveWorkload(s, base.traces).modes.map((m) => [m.name, m.kind]));
  const modeNames = [...kinds.keys()].filter((m) => !options.modes || options.modes.includes(m));
  const frame: PlanFrame = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    tool: { name: "densim", version: TOOL_VERSION },
    scenario: { name: s.name, title: s.title ?? s.name, file: base.file, hash: base.hash, overrides: base.overrides },
    seed: s.seed,
    replications: s.replications,
    priced: pricesAnything(s),
    search: {
      kind: search.kind,
      parameter: search.kind === "hosts" ? "hosts" : search.path,
      lo: search.kind === "hosts" ? 1 : search.lo,
      hi: search.kind === "hosts" ? search.maxHosts : search.hi,
      ...(search.kind === "hosts" ? { hostTypes: s.hosts.map((h) => ({ type: h.type, count: h.count })) } : {}),
      strict,
      objectives: objectives.map((o) => ({ metric: o.metric, op: o.op, bound: o.bound, unit: o.ref.info.unit, text: o.text })),
    },
  };

  const setsFor = (value: number): { sets: string[]; hostCounts?: number[] } => {
    if (search.kind === "vary") return { sets: [`${search.path}=${value}`] };
    const hostCounts = hostMix(weights, value);
    return { sets: hostCounts.map((c, k) => `hosts.${k}.count=${c}`), hostCounts };
  };

  // Per mode, in mode order: its probes so far, and whether its search is done.
  const lanes = modeNames.map(() => ({ probes: [] as Probe[], done: false }));
  let reported = 0;
  let reportedIn = 0;
  /** Reports probes in mode-by-mode order: a mode's once every earlier mode's search is done. */
  const report = (): void => {
    while (reported < lanes.length) {
      const lane = lanes[reported] as (typeof lanes)[number];
      while (reportedIn < lane.probes.length) options.onProbe?.(lane.probes[reportedIn++] as Probe, frame);
      if (!lane.done) return;
      reported++;
      reportedIn = 0;
    }
  };

  async function plan(mode: string, lane: (typeof lanes)[number]): Promise<Found> {
    const cache = new Map<number, number>();
    const probe = async (value: number): Promise<number> => {
      const seen = cache.get(value);
      if (seen !== undefined) return seen;
      const { sets, hostCounts } = setsFor(value);
      const ran = await runProbe(load(sets), mode, strict);
      if (failed) throw new Error("runPlan: another mode's search failed");
      const m = ran.mode;
      const placement = checkPlacement(m, ran.runs);
      const checks = checkObjectives(objectives, m, strict);
      const failing = checks.findIndex((c) => !c.met);
      const pass = placement.ok && failing < 0;
      const deciding: Deciding = !placement.ok
        ? { kind: "placement" }
        : failing >= 0
          ? { kind: "objective", index: failing }
          : checks.length > 0
            ? { kind: "objective", index: tightest(checks) }
            : { kind: "placed" };
      lane.probes.push({
        mode,
        value,
        ...(hostCounts ? { hostCounts } : {}),
        sets,
        pass,
        deciding,
        placement,
        objectives: checks,
        costMonthly: m.summary["cost.monthly.total"] as MetricSummary,
        hostsUsed: m.summary["hosts.used"] as MetricSummary,
      });
      cache.set(value, lane.probes.length - 1);
      report();
      return lane.probes.length - 1;
    };
    const passes = async (value: number): Promise<boolean> => (lane.probes[await probe(value)] as Probe).pass;
    const found = search.kind === "hosts" ? await searchHosts(probe, passes, search.maxHosts) : await searchVary(probe, passes, search.lo, search.hi);
    lane.done = true;
    report();
    return found;
  }

  // A failing probe (a value the scenario refuses) stops every search, so nothing runs or prints after it.
  let failed = false;
  const founds = await Promise.all(
    modeNames.map((mode, k) =>
      plan(mode, lanes[k] as (typeof lanes)[number]).catch((e: unknown) => {
        failed = true;
        throw e;
      }),
    ),
  );
  const probes = lanes.flatMap((l) => l.probes);
  const modes: Record<string, ModePlan> = {};
  let offset = 0;
  modeNames.forEach((mode, k) => {
    const kind = kinds.get(mode) as string;
    const local = founds[k] as Found;
    const found = { ...local, probe: local.probe + offset };
    offset += (lanes[k] as (typeof lanes)[number]).probes.length;
    const at = probes[found.probe] as Probe;
    modes[mode] = found.value === undefined
      ? { kind, feasible: false, probe: found.probe }
      : {
          kind,
          feasible: true,
          value: found.value,
          ...(found.holds ? { holds: found.holds } : {}),
          ...(at.hostCounts ? { hostCounts: at.hostCounts } : {}),
          sets: at.sets,
          failsAt: found.failsAt,
          cost: at.costMonthly,
          margins: at.objectives,
          probe: found.probe,
        };
  });

  const feasible = modeNames.filter((m) => modes[m]?.feasible);
  const ranking = [...feasible].sort((a, b) => rankKey(a) - rankKey(b) || modeNames.indexOf(a) - modeNames.indexOf(b));
  function rankKey(m: string): number {
    const p = modes[m] as ModePlan;
    // Unpriced, every cost is $0: the fewest hosts is what is best.
    if (search.kind === "hosts") return frame.priced ? (p.cost?.mean ?? Infinity) : (p.value as number);
    // Vary: further is better in the direction the objective holds (the most replicas, the fewest hosts).
    return p.holds && p.holds[0] === search.lo ? -(p.value as number) : (p.value as number);
  }

  return { ...frame, probes, modes, ranking: [...ranking, ...modeNames.filter((m) => !modes[m]?.feasible)] };
}

type ProbeAt = (value: number) => Promise<number>;
type PassesAt = (value: number) => Promise<boolean>;

/** Doubling from 1 host until a size passes (or maxHosts fails), then bisection between the last failure and it. */
async function searchHosts(probe: ProbeAt, passes: PassesAt, maxHosts: number): Promise<Found> {
  let fail = 0;
  let n = 1;
  while (!(await passes(n))) {
    fail = n;
    if (n >= maxHosts) return { probe: await probe(n) };
    n = Math.min(2 * n, maxHosts);
  }
  let pass = n;
  while (pass - fail > 1) {
    const mid = Math.floor((fail + pass) / 2);
    if (await passes(mid)) pass = mid;
    else fail = mid;
  }
  // Both sides were probed: `pass` passes, `pass - 1` failed (or is no hosts at all).
  return { value: pass, failsAt: fail > 0 ? fail : null, probe: await probe(pass) };
}

/** Both ends first, to see which side holds; then bisection to the boundary. */
async function searchVary(probe: ProbeAt, passes: PassesAt, lo: number, hi: number): Promise<Found> {
  const atLo = await passes(lo);
  const atHi = lo === hi ? atLo : await passes(hi);
  if (atLo && atHi) return { value: hi, holds: [lo, hi], failsAt: null, probe: await probe(hi) };
  if (!atLo && !atHi) return { probe: await probe(hi) };
  let good = atLo ? lo : hi;
  let bad = atLo ? hi : lo;
  while (Math.abs(bad - good) > 1) {
    const mid = Math.floor((good + bad) / 2);
    if (await passes(mid)) good = mid;
    else bad = mid;
  }
  return { value: good, holds: atLo ? [lo, good] : [good, hi], failsAt: bad, probe: await probe(good) };
}

interface Found {
  readonly value?: number;
  readonly holds?: readonly [number, number];
  readonly failsAt?: number | null;
  readonly probe: number;
}
