/** Builds scenarios for tests from plain objects, through the real loader. */
import { loadScenarioText, type LoadedScenario, type ScenarioInput } from "../../sim/scenario/index.js";

export function scenario(input: ScenarioInput | Record<string, unknown>): LoadedScenario {
  const r = loadScenarioText(JSON.stringify(input), "test.json");
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.where}: ${i.path}: ${i.message}`).join("\n"));
  return r;
}

export const MiB = 2 ** 20;
export const GiB = 2 ** 30;
