/**
 * Operations cost: every OS instance someone must patch costs patch hours per month at an hourly
 * rate. Host OSes count in every mode, VM guests one each, containers none (they share the host OS).
 */
import { usd, usdCents } from "./billing.js";
import type { HostUsage, ModeRef } from "./types.js";

export interface OperationsSpec {
  /** Hours of patching per OS instance per month. */
  readonly patchHoursPerOsInstance: number;
  /** USD per hour. */
  readonly hourlyRate: number;
  /**
   * Whether microVM guests are patched like VMs. Default false (judgement): microVM guests are
   * rebuilt from images, so their patching is the image pipeline's, not a per-instance chore.
   */
  readonly microvmGuestsArePatched?: boolean;
}

/**
 * Figures from DESIGN.md's example scenario, a judgement (docs/calibration.md, judgement): half an hour a
 * month per OS instance at USD 80/h. Scenarios should give their own.
 */
export const DEFAULT_OPERATIONS: OperationsSpec = { patchHoursPerOsInstance: 0.5, hourlyRate: 80, microvmGuestsArePatched: false };

export interface OperationsCost {
  /** USD per month. */
  readonly monthly: number;
  readonly osInstances: number;
  readonly detail: string;
}

/** OS instances to patch on `hosts` (the hosts the mode pays for): one host OS each plus guests. */
export function patchedOsInstances(hosts: readonly HostUsage[], mode: ModeRef, spec: OperationsSpec, guestOsInstances?: number): { hostOs: number; guests: number } {
  const guestsPatched = mode.kind !== "microvm" || spec.microvmGuestsArePatched === true;
  let guests = 0;
  if (guestsPatched && guestOsInstances !== undefined) guests = guestOsInstances;
  else if (guestsPatched) for (const h of hosts) guests += h.guests.linux + h.guests.windows;
  return { hostOs: hosts.length, guests };
}

/** Monthly patching cost of `mode` over `hosts` (the hosts it pays for; see `countedHosts`). */
export function operationsCost(hosts: readonly HostUsage[], mode: ModeRef, spec: OperationsSpec, guestOsInstances?: number): OperationsCost {
  const { hostOs, guests } = patchedOsInstances(hosts, mode, spec, guestOsInstances);
  const n = hostOs + guests;
  const monthly = n * spec.patchHoursPerOsInstance * spec.hourlyRate;
  const skipped = mode.kind === "microvm" && !spec.microvmGuestsArePatched ? ", microVM guests rebuilt, not patched" : "";
  const detail =
    `operations: ${n} OS instances (${hostOs} host + ${guests} guest${skipped}) x ` +
    `${spec.patchHoursPerOsInstance} h x ${usd(spec.hourlyRate)}/h = ${usdCents(monthly)}/month`;
  return { monthly, osInstances: n, detail };
}
