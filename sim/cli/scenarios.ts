/**
 * Loads every scenario named on the command line, or reports all their issues at once; a
 * scenario whose estimated size exceeds the limits (--max-instances and friends) is refused here,
 * by validate, run and sweep alike, before anything runs.
 */
import type { Options } from "yargs";
import type { EstimateScope, Limits } from "../experiment/estimate.js";
import type { LoadedScenario, LoadOptions } from "../scenario/index.js";
import { UsageError } from "./io.js";

/** The limit options, with the defaults of DEFAULT_LIMITS (repeated here so --help loads nothing heavy). */
export const LIMIT_OPTIONS: Readonly<Record<string, Options>> = {
  "max-instances": { type: "number", default: 2_000_000, group: "Limits:", describe: "Refuse a scenario estimated to start more service instances (all modes and replications)" },
  "max-jobs": { type: "number", default: 2_000_000, group: "Limits:", describe: "Refuse a scenario estimated to run more jobs (all modes and replications)" },
  "max-samples": { type: "number", default: 5_000_000, group: "Limits:", describe: "Refuse a scenario estimated to write more time-series rows" },
  "max-cluster-hosts": { type: "number", default: 100_000, group: "Limits:", describe: "Refuse a scenario with more hosts" },
  "max-events": { type: "number", default: 200_000_000, group: "Limits:", describe: "Refuse a scenario estimated to need more simulation events" },
};

let limits: Limits | undefined;

/** Reads the limit options (a yargs middleware); a bad value is the user's mistake. */
export function setLimits(args: Record<string, unknown>): void {
  const read = (flag: string): number => {
    const v = args[flag];
    const fallback = LIMIT_OPTIONS[flag]?.default as number;
    if (v === undefined) return fallback;
    if (typeof v !== "number" || !(v >= 0)) throw new UsageError(`--${flag}: expected a number >= 0, found ${String(v)}`);
    return v;
  };
  limits = {
    maxInstances: read("max-instances"),
    maxJobs: read("max-jobs"),
    maxSamples: read("max-samples"),
    maxHosts: read("max-cluster-hosts"),
    maxEvents: read("max-events"),
  };
}

/** The limits set by the options (the defaults before any command parsed them): explore's worker uses them. */
export async function limitsInForce(): Promise<Limits> {
  return limits ?? (await import("../experiment/estimate.js")).DEFAULT_LIMITS;
}

/** Sets the limits directly (explore's worker thread, which parses no options). */
export function useLimits(l: Limits): void {
  limits = l;
}

export async function loadAll(files: readonly string[], options: LoadOptions): Promise<LoadedScenario[]> {
  const { loadScenarioFile } = await import("../scenario/index.js");
  const { limitIssues, DEFAULT_LIMITS } = await import("../experiment/estimate.js");
  const current = limits ?? DEFAULT_LIMITS;
  // SLO metric names and units belong to the experiment layer's metric catalogue.
  const { sloIssues } = await import("../experiment/slo.js");
  options = {
    ...options,
    checks: [...(options.checks ?? []), sloIssues],
    validChecks: [...(options.validChecks ?? []), (l: Pick<LoadedScenario, "scenario" | "traces">) => limitIssues(l, current)],
  };
  const loaded: LoadedScenario[] = [];
  const issues = [];
  for (const f of files) {
    const r = loadScenarioFile(f, options);
    if (r.ok) loaded.push(r);
    else issues.push(...r.issues);
  }
  if (issues.length > 0) {
    const n = issues.length;
    throw new UsageError(`${n} problem${n === 1 ? "" : "s"} found; nothing was run`, issues);
  }
  return loaded;
}

/**
 * A synchronous loader of one scenario with extra overrides after the user's (for plans, which
 * load it once per probe): each load is validated like `densim run --set`, and its size estimated
 * for `scope` (a probe runs one mode) against the limits in force; issues as a UsageError.
 */
export async function scenarioLoader(file: string, options: LoadOptions, scope: EstimateScope = {}): Promise<(sets: readonly string[]) => LoadedScenario> {
  const { loadScenarioFile } = await import("../scenario/index.js");
  const { sloIssues } = await import("../experiment/slo.js");
  const { limitIssues } = await import("../experiment/estimate.js");
  const current = await limitsInForce();
  const sized = (l: Pick<LoadedScenario, "scenario" | "traces">) => limitIssues(l, current, scope);
  return (sets) => {
    const r = loadScenarioFile(file, {
      ...options,
      sets: [...(options.sets ?? []), ...sets],
      checks: [...(options.checks ?? []), sloIssues],
      validChecks: [...(options.validChecks ?? []), sized],
    });
    if (r.ok) return r;
    const n = r.issues.length;
    throw new UsageError(`${n} problem${n === 1 ? "" : "s"} found; nothing was run`, r.issues);
  };
}
