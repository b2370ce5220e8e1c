/**
 * The model's view of hosts, apps and modes: plain SI data, built from a scenario by
 * `experiment/`, so the model never depends on the scenario format.
 */
import type { Distribution } from "../engine/index.js";
import type { ModeKind, OsFamily, Profile } from "./profiles.js";

export interface HostType {
  readonly type: string;
  readonly count: number;
  readonly cores: number;
  readonly sockets: number;
  readonly memoryBytes: number;
  readonly reservedCores: number;
  readonly reservedMemoryBytes: number;
}

export interface Runtime {
  readonly family: string;
  readonly version: string;
}

export interface App {
  readonly name: string;
  readonly replicas: number;
  readonly runtime: Runtime | undefined;
  readonly os: OsFamily;
  readonly image: string | undefined;
  readonly cpuCores: number;
  readonly memoryBytes: number;
  readonly ports: readonly number[];
  readonly publish: readonly number[];
}

/** A mode to compare: a kind, its profile with the scenario's overrides applied, and mode settings. */
export interface Mode {
  readonly name: string;
  readonly kind: ModeKind;
  readonly profile: Profile;
  readonly startLatency: Distribution;
  readonly overcommitCpu: number;
  readonly overcommitMemory: number;
  /** vm/microvm: "auto" = ceil(app CPU request). */
  readonly vcpus: "auto" | number;
  /** container: cgroup limits on. */
  readonly limits: boolean;
}

export const parseRuntime = (text: string | undefined): Runtime | undefined => {
  if (text === undefined) return undefined;
  const at = text.indexOf("@");
  return { family: text.slice(0, at), version: text.slice(at + 1) };
};

export const formatRuntime = (r: Runtime): string => `${r.family}@${r.version}`;
