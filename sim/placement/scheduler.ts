/**
 * Places instances: every filter on every host, then the policy's scorer on the hosts that pass.
 * An instance that fits nowhere gets a kubectl-style reason summing up why each host said no.
 */
import type { Host } from "../model/host.js";
import { fitsCpu } from "./filters/fits-cpu.js";
import { fitsMemory } from "./filters/fits-memory.js";
import { hostUp } from "./filters/host-up.js";
import { outsideReserve } from "./filters/outside-reserve.js";
import { osCompatible } from "./filters/os-compatible.js";
import { portFree } from "./filters/port-free.js";
import { runtimeCompatible } from "./filters/runtime-compatible.js";
import { HostIndex, type SearchKind } from "./host-index.js";
import { bestFit, firstFit, worstFit } from "./scorers/allocation.js";
import type { Filter, PlacementRequest, Scorer } from "./types.js";

export type PlacementPolicy = "first-fit" | "best-fit" | "worst-fit" | "ffd" | "bfd";

/** Order matters only for the reason shown: the first failing filter is the host's reason. */
export const FILTERS: readonly Filter[] = [hostUp, osCompatible, runtimeCompatible, portFree, fitsMemory, fitsCpu, outsideReserve];

const SCORERS: Readonly<Record<PlacementPolicy, Scorer>> = {
  "first-fit": firstFit,
  "best-fit": bestFit,
  "worst-fit": worstFit,
  ffd: firstFit,
  bfd: bestFit,
};

/** ffd and bfd see the whole request list up front and take the largest first. */
export const sortsLargestFirst = (policy: PlacementPolicy): boolean => policy === "ffd" || policy === "bfd";

export type Decision = { readonly host: Host; readonly reason?: undefined } | { readonly host?: undefined; readonly reason: string };

export function chooseHost(hosts: readonly Host[], req: PlacementRequest, policy: PlacementPolicy): Decision {
  const scorer = SCORERS[policy];
  let best: Host | undefined;
  let bestScore = -Infinity;
  let reasons: Map<string, number> | undefined;
  for (const host of hosts) {
    const reason = firstFailure(host, req);
    if (reason !== undefined) {
      reasons ??= new Map();
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      continue;
    }
    const score = scorer(host, req);
    if (best === undefined || score > bestScore) {
      best = host;
      bestScore = score;
      if (policy === "first-fit" || policy === "ffd") break;
    }
  }
  if (best) return { host: best };
  return { reason: summarise(hosts.length, reasons ?? new Map()) };
}

const SEARCH: Readonly<Record<PlacementPolicy, SearchKind>> = {
  "first-fit": "first",
  "best-fit": "best",
  "worst-fit": "worst",
  ffd: "first",
  bfd: "best",
};

/**
 * Chooses exactly as chooseHost does, but finds the host through an index of the hosts' free capacity
 * (HostIndex) instead of running the filters on every host; only when no host fits are all of them
 * scanned, for the reason summary. Keeps the index current by watching the hosts' commitments.
 */
export class Placer {
  private readonly index: HostIndex;
  /** The request being placed, for the filters and the scorer, made once (not two closures per placement). */
  private req: PlacementRequest | undefined;
  private readonly accept = (h: Host): boolean => firstFailure(h, this.req!) === undefined;
  private readonly score = (h: Host): number => SCORERS[this.policy](h, this.req!);

  constructor(
    private readonly hosts: readonly Host[],
    private readonly policy: PlacementPolicy,
  ) {
    const index = new HostIndex(hosts);
    this.index = index;
    for (const h of hosts) h.onCommitChange = (host) => index.changed(host);
  }

  /** Hosts the filters ran on in the last indexed search (for tests and benchmarks). */
  get visited(): number {
    return this.index.visited;
  }

  choose(req: PlacementRequest): Decision {
    const host = this.find(req);
    if (host !== undefined) return { host };
    return chooseHost(this.hosts, req, this.policy);
  }

  /**
   * The host `choose` gives, or undefined where it would give a reason: for a request that waits
   * and is tried again (a queued job), whose reason no one reads, so no host is scanned for it.
   */
  find(req: PlacementRequest): Host | undefined {
    this.req = req;
    const host = this.index.search(req, SEARCH[this.policy], this.accept, this.score);
    this.req = undefined;
    return host;
  }
}

function firstFailure(host: Host, req: PlacementRequest): string | undefined {
  for (const f of FILTERS) {
    const r = f(host, req);
    if (r !== undefined) return r;
  }
  return undefined;
}

/** `0/4 hosts: 3 insufficient memory, 1 runtime conflict java@11` (most common first, then by name). */
export function summarise(hostCount: number, reasons: ReadonlyMap<string, number>): string {
  const parts = [...reasons.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const noun = hostCount === 1 ? "host" : "hosts";
  return `0/${hostCount} ${noun}: ${parts.map(([r, n]) => `${n} ${r}`).join(", ")}`;
}
