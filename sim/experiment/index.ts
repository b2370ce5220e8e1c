export { runExperiment, resultsJson, unknownModes, TOOL_VERSION, type ExperimentOptions, type ExperimentOutput } from "./experiment.js";
export { resolveWorkload, resolveMode, type Workload } from "./resolve.js";
export { runOnce, buildHosts, type RunOutput, type InstanceRecord, type RunConfig, type RunListener } from "./run.js";
export { summarise, tQuantile975 } from "./stats.js";
export { instancesCsv, timeseriesCsv } from "./csv.js";
export * from "./results.js";
export { traceRun, streamTrace, matchInstances, type Trace, type TraceEvent, type TraceStream, type Identity } from "./trace.js";
export { runSweep, sweepGrid, pointSets, SWEEP_SCHEMA_VERSION, type SweepResults, type SweepPoint, type SweepParameter, type SweepMetric, type SweepOptions } from "./sweep.js";
export * from "./metric-catalog.js";
export { estimateSize, limitIssues, countText, DEFAULT_LIMITS, LIMIT_FLAGS, type Limits, type SizeEstimate } from "./estimate.js";
export {
  judgeObjectives,
  missingReason,
  parseBound,
  parseObjectives,
  parseTarget,
  scenarioObjectives,
  sloIssues,
  unknownMetricMessage,
  verdictOf,
  within,
  type Objective,
  type SloOp,
} from "./slo.js";
export {
  hostMix,
  runPlan,
  PLAN_SCHEMA_VERSION,
  type Deciding,
  type ModePlan,
  type ObjectiveCheck,
  type PlacementCheck,
  type PlanLoader,
  type PlanFrame,
  type PlanObjective,
  type PlanOptions,
  type PlanResults,
  type PlanSearch,
  type Probe,
} from "./plan.js";
export { parseResults, resultsSchema, resultsSchemaV1, metricSummarySchema, type ParseResults, type ReadResults } from "./results-schema.js";
export { diffResults, type DiffInput, type DiffOptions, type DiffSide, type InputPair, type MetricChange, type ResultsDiff, type SloChange } from "./diff.js";
export { assembleExperiment, experimentTasks, runExperimentTask, type ExperimentTask } from "./experiment.js";
export { assembleSweep, pointResult, runSweepPoint, sweepHeader, type PointResult, type SweepHeader } from "./sweep.js";
export { defaultWorkers, Pool, TaskError, workersAvailable, type BatchOptions, type PoolTask, type TaskResult } from "./pool.js";
