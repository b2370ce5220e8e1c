/**
 * The scheduler's plug-in contracts (Kubernetes scheduler framework style): a filter says why a
 * host cannot take an instance (or nothing), a scorer ranks the hosts that can.
 */
import type { Footprint } from "../model/footprint.js";
import type { Host } from "../model/host.js";
import type { App } from "../model/workload.js";

export interface PlacementRequest {
  readonly app: App;
  readonly footprint: Footprint;
  /** Re-placing an instance lost with a failed host: it may use the failover reserve. */
  readonly recovery?: boolean;
}

/** Returns the reason the host is unsuitable, in kubectl's words, or undefined when it fits. */
export type Filter = (host: Host, req: PlacementRequest) => string | undefined;

/** Higher is better; ties go to the lower host index. */
export type Scorer = (host: Host, req: PlacementRequest) => number;
