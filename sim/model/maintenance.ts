/**
 * Planned maintenance as the model sees it: rolling host patch windows, guest OS reboots, and per
 * mode how a draining host's instances leave (live migration, cold migration, a reschedule, or a stop
 * for the window) with the migration network's parameters. Plain data; the run drives it.
 */
import type { ModeKind } from "./profiles.js";
import type { NonConvergence } from "./migration.js";

/**
 * live: pre-copy live migration (VM kinds); cold: shut down and boot on another host from shared
 * storage (VM kinds); reschedule: stop, start a fresh instance elsewhere through the placer;
 * stop: down with the host for its patch, back on it afterwards.
 */
export type DrainKind = "live" | "cold" | "reschedule" | "stop";

/** What each kind may use, its default first. Bare and containers have no VM to migrate. */
export const DRAIN_KINDS: Readonly<Record<ModeKind, readonly DrainKind[]>> = {
  bare: ["stop", "reschedule"],
  container: ["reschedule", "stop"],
  vm: ["live", "cold", "reschedule"],
  // Firecracker has no live migration (firecracker-design): a drained microVM boots elsewhere.
  microvm: ["cold", "live", "reschedule"],
};

export const defaultDrain = (kind: ModeKind): DrainKind => DRAIN_KINDS[kind][0] as DrainKind;

/** Live-migration defaults and where they come from (docs/calibration.md keys). */
export const MIGRATION_DEFAULTS = {
  /** QEMU's default max-bandwidth, 128 MiB/s (qemu-migration). */
  bandwidthBytesPerS: 128 * 2 ** 20,
  bandwidthLabel: "128MiB/s",
  bandwidthSource: "QEMU's max-bandwidth",
  /** QEMU's default downtime-limit (qemu-migration). */
  downtimeLimitS: 0.3,
  /** Judgement: a moderately busy server guest dirtying 50 MB/s (precopy: Clark et al. measured workloads from idle to hundreds of Mbit/s). */
  dirtyRateBytesPerS: 50e6,
  dirtyRateLabel: "50MB/s",
  /** Xen's pre-copy limit of about 30 rounds before a forced stop-and-copy (precopy). */
  maxRounds: 30,
  onNonConvergence: "force" as NonConvergence,
} as const;

export interface MigrationSpec {
  readonly bandwidthBytesPerS: number;
  readonly downtimeLimitS: number;
  readonly dirtyRateBytesPerS: number;
  readonly workingSetBytes: number | undefined;
  readonly maxRounds: number;
  readonly onNonConvergence: NonConvergence;
}

/** One mode's maintenance behaviour. */
export interface DrainPolicy {
  readonly drain: DrainKind;
  readonly migration: MigrationSpec;
}

export interface HostPatchSpec {
  readonly everyS: number;
  readonly durationS: number;
  readonly parallel: number;
  readonly startS: number;
}

export interface GuestPatchSpec {
  readonly everyS: number;
  readonly rebootS: number;
  readonly startS: number;
  readonly spreadS: number;
}

export interface MaintenanceSpec {
  readonly hostPatch: HostPatchSpec | undefined;
  readonly guestPatch: GuestPatchSpec | undefined;
}

/** A mode's `drain` and `migration` as a scenario writes them (SI units). */
export interface DrainOverrides {
  readonly drain?: DrainKind;
  readonly migration?: {
    readonly bandwidth?: number;
    readonly downtimeLimit?: number;
    readonly dirtyRate?: number;
    readonly workingSet?: number;
    readonly maxRounds?: number;
    readonly onNonConvergence?: NonConvergence;
  };
}

/** A mode's drain policy, its kind's defaults where the scenario says nothing. */
export function drainPolicy(kind: ModeKind, o: DrainOverrides = {}): DrainPolicy {
  const m = o.migration ?? {};
  const d = MIGRATION_DEFAULTS;
  return {
    drain: o.drain ?? defaultDrain(kind),
    migration: {
      bandwidthBytesPerS: m.bandwidth ?? d.bandwidthBytesPerS,
      downtimeLimitS: m.downtimeLimit ?? d.downtimeLimitS,
      dirtyRateBytesPerS: m.dirtyRate ?? d.dirtyRateBytesPerS,
      workingSetBytes: m.workingSet,
      maxRounds: m.maxRounds ?? d.maxRounds,
      onNonConvergence: m.onNonConvergence ?? d.onNonConvergence,
    },
  };
}
