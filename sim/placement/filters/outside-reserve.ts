/**
 * Hard constraint for normal placement: the failover reserve stays free. A reserve host takes no
 * normal placement; a percentage reserve keeps that share of every host's CPU and memory free.
 * Recovery placements (instances of a failed host) may use the reserve: that is what it is for.
 */
import { CAPACITY_EPSILON } from "../../model/host.js";
import type { Filter } from "../types.js";

export const outsideReserve: Filter = (host, req) => {
  if (req.recovery) return undefined;
  if (host.reserveHost) return "failover reserve host";
  const keep = 1 - host.reserveShare;
  if (keep >= 1) return undefined;
  const fp = req.footprint;
  const fits =
    host.cpuCommittedCores + fp.cpuCommitCores <= host.cpuCapacityCores * keep * (1 + CAPACITY_EPSILON) &&
    host.memoryCommittedBytes + fp.memoryCommitBytes <= host.memoryCapacityBytes * keep * (1 + CAPACITY_EPSILON);
  return fits ? undefined : "failover reserve";
};
