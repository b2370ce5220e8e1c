/**
 * A sweep: the same scenario run at each value of one parameter (any scenario path, as --set
 * takes it), every mode each time, so a planner sees where one mode overtakes another.
 */
import type { LoadOptions, LoadedScenario } from "../scenario/index.js";
import { runExperiment, TOOL_VERSION } from "./experiment.js";
import type { MetricSummary } from "./results.js";

export interface SweepPoint {
  /** The value as written on the command line (units allowed). */
  readonly value: string;
  readonly summary: Readonly<Record<string, MetricSummary>>;
}

export interface SweepResults {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: "densim"; readonly version: string };
  readonly scenario: { readonly name: string; readonly title: string };
  readonly parameter: string;
  readonly values: readonly string[];
  readonly seed: number;
  readonly replications: number;
  /** Mode name -> one point per value, in value order. */
  readonly modes: Readonly<Record<string, { readonly kind: string; readonly points: readonly SweepPoint[] }>>;
}

/** Loads the scenario at each value (through `load`, so every value is validated) and runs it. */
export function runSweep(
  load: (options: LoadOptions) => LoadedScenario,
  parameter: string,
  values: readonly string[],
  options: { readonly sets?: readonly string[]; readonly modes?: readonly string[]; readonly onPoint?: (done: number, total: number) => void } = {},
): SweepResults {
  const modes: Record<string, { kind: string; points: SweepPoint[] }> = {};
  let first: LoadedScenario | undefined;
  values.forEach((value, k) => {
    const loaded = load({ sets: [...(options.sets ?? []), `${parameter}=${value}`] });
    first ??= loaded;
    const { results } = runExperiment(loaded, { modes: options.modes });
    for (const [name, m] of Object.entries(results.modes)) {
      modes[name] ??= { kind: m.kind, points: [] };
      modes[name].points.push({ value, summary: m.summary });
    }
    options.onPoint?.(k + 1, values.length);
  });
  const s = (first as LoadedScenario).scenario;
  return {
    schemaVersion: 1,
    tool: { name: "densim", version: TOOL_VERSION },
    scenario: { name: s.name, title: s.title ?? s.name },
    parameter,
    values,
    seed: s.seed,
    replications: s.replications,
    modes,
  };
}
