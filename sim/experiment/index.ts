export { runExperiment, resultsJson, unknownModes, TOOL_VERSION, type ExperimentOptions, type ExperimentOutput } from "./experiment.js";
export { resolveWorkload, resolveMode, type Workload } from "./resolve.js";
export { runOnce, buildHosts, type RunOutput, type InstanceRecord, type RunConfig } from "./run.js";
export { summarise, tQuantile975 } from "./stats.js";
export { instancesCsv, timeseriesCsv } from "./csv.js";
export * from "./results.js";
export { traceRun, matchInstances, type Trace, type TraceEvent, type Identity } from "./trace.js";
export { runSweep, sweepGrid, pointSets, SWEEP_SCHEMA_VERSION, type SweepResults, type SweepPoint, type SweepParameter, type SweepMetric, type SweepOptions } from "./sweep.js";
export * from "./metric-catalog.js";
