/**
 * Pixel geometry for placing data labels where nothing else is drawn. Charts that fix their
 * scale domains and plot size know where every line runs, so they can pick label positions
 * here, before Vega lays anything out, and keep the spec a plain function of the results.
 *
 * Contract: pure; coordinates are pixels in the plot, x to the right and y down from the top.
 */

/** An axis-aligned rectangle [x0, x1] × [y0, y1], x0 <= x1 and y0 <= y1. */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** Whether two boxes overlap once each is grown by `pad` pixels on every side. */
export function boxesOverlap(a: Box, b: Box, pad = 0): boolean {
  return a.x0 - pad < b.x1 && b.x0 - pad < a.x1 && a.y0 - pad < b.y1 && b.y0 - pad < a.y1;
}

/**
 * The axis-aligned segments a step-after line through `points` draws: across at each point's
 * height, then up or down to the next point's. Zero-length pieces are left out.
 */
export function stepSegments(points: readonly (readonly [number, number])[]): Box[] {
  const segments: Box[] = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [x0, y0] = points[i] ?? [0, 0];
    const [x1, y1] = points[i + 1] ?? [0, 0];
    if (x1 !== x0) segments.push({ x0: Math.min(x0, x1), y0, x1: Math.max(x0, x1), y1: y0 });
    if (y1 !== y0) segments.push({ x0: x1, y0: Math.min(y0, y1), x1: x1, y1: Math.max(y0, y1) });
  }
  return segments;
}

/** How many of `obstacles` a box hits, each grown by `pad`. */
export function collisions(box: Box, obstacles: readonly Box[], pad = 0): number {
  let hits = 0;
  for (const obstacle of obstacles) if (boxesOverlap(box, obstacle, pad)) hits += 1;
  return hits;
}

/** A label to hang above a plot on a vertical leader: where the leader is, how wide the text. */
export interface LaneItem {
  readonly leaderX: number;
  readonly width: number;
}

/** Where a lane label went: its lane (0 = lowest) and left edge, pixels. */
export interface LanePlacement {
  readonly lane: number;
  readonly x0: number;
}

/** Costs of a lane layout: overlapping labels are far worse than a leader crossing a label. */
const OVERLAP_COST = 100;
const CROSSING_COST = 10;
const LANE_COST = 1;
const LEFT_OF_LEADER_COST = 0.5;
/** Search effort cap, in candidate placements tried; past it the best layout so far is kept. */
const SEARCH_BUDGET = 200_000;

/**
 * Stacks labels in lanes above a plot, each on a vertical leader rising from its point to its
 * lane: a label starts just left of its leader (or, when that reads better, ends just right of
 * it) and stays within [0, plotWidth]. Minimises, in order of weight, labels overlapping in a
 * lane, leaders running through a label in a lower lane, the number of lanes used, and labels
 * hung to the left of their leader. Exhaustive for a handful of labels, best-so-far past
 * `SEARCH_BUDGET`; deterministic either way. Returns one placement per item, in item order.
 */
export function placeLaneLabels(items: readonly LaneItem[], plotWidth: number, inset = 4, gap = 4): LanePlacement[] {
  interface Candidate {
    readonly lane: number;
    readonly x0: number;
    readonly x1: number;
    readonly own: number;
  }
  const n = items.length;
  // Right to left: the usual layout (labels to the right of their leader) fills from the right.
  const order = items.map((item, index) => ({ item, index })).sort((a, b) => b.item.leaderX - a.item.leaderX || a.index - b.index);
  const candidates: Candidate[][] = order.map(({ item }) => {
    const list: Candidate[] = [];
    for (let lane = 0; lane < Math.max(1, n); lane += 1) {
      for (const left of [false, true]) {
        const wanted = left ? item.leaderX + inset - item.width : item.leaderX - inset;
        const x0 = Math.max(0, Math.min(plotWidth - item.width, wanted));
        list.push({ lane, x0, x1: x0 + item.width, own: lane * LANE_COST + (left ? LEFT_OF_LEADER_COST : 0) + Math.abs(x0 - wanted) / 1000 });
      }
    }
    return list;
  });
  const pairCost = (a: Candidate, aLeader: number, b: Candidate, bLeader: number): number => {
    let cost = 0;
    if (a.lane === b.lane && a.x0 - gap < b.x1 && b.x0 - gap < a.x1) cost += OVERLAP_COST;
    if (a.lane > b.lane && aLeader >= b.x0 - 3 && aLeader <= b.x1 + 3) cost += CROSSING_COST;
    if (b.lane > a.lane && bLeader >= a.x0 - 3 && bLeader <= a.x1 + 3) cost += CROSSING_COST;
    return cost;
  };

  const chosen: Candidate[] = [];
  let best: Candidate[] = [];
  let bestCost = Number.POSITIVE_INFINITY;
  let budget = SEARCH_BUDGET;
  const search = (depth: number, cost: number): void => {
    if (cost >= bestCost) return;
    if (depth === n) {
      best = [...chosen];
      bestCost = cost;
      return;
    }
    const leader = order[depth]?.item.leaderX ?? 0;
    // Cheapest first, so the first complete layout is the greedy one and pruning bites early.
    const scored = (candidates[depth] ?? []).map((candidate) => {
      let added = candidate.own;
      chosen.forEach((other, k) => {
        added += pairCost(candidate, leader, other, order[k]?.item.leaderX ?? 0);
      });
      return { candidate, added };
    });
    scored.sort((a, b) => a.added - b.added);
    for (const { candidate, added } of scored) {
      if (budget <= 0 && best.length === n) return;
      budget -= 1;
      chosen.push(candidate);
      search(depth + 1, cost + added);
      chosen.pop();
    }
  };
  search(0, 0);

  const placements: LanePlacement[] = new Array<LanePlacement>(n);
  order.forEach(({ index }, k) => {
    const candidate = best[k];
    placements[index] = { lane: candidate?.lane ?? 0, x0: candidate?.x0 ?? 0 };
  });
  return placements;
}
