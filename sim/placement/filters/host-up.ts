/** Hard constraint: the host is in service (not failed, not drained for maintenance). */
import type { Filter } from "../types.js";

export const hostUp: Filter = (host) => (host.down ? "host down" : undefined);
