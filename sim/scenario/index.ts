export { loadScenarioFile, loadScenarioText, type LoadOptions, type LoadResult, type LoadedScenario, type ScenarioCheck, type LoadedCheck } from "./load.js";
export { formatIssue, formatPath, describeFound, type ScenarioIssue, type IssuePath } from "./issues.js";
export type { RawIssue } from "./semantics.js";
export { NAME_RULE, NAME_PATTERN, NAME_MAX_LENGTH, RESERVED_NAMES, isSafeName, IMAGE_NAME_RULE, isImageName, CONTROL_CHARACTERS } from "./names.js";
export { MAX_SCENARIO_BYTES, MAX_TRACE_BYTES } from "./files.js";
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
  type ExploreParamSpec,
  type DurationDistribution,
} from "./schema.js";
export * from "./units.js";
export type { TraceData } from "./traces.js";
export { toLicenceSpec } from "./licences.js";
