/**
 * Scorers on how full a host would be after placing the instance: the mean of its CPU and
 * memory commitment fractions (Kubernetes' MostAllocated / LeastAllocated).
 */
import type { Host } from "../../model/host.js";
import type { PlacementRequest, Scorer } from "../types.js";

/**
 * Mean commitment fraction after adding (cpu, mem) to a host with these committed amounts and
 * capacities; non-decreasing in each committed amount (HostIndex relies on it for its bounds).
 */
export function allocationAfter(cpuCommitted: number, cpuCapacity: number, memCommitted: number, memCapacity: number, cpu: number, mem: number): number {
  const c = cpuCapacity > 0 ? (cpuCommitted + cpu) / cpuCapacity : 1;
  const m = memCapacity > 0 ? (memCommitted + mem) / memCapacity : 1;
  return (c + m) / 2;
}

function allocationOf(host: Host, req: PlacementRequest): number {
  return allocationAfter(
    host.cpuCommittedCores,
    host.cpuCapacityCores,
    host.memoryCommittedBytes,
    host.memoryCapacityBytes,
    req.footprint.cpuCommitCores,
    req.footprint.memoryCommitBytes,
  );
}

/** First fit: every feasible host scores the same, so the lowest index wins. */
export const firstFit: Scorer = () => 0;
/** Best fit: the fullest host after placement (packs, leaves hosts empty). */
export const bestFit: Scorer = (host, req) => allocationOf(host, req);
/** Worst fit: the emptiest host after placement (spreads). */
export const worstFit: Scorer = (host, req) => -allocationOf(host, req);
