/**
 * HostIndex: finds the host chooseHost would choose without running every filter on every host.
 * Hosts of equal CPU and memory capacity form a group; each group keeps a segment tree over its hosts
 * (in host order) holding the least and the most CPU and memory committed in each subtree. A search
 * walks the trees left to right and skips a subtree when
 *  - no host in it can fit the request's CPU or memory (the bound uses the least committed, with the
 *    very expression Host.fitsCpu / fitsMemory use, which is monotone in the committed amount), or
 *  - no host in it can beat the best score found so far (best fit: the score of the most committed
 *    CPU and memory; worst fit: of the least; scores are monotone in both, so this is a true bound,
 *    and a tie loses to the lower host index found first).
 * Best and worst fit walk the child with the higher bound first, so the host they reach first is
 * most often the one chosen. The filters and the scorer still decide on every host reached, so the
 * choice is exactly the full scan's. When no host is found, the caller scans every host once for the reason summary.
 */
import { CAPACITY_EPSILON, type Host } from "../model/host.js";
import { allocationAfter } from "./scorers/allocation.js";
import type { PlacementRequest } from "./types.js";

/** Segment tree over one group's hosts; leaf i at size + i; padding leaves can never fit. */
class GroupTree {
  readonly size: number;
  readonly minCpu: Float64Array;
  readonly maxCpu: Float64Array;
  readonly minMem: Float64Array;
  readonly maxMem: Float64Array;
  /**
   * Search scratch: the bound of each node the running search reached (see HostIndex.setBound), kept
   * here rather than passed along, so the recursive walk hands no float from call to call (each would be boxed).
   */
  readonly bound: Float64Array;
  /**
   * Per node: the host index of its leftmost host (a padding subtree's: -1), so a search compares
   * host order without reading a Host object at every node it passes.
   */
  readonly firstIndex: Int32Array;
  constructor(
    readonly hosts: readonly Host[],
    readonly cpuCapacity: number,
    readonly memCapacity: number,
  ) {
    let size = 1;
    while (size < hosts.length) size *= 2;
    this.size = size;
    this.minCpu = new Float64Array(2 * size).fill(Infinity);
    this.maxCpu = new Float64Array(2 * size).fill(-Infinity);
    this.minMem = new Float64Array(2 * size).fill(Infinity);
    this.maxMem = new Float64Array(2 * size).fill(-Infinity);
    this.bound = new Float64Array(2 * size);
    this.firstIndex = new Int32Array(2 * size).fill(-1);
    for (let n = 1; n < 2 * size; n++) this.firstIndex[n] = hosts[(n << (Math.clz32(n) - Math.clz32(size))) - size]?.index ?? -1;
    for (let i = 0; i < hosts.length; i++) {
      const h = hosts[i]!;
      this.minCpu[size + i] = this.maxCpu[size + i] = h.cpuCommittedCores;
      this.minMem[size + i] = this.maxMem[size + i] = h.memoryCommittedBytes;
    }
    for (let n = size - 1; n >= 1; n--) this.pull(n);
  }

  /** Node n from its children; false when it holds what it held (then so do its ancestors). */
  private pull(n: number): boolean {
    const l = 2 * n;
    const r = l + 1;
    const minCpu = Math.min(this.minCpu[l]!, this.minCpu[r]!);
    const maxCpu = Math.max(this.maxCpu[l]!, this.maxCpu[r]!);
    const minMem = Math.min(this.minMem[l]!, this.minMem[r]!);
    const maxMem = Math.max(this.maxMem[l]!, this.maxMem[r]!);
    if (minCpu === this.minCpu[n] && maxCpu === this.maxCpu[n] && minMem === this.minMem[n] && maxMem === this.maxMem[n]) return false;
    this.minCpu[n] = minCpu;
    this.maxCpu[n] = maxCpu;
    this.minMem[n] = minMem;
    this.maxMem[n] = maxMem;
    return true;
  }

  update(pos: number): void {
    const h = this.hosts[pos]!;
    let n = this.size + pos;
    this.minCpu[n] = this.maxCpu[n] = h.cpuCommittedCores;
    this.minMem[n] = this.maxMem[n] = h.memoryCommittedBytes;
    // Most changes move no bound above a few levels (many hosts tie at the least and the most).
    for (n >>= 1; n >= 1 && this.pull(n); n >>= 1);
  }
}

export type SearchKind = "first" | "best" | "worst";

export class HostIndex {
  private readonly groups: GroupTree[] = [];
  private readonly groupOf: Int32Array;
  private readonly posOf: Int32Array;
  /** Running search state (the search is never re-entered). */
  private bestHost: Host | undefined;
  private bestScore = -Infinity;
  private req!: PlacementRequest;
  private kind: SearchKind = "first";
  private accept!: (host: Host) => boolean;
  private scorer!: (host: Host) => number;
  /** Hosts the last search ran the filters on (for tests and benchmarks). */
  visited = 0;

