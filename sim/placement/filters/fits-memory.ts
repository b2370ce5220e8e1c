/** Hard constraint: the instance's committed memory fits what the host has left after its reserve and per-host overheads. */
import type { Filter } from "../types.js";

export const fitsMemory: Filter = (host, req) =>
  host.fitsMemory(req.footprint.memoryCommitBytes) ? undefined : "insufficient memory";
