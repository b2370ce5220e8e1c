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