  constructor(hosts: readonly Host[]) {
    this.groupOf = new Int32Array(hosts.length);
    this.posOf = new Int32Array(hosts.length);
    const members: Host[][] = [];
    const keys: [number, number][] = [];
    for (const h of hosts) {
      let g = keys.findIndex(([c, m]) => Object.is(c, h.cpuCapacityCores) && Object.is(m, h.memoryCapacityBytes));
      if (g < 0) {
        g = keys.length;
        keys.push([h.cpuCapacityCores, h.memoryCapacityBytes]);
        members.push([]);
      }
      this.groupOf[h.index] = g;
      this.posOf[h.index] = members[g]!.length;
      members[g]!.push(h);
    }
    for (let g = 0; g < keys.length; g++) this.groups.push(new GroupTree(members[g]!, keys[g]![0], keys[g]![1]));
  }

  /** Call after a host's committed CPU or memory changed. */
  changed(host: Host): void {
    this.groups[this.groupOf[host.index]!]!.update(this.posOf[host.index]!);
  }

  /**
   * The host a full scan would choose: `accept` runs the filters, `scorer` the policy's scorer; "first"
   * takes the lowest-index host accepted, "best"/"worst" the highest score (ties: lowest index), with
   * scores that are `allocationAfter` (best) or its negation (worst).
   */
  search(req: PlacementRequest, kind: SearchKind, accept: (host: Host) => boolean, scorer: (host: Host) => number): Host | undefined {
    this.bestHost = undefined;
    this.bestScore = -Infinity;
    this.req = req;
    this.kind = kind;
    this.accept = accept;
    this.scorer = scorer;
    this.visited = 0;
    // Groups interleave in host order: every group is searched, later-index subtrees are skipped.
    for (const g of this.groups) {
      this.setBound(g, 1);
      this.walk(g, 1);
    }
    const found = this.bestHost;
    this.bestHost = undefined;
    return found;
  }

  /**
   * Notes in g.bound[n] the best score any host of subtree `n` could have (best fit: its most committed;
   * worst fit: its least; 0 for first fit, which has no scores).
   */
  private setBound(g: GroupTree, n: number): void {
    const rc = this.req.footprint.cpuCommitCores;
    const rm = this.req.footprint.memoryCommitBytes;
    g.bound[n] =
      this.kind === "first"
        ? 0
        : this.kind === "best"
          ? allocationAfter(g.maxCpu[n]!, g.cpuCapacity, g.maxMem[n]!, g.memCapacity, rc, rm)
          : -allocationAfter(g.minCpu[n]!, g.cpuCapacity, g.minMem[n]!, g.memCapacity, rc, rm);
  }

  /** Searches subtree `n`, whose bound the caller noted (setBound). */
  private walk(g: GroupTree, n: number): void {
    const bound = g.bound[n]!;
    const req = this.req;
    const rc = req.footprint.cpuCommitCores;
    const rm = req.footprint.memoryCommitBytes;
    // Same expressions as Host.fitsCpu / fitsMemory, with the least committed in the subtree.
    if (!(g.minCpu[n]! + rc <= g.cpuCapacity * (1 + CAPACITY_EPSILON))) return;
    if (!(g.minMem[n]! + rm <= g.memCapacity * (1 + CAPACITY_EPSILON))) return;
    const best = this.bestHost;
    if (best !== undefined) {
      // Leftmost host index of the subtree: ties go to the lower index.
      const first = g.firstIndex[n]!;
      if (first < 0) return;
      const later = first > best.index;
      if (this.kind === "first") {
        if (later) return;
      } else {
        if (bound < this.bestScore || (bound === this.bestScore && later)) return;
      }
    }
    if (n >= g.size) {
      const host = g.hosts[n - g.size];
      if (host === undefined) return;
      this.visited++;
      if (!this.accept(host)) return;
      const score = this.kind === "first" ? 0 : this.scorer(host);
      if (best === undefined || score > this.bestScore || (score === this.bestScore && host.index < best.index)) {
        this.bestHost = host;
        this.bestScore = score;
      }
      return;
    }
    // Best and worst fit go first where the bound is higher (left on a tie), so the first host found
    // is most often the choice and the other subtrees fall to the bound; the bounds keep the choice exact.
    const l = 2 * n;
    this.setBound(g, l);
    this.setBound(g, l + 1);
    if (this.kind === "first") {
      this.walk(g, l);
      this.walk(g, l + 1);
      return;
    }
    if (g.bound[l + 1]! > g.bound[l]!) {
      this.walk(g, l + 1);
      this.walk(g, l);
    } else {
      this.walk(g, l);
      this.walk(g, l + 1);
    }
  }
}
