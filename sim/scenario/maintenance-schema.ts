/**
 * Scenario fields of rolling maintenance: the top-level `maintenance` (host patch windows, guest OS
 * patches) and, per mode, how a host is drained and the live-migration network. Defaults cite
 * docs/calibration.md keys through MIGRATION_DEFAULTS (model).
 */
import { z } from "zod";
import { DRAIN_KINDS, MIGRATION_DEFAULTS, type DrainKind } from "../model/maintenance.js";
import type { ModeKind } from "../model/profiles.js";
import { bandwidth, bytes, positiveBandwidth, positiveSeconds } from "./schema-units.js";

const hostPatch = z
  .strictObject({
    every: positiveSeconds("Time from one round of host patches to the next (a month: 30d)"),
    duration: positiveSeconds("How long one host is out of service for its patch (after it is drained)"),
    parallel: z.number().int().min(1).default(1).describe("Hosts patched at once (at most the hosts of the estate)"),
    start: positiveSeconds("When the first round starts (default 1h: after start-up has settled)").default(3600),
  })
  .describe("Rolling host patches: every period, hosts in order, `parallel` at a time: drain, patch for `duration`, bring back");

const guestPatch = z
  .strictObject({
    every: positiveSeconds("Time from one round of guest OS patches to the next"),
    reboot: positiveSeconds("Downtime of one guest reboot, from going down to the app ready again"),
    start: positiveSeconds("When the first round starts (default: hostPatch.start, or 1h)").optional(),
    spread: positiveSeconds("Guests' reboots are spread evenly over this much time from the round's start (default 1h)").default(3600),
  })
  .describe("Guest OS patches: every VM (and microVM when operations.microvmGuestsArePatched) reboots once per period");

export const maintenanceSchema = z
  .strictObject({ hostPatch: hostPatch.optional(), guestPatch: guestPatch.optional() })
  .optional()
  .describe("Planned maintenance: rolling host patches (drain, patch, return) and guest OS reboots; downtime it causes is counted apart from failures");

/** Per-mode: how a draining host's instances leave; the kind's default first. */
export const drainField = (kind: ModeKind) =>
  z
    .enum(DRAIN_KINDS[kind] as [DrainKind, ...DrainKind[]])
    .optional()
    .describe(
      {
        bare: "How a draining host's processes leave: stop (default: down with the host for its patch) or reschedule (start elsewhere where runtime and ports allow)",
        container: "How a draining host's containers leave: reschedule (default: stop, start elsewhere, pulling the image if missing) or stop",
        vm: "How a draining host's VMs leave: live (default: pre-copy live migration), cold (shut down, boot on another host from shared storage) or reschedule",
        microvm: "How a draining host's microVMs leave: cold (default: Firecracker has no live migration), live or reschedule",
      }[kind],
    );

const d = MIGRATION_DEFAULTS;

/** Per VM-kind mode: the live-migration network and guest (drain: live). */
export const migrationField = z
  .strictObject({
    bandwidth: positiveBandwidth(`Migration network of one host, used by one migration at a time (default ${d.bandwidthLabel}, ${d.bandwidthSource})`).optional(),
    downtimeLimit: positiveSeconds(`Longest stop-and-copy pause (default ${d.downtimeLimitS * 1000}ms, QEMU's downtime-limit)`).optional(),
    dirtyRate: bandwidth(`Memory the guest dirties per second while it runs (default ${d.dirtyRateLabel}, a judgement)`).optional(),
    workingSet: bytes("Writable working set: the most one round can leave dirty (default: all guest memory)").optional(),
    maxRounds: z.number().int().min(1).max(1000).optional().describe(`Most pre-copy rounds (default ${d.maxRounds}, Xen's limit)`),
    onNonConvergence: z
      .enum(["force", "cold"])
      .optional()
      .describe("When the rounds never get under the limit: force (default: stop-and-copy anyway, a long pause) or cold (shut down, boot on the target)"),
  })
  .optional()
  .describe("Pre-copy live migration (drain: live): the memory goes over this network while the guest runs");
