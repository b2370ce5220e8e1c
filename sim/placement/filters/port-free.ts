/** Hard constraint: bare processes cannot share a listening port on one host; containers cannot share a published port. */
import type { Filter } from "../types.js";

export const portFree: Filter = (host, req) => {
  for (const p of host.conflictPorts(req.app)) if (host.ports.has(p)) return `port ${p} in use`;
  return undefined;
};
