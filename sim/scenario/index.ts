export { loadScenarioFile, loadScenarioText, type LoadOptions, type LoadResult, type LoadedScenario, type ScenarioCheck } from "./load.js";
export { describeFound, formatIssue, formatPath, type IssuePath, type ScenarioIssue } from "./issues.js";
export type { RawIssue } from "./semantics.js";
export {
  scenarioSchema,
  scenarioJsonSchema,
  PLACEMENT_POLICIES,
  isModeKind,
  type Scenario,
  type ScenarioInput,
  type AppSpec,
  type HostSpec,
  type ImageSpec,
  type ModeSpec,
  type DurationDistribution,
} from "./schema.js";
export * from "./units.js";
export type { TraceData } from "./traces.js";
export { toLicenceSpec } from "./licences.js";
