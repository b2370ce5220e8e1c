/**
 * Host groups: a run whose hosts never affect each other, simulated a group of hosts at a time.
 *
 * In a large run, events of thousands of hosts interleave in time, and each event finds its host's
 * state out of the cache: a 100,000-VM run spends about half its time waiting on memory. When hosts
 * do not interact (services placed once, no shared registry traffic, no failures, maintenance or
 * jobs), each host evolves exactly as it would alone with its own services, so the run can be
 * simulated group by group, each group's state small enough to stay in the cache. Measured on
 * 100,000 services in groups of 64 hosts: 1.3x (bare) to 1.8x (vm) less CPU, with every host's
 * samples and every instance's record equal to the bit (test/experiment/host-groups.test.ts).
 *
 * This module decides when a run decomposes (whyWhole), places every service before the run as
 * the run would (placeAll), and cuts the hosts into groups (hostGroups); runOnce simulates a group
 * (RunConfig.group).
 *
 * A group's run samples every point of the fine start-up grid up to the horizon and says when its
 * last service settled (RunOutput.groupSettled); fineWindowEnd and keptFineSamples (samplers.ts) then
 * give the whole run's start-up samples from the group that settled last.
 *
 * Not done yet (issue 11): merging the groups' outputs into the run's output, with the figures that
 * sum over hosts folded in host order in both ways of running, so a grouped run is byte for byte the
 * whole one; rejected services settle at their request, which no group sees.
 */
import type { Mode } from "../model/index.js";
import { Placer, type PlacementPolicy } from "../placement/index.js";
import type { Workload } from "./resolve.js";
import { buildHosts, requestOrder, staggerOffset } from "./run.js";
import { ServiceTable } from "./service-table.js";

/** Hosts per group: the block of rows columnTotals sums at a time, so group sums can add up as the whole run's. */
export const HOSTS_PER_GROUP = 64;

/** One group of a run that decomposes: hosts [from, to) of the whole run and the services placed there. */
export interface HostGroup {
  readonly from: number;
  readonly to: number;
  /** The group's services, as indices among the run's services, ascending. */
  readonly services: Int32Array;
  /** For each of `services`, its host among the whole run's. */
  readonly hostOf: Int32Array;
}

/**
 * Why the run's hosts may affect each other (so it must be simulated whole), or undefined when they
 * cannot: then each host evolves as it would alone with the services placed on it.
 */
export function whyWhole(w: Workload, mode: Mode): string | undefined {
  if (w.apps.some((a) => a.kind === "job")) return "jobs are placed as they arrive, on whichever host has room";
  if (w.apps.some((a) => a.rollout !== undefined)) return "a rollout's next wave waits for the last one on every host";
  if (w.events.length > 0 || w.hostTypes.some((t) => t.failures !== undefined)) return "failed hosts' instances move to other hosts";
  if (w.maintenance !== undefined) return "maintenance drains hosts onto others";
  // Image pulls share the registry, which links every pulling host's rates.
  if (mode.kind === "container" && mode.cache !== "warm" && w.apps.some((a) => a.layers.length > 0)) return "image pulls share the registry";
  return undefined;
}

/** Placement before the run: each service's host (-1: rejected, or not requested within the horizon), of `hostCount`. */
export interface Placement {
  readonly hostOf: Int32Array;
  readonly hostCount: number;
}

/**
 * Places every service of a run that decomposes as the run would: in the run's request order
 * (requestOrder), each at its time up to the horizon, on the whole cluster. Nothing leaves a host
 * or changes its capacity in such a run, so these decisions are the run's.
 */
export function placeAll(w: Workload, mode: Mode, policy: PlacementPolicy, horizonS: number): Placement {
  const hosts = buildHosts(w, mode);
  const placer = new Placer(hosts, policy);
  const table = new ServiceTable(w.apps, mode);
  const indices: number[] = [];
  const times: number[] = [];
  for (let i = 0; i < table.count; i++) {
    // As the run's first wave (a run with rollouts stays whole): its app's start plus its stagger slot.
    const t = table.appOf(i).startAtS + staggerOffset(table, i);
    if (t > horizonS) continue;
    indices.push(i);
    times.push(t);
  }
  const hostOf = new Int32Array(table.count).fill(-1);
  const sorted = requestOrder(table, indices, times, policy);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[sorted === undefined ? k : sorted[k]!]!;
    const req = table.requestOf(i);
    const decision = placer.choose(req);
    if (decision.host === undefined) continue;
    decision.host.commit(req.app, req.footprint);
    hostOf[i] = decision.host.index;
  }
  return { hostOf, hostCount: hosts.length };
}

/** The run's hosts in groups of `size` (the last may be smaller), each with the services placed there. */
export function hostGroups(placement: Placement, size = HOSTS_PER_GROUP): HostGroup[] {
  const { hostOf, hostCount } = placement;
  const groups: { from: number; to: number; services: number[] }[] = [];
  for (let from = 0; from < hostCount; from += size) groups.push({ from, to: Math.min(hostCount, from + size), services: [] });
  for (let i = 0; i < hostOf.length; i++) if (hostOf[i]! >= 0) groups[Math.floor(hostOf[i]! / size)]!.services.push(i);
  return groups.map((g) => {
    const services = Int32Array.from(g.services);
    return { from: g.from, to: g.to, services, hostOf: services.map((i) => hostOf[i]!) };
  });
}
