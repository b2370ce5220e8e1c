/**
 * A run's per-instance outcome as a record (instances.csv's rows, traces), and a record list read
 * as the metrics read a run's columns (run-metrics.ts ServiceOutcomes).
 */
import type { ServiceOutcomes } from "./run-metrics.js";

/**
 * Per-instance outcome of a run, services in request order then jobs in arrival order (for CSV and
 * trace). A run given a job sink hands each job's record to it instead (when the job is done, or at
 * the horizon) and keeps only the services'.
 */
export interface InstanceRecord {
  readonly app: string;
  /** Services: the replica; jobs: the arrival number. */
  readonly replica: number;
  readonly kind: "service" | "job";
  readonly host: string | undefined;
  /** Services: the request; jobs: the arrival. NaN when never requested within the horizon (a later rollout wave). */
  readonly requestedAt: number;
  /** NaN when not ready within the horizon or rejected. */
  readonly readyAt: number;
  /** Jobs: when the work was done (NaN if not within the horizon); services: NaN. */
  readonly doneAt: number;
  readonly reason: string | undefined;
  /** Seconds in each phase of STARTUP_PHASES. */
  readonly phases: readonly number[];
  /** Services: CPU demanded / CPU work done over the run (NaN if it never ran). */
  readonly slowdown: number;
  /** Services: seconds it was down because its host failed (until ready again, or the horizon); jobs: 0. */
  readonly downS: number;
  /** Services: seconds it was down for planned maintenance (migration pauses, cold boots, reschedules, stops, guest reboots); jobs: 0. */
  readonly maintenanceDownS: number;
}

/** Service records (in request order) as the metrics read them. */
export function recordOutcomes(records: readonly InstanceRecord[]): ServiceOutcomes {
  const at = (i: number): InstanceRecord => records[i] as InstanceRecord;
  return {
    count: records.length,
    appName: (i) => at(i).app,
    placed: (i) => at(i).host !== undefined,
    reason: (i) => at(i).reason,
    requestedAt: (i) => at(i).requestedAt,
    readyAt: (i) => at(i).readyAt,
    phase: (i, p) => at(i).phases[p] as number,
    slowdown: (i) => at(i).slowdown,
    downS: (i) => at(i).downS,
    maintenanceDownS: (i) => at(i).maintenanceDownS,
  };
}
