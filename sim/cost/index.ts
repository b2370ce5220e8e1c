/**
 * The cost layer's public face: `monthlyCost` prices one mode's run (hosts, licences, operations)
 * in USD per month from plain usage data; pure and deterministic.
 */
import type { HostCostSpec } from "./host-cost.js";
import { hostsMonthlyCost } from "./host-cost.js";
import type { LicenceRule } from "./licence-rules.js";
import { licenceCost } from "./licence-rules.js";
import type { OperationsSpec } from "./operations.js";
import { operationsCost } from "./operations.js";
import type { HostUsage, ModeRef, RuleCost } from "./types.js";
import { countedHosts } from "./types.js";

export * from "./types.js";
export * from "./billing.js";
export * from "./host-cost.js";
export * from "./licence-rules.js";
export * from "./operations.js";
export * from "./presets.js";

export interface CostInput {
  /** Every host of the cluster, in cluster order. */
  readonly hosts: readonly HostUsage[];
  readonly mode: ModeRef;
  /** One spec for every host, or one per host in the same order. */
  readonly hostCost: HostCostSpec | readonly HostCostSpec[];
  /** Resolved rules (see `resolveLicence`); each is filtered by its own `os`, `modes`, `kinds`. */
  readonly licences: readonly LicenceRule[];
  readonly operations: OperationsSpec;
  /** Charge hosts the mode left empty too (hardware, host-OS licences, patching). Default false. */
  readonly countIdleHosts?: boolean;
  /**
   * Guest OS instances to patch, when instances moved between hosts (migrations, failures): a guest is
   * one OS to patch wherever it ran. Absent: the sum of each host's peak guests.
   */
  readonly guestOsInstances?: number;
}

/** USD per month; `total` = hosts + licenses + operations. */
export interface CostBreakdown {
  readonly total: number;
  readonly hosts: number;
  readonly licenses: number;
  readonly operations: number;
  readonly perRule: readonly RuleCost[];
  /** Hosts charged, and OS instances patched. */
  readonly hostsCounted: number;
  readonly osInstances: number;
  readonly hostsDetail: string;
  readonly operationsDetail: string;
}

/** What one run of one mode costs per month. */
export function monthlyCost(input: CostInput): CostBreakdown {
  const countIdle = input.countIdleHosts ?? false;
  const hostPart = hostsMonthlyCost(input.hosts, input.hostCost, countIdle);
  // Idle hosts that are kept still run a host OS to license and patch.
  const paid = countedHosts(input.hosts, countIdle);
  const perRule = input.licences.map((rule) => licenceCost(rule, paid, input.mode));
  const licenses = perRule.reduce((sum, r) => sum + r.monthly, 0);
  const ops = operationsCost(paid, input.mode, input.operations, input.guestOsInstances);
  return {
    total: hostPart.monthly + licenses + ops.monthly,
    hosts: hostPart.monthly,
    licenses,
    operations: ops.monthly,
    perRule,
    hostsCounted: hostPart.counted,
    osInstances: ops.osInstances,
    hostsDetail: hostPart.detail,
    operationsDetail: ops.detail,
  };
}
