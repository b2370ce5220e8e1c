/** Test fixtures for the cost layer: a host usage record with overridable fields. */
import type { HostUsage } from "../../sim/cost/index.js";

export function host(over: Partial<HostUsage> = {}): HostUsage {
  return {
    name: "h-1",
    cores: 16,
    sockets: 1,
    used: true,
    cpuUtilization: 0.5,
    guests: { linux: 0, windows: 0 },
    hostOs: "linux",
    containers: 0,
    ...over,
  };
}
