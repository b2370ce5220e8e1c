/**
 * Scorers on how full a host would be after placing the instance: the mean of its CPU and
 * memory commitment fractions (Kubernetes' MostAllocated / LeastAllocated).
 */
import type { Host } from "../../model/host.js";
import type { PlacementRequest, Scorer } from "../types.js";

function allocationAfter(host: Host, req: PlacementRequest): number {
  const cpu = host.cpuCapacityCores > 0 ? (host.cpuCommittedCores + req.footprint.cpuCommitCores) / host.cpuCapacityCores : 1;
  const mem =
    host.memoryCapacityBytes > 0 ? (host.memoryCommittedBytes + req.footprint.memoryCommitBytes) / host.memoryCapacityBytes : 1;
  return (cpu + mem) / 2;
}

/** First fit: every feasible host scores the same, so the lowest index wins. */
export const firstFit: Scorer = () => 0;
/** Best fit: the fullest host after placement (packs, leaves hosts empty). */
export const bestFit: Scorer = (host, req) => allocationAfter(host, req);
/** Worst fit: the emptiest host after placement (spreads). */
export const worstFit: Scorer = (host, req) => -allocationAfter(host, req);
