/**
 * The model's view of hosts, apps and modes: plain SI data, built from a scenario by
 * `experiment/`, so the model never depends on the scenario format.
 */
import type { Distribution } from "../engine/index.js";
import type { LoadPattern } from "./load.js";
import type { DrainPolicy } from "./maintenance.js";
import type { ModeKind, OsFamily, Profile, WorkloadClass } from "./profiles.js";

export interface HostType {
  readonly type: string;
  readonly count: number;
  readonly cores: number;
  readonly sockets: number;
  readonly memoryBytes: number;
  readonly reservedCores: number;
  readonly reservedMemoryBytes: number;
  readonly diskBytesPerS: number;
  /** I/O operations per second the disk sustains (bounds small random I/O). */
  readonly diskIops: number;
  readonly networkBytesPerS: number;
  /** Images already in each host's cache at time 0, and their layers' digests (bases included). */
  readonly prepulledImages: ReadonlySet<string>;
  readonly prepulledLayers: ReadonlySet<string>;
  /** Each host's failure process (absent: it never fails on its own; scheduled events may still fail it). */
  readonly failures?: FailureProcess;
}

/**
 * When a host of a type fails and how long its repair takes: exponential times between failures
 * of mean `mtbfS` (drawn per host), or the listed times (since 0, every host of the type).
 */
export interface FailureProcess {
  readonly mtbfS?: number;
  readonly timesS?: readonly number[];
  /** Seconds from a failure until the host is usable again (Infinity: not within the horizon). */
  readonly repair: Distribution | undefined;
}

/** A content-addressed image layer: equal digests are one layer, pulled once per host. */
export interface Layer {
  readonly digest: string;
  readonly bytes: number;
}

export interface Registry {
  readonly bytesPerS: number;
  readonly latencyS: number;
}

export interface Runtime {
  readonly family: string;
  readonly version: string;
}

export type Arrivals =
  | { readonly process: "poisson"; readonly ratePerS: number }
  | { readonly process: "interval"; readonly everyS: number; readonly atS: number }
  | { readonly process: "trace"; readonly timesS: readonly number[] };

/** Pressure levels as numbers: none 0, low 0.25, medium 0.5, high 1 (high = the calibrated stressor). */
export const PRESSURE_LEVELS = { none: 0, low: 0.25, medium: 0.5, high: 1 } as const;

export interface App {
  readonly name: string;
  /** Memory its guest dirties per second, for live migration (absent: the mode's migration.dirtyRate). */
  readonly dirtyRateBytesPerS?: number;
  readonly kind: "service" | "job";
  /** Services: instances; jobs: 0 (they arrive). */
  readonly replicas: number;
  readonly arrivals: Arrivals | undefined;
  /** Jobs: work of one job, core-seconds. */
  readonly work: Distribution | undefined;
  /** Services: CPU demand over time. */
  readonly load: LoadPattern;
  readonly pressure: { readonly memoryBandwidth: number; readonly disk: number };
  readonly sensitivity: number;
  /** Services: steady disk I/O while running, bytes per second (0: none). */
  readonly ioBytesPerS: number;
  readonly ioPattern: "sequential" | "random";
  /** Bytes per I/O operation. */
  readonly ioOpBytes: number;
  /** What its work is bound by: picks the mode's CPU tax. */
  readonly workloadClass: WorkloadClass;
  /** Services: the working set grows linearly from `memoryBytes` to `toBytes` over `overS` once running. */
  readonly grow: { readonly toBytes: number; readonly overS: number } | undefined;
  /** The hard memory ceiling under container limits or inside a VM (default: the request). */
  readonly memoryLimitBytes: number | undefined;
  /** After an OOM kill: start again (with CrashLoopBackOff-style delays) or stay down. */
  readonly restart: "always" | "never";
  readonly runtime: Runtime | undefined;
  readonly os: OsFamily;
  readonly image: string | undefined;
  /** The image's layers base first, each digest once; empty without an image. */
  readonly layers: readonly Layer[];
  readonly cpuCores: number;
  readonly memoryBytes: number;
  /** The app's own start-up work, core-seconds. */
  readonly init: Distribution;
  /** Replica r is requested at startAtS + r x staggerS, or in waves of rollout.batch. */
  readonly startAtS: number;
  readonly staggerS: number;
  readonly rollout: { readonly batch: number; readonly pauseS: number } | undefined;
  readonly ports: readonly number[];
  readonly publish: readonly number[];
}

/** A mode to compare: a kind, its profile with the scenario's overrides applied, and mode settings. */
export interface Mode {
  readonly name: string;
  readonly kind: ModeKind;
  /** The built-in profile with the scenario's overrides applied. */
  readonly profile: Profile;
  readonly overcommitCpu: number;
  readonly overcommitMemory: number;
  /** vm/microvm: "auto" = ceil(app CPU request). */
  readonly vcpus: "auto" | number;
  /** container: cgroup limits on. */
  readonly limits: boolean;
  /** container: "warm" = every image already on every host. */
  readonly cache: "cold" | "warm";
  /** container: false = layers are never shared between images. */
  readonly layerSharing: boolean;
  /** container: "lazy" = start once the share of the image read at start is local, fetch the rest meanwhile. */
  readonly pull: "eager" | "lazy";
  /** How a draining host's instances leave, and the live-migration network (absent: the kind's defaults, `drainPolicy`). */
  readonly maintenance?: DrainPolicy;
  /** What happens to the instances of a failed host (RECOVERY_DEFAULTS per kind, or the scenario's). */
  readonly recovery: Recovery;
}

/**
 * After a host fails: `detectS` until the platform notices and acts (heartbeat timeout plus any
 * eviction toleration), then `restart` places each lost instance again (a start-up of the mode's
 * path on another host), or `none` leaves it down.
 */
export interface Recovery {
  readonly detectS: number;
  readonly action: "restart" | "none";
}

export const parseRuntime = (text: string | undefined): Runtime | undefined => {
  if (text === undefined) return undefined;
  const at = text.indexOf("@");
  return { family: text.slice(0, at), version: text.slice(at + 1) };
};

export const formatRuntime = (r: Runtime): string => `${r.family}@${r.version}`;
