/** Hard constraint: the request (or whole vCPUs) fits the host's cores less reserve, times the CPU overcommit ratio. */
import type { Filter } from "../types.js";

export const fitsCpu: Filter = (host, req) => (host.fitsCpu(req.footprint.cpuCommitCores) ? undefined : "insufficient cpu");
