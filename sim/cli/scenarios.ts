/** Loads every scenario named on the command line, or reports all their issues at once. */
import type { LoadedScenario, LoadOptions } from "../scenario/index.js";
import { UsageError } from "./io.js";

export async function loadAll(files: readonly string[], options: LoadOptions): Promise<LoadedScenario[]> {
  const { loadScenarioFile } = await import("../scenario/index.js");
  // SLO metric names and units belong to the experiment layer's metric catalogue.
  const { sloIssues } = await import("../experiment/slo.js");
  options = { ...options, checks: [...(options.checks ?? []), sloIssues] };
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
 * load it once per probe): each load is validated like `densim run --set`, issues as a UsageError.
 */
export async function scenarioLoader(file: string, options: LoadOptions): Promise<(sets: readonly string[]) => LoadedScenario> {
  const { loadScenarioFile } = await import("../scenario/index.js");
  const { sloIssues } = await import("../experiment/slo.js");
  return (sets) => {
    const r = loadScenarioFile(file, { ...options, sets: [...(options.sets ?? []), ...sets], checks: [...(options.checks ?? []), sloIssues] });
    if (r.ok) return r;
    const n = r.issues.length;
    throw new UsageError(`${n} problem${n === 1 ? "" : "s"} found; nothing was run`, r.issues);
  };
}
