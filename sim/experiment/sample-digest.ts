/**
 * Streaming summaries of per-instance figures (start-up latencies, job turnarounds), so a run's
 * memory follows the jobs in flight, not every job it ever ran: values are kept exactly up to
 * EXACT_LIMIT per collector; past that they go into a DDSketch (@datadog/sketches-js) with relative
 * accuracy SKETCH_RELATIVE_ACCURACY, and quantiles read from it are estimates: each is within that
 * relative error of a sample value whose rank is within one of the exact quantile's rank (DDSketch
 * reads the value of rank floor(q (n - 1)), simple-statistics' quantileSorted that of rank
 * ceil(q n) - 1, or the mean of two neighbours). Counts, sums and means stay exact.
 *
 * A digest is plain data (typed arrays and numbers), so it crosses worker threads as it is.
 */
import { DDSketch } from "@datadog/sketches-js";
import { quantileSorted } from "simple-statistics";

/** Values kept exactly per collector before it turns into a sketch (8 bytes each). */
export const EXACT_LIMIT = 100_000;
/** The sketch's relative accuracy: an estimated quantile is within 1% of a sample value of (almost) its rank. */
export const SKETCH_RELATIVE_ACCURACY = 0.01;

/** Sketch bins: key -> count, for positive values; values at or below the mapping's least indexable value count as zero. */
export interface SketchBins {
  readonly keys: Int32Array;
  readonly counts: Float64Array;
}

/** A summary of a sample: every value (ascending), or a sketch of them. */
export type SampleDigest =
  | { readonly kind: "exact"; readonly values: Float64Array }
  | { readonly kind: "sketch"; readonly count: number; readonly sum: number; readonly zeroCount: number; readonly positive: SketchBins; readonly negative: SketchBins };

/** Collects values: exactly while they are few, as a sketch beyond EXACT_LIMIT. */
export class SampleCollector {
  private values = new Float64Array(16);
  private n = 0;
  private sketch: DDSketch | undefined;
  private total = 0;

  constructor(private readonly limit = EXACT_LIMIT) {}

  get count(): number {
    return this.sketch ? this.sketch.count : this.n;
  }

  /** The exact sum of the values added, in the order they were added. */
  get sum(): number {
    return this.total;
  }

  /** Whether quantiles are estimates (the sample outgrew the exact limit). */
  get estimated(): boolean {
    return this.sketch !== undefined;
  }

  add(v: number): void {
    this.total += v;
    if (this.sketch) {
      this.sketch.accept(v);
      return;
    }
    if (this.n === this.limit) {
      this.sketch = newSketch();
      for (let k = 0; k < this.n; k++) this.sketch.accept(this.values[k] as number);
      this.sketch.accept(v);
      this.values = new Float64Array(0);
      this.n = 0;
      return;
    }
    if (this.n === this.values.length) {
      const grown = new Float64Array(Math.min(this.limit, this.values.length * 2));
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.n++] = v;
  }

  digest(): SampleDigest {
    if (!this.sketch) return { kind: "exact", values: this.values.slice(0, this.n).sort() };
    return sketchDigest(this.sketch);
  }
}

function newSketch(): DDSketch {
  return new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY });
}

/** The non-empty bins of a DDSketch store, in key order. */
function binsOf(store: DDSketch["store"]): SketchBins {
  const keys: number[] = [];
  const counts: number[] = [];
  if (store.count > 0) {
    for (let key = store.minKey; key <= store.maxKey; key++) {
      const c = store.bins[key - store.offset] ?? 0;
      if (c > 0) {
        keys.push(key);
        counts.push(c);
      }
    }
  }
  return { keys: Int32Array.from(keys), counts: Float64Array.from(counts) };
}

function sketchDigest(s: DDSketch): SampleDigest {
  return { kind: "sketch", count: s.count, sum: s.sum, zeroCount: s.zeroCount, positive: binsOf(s.store), negative: binsOf(s.negativeStore) };
}

/** A DDSketch holding what `d` holds. */
function toSketch(d: SampleDigest): DDSketch {
  const s = newSketch();
  if (d.kind === "exact") {
    for (const v of d.values) s.accept(v);
    return s;
  }
  d.positive.keys.forEach((key, k) => s.store.add(key, d.positive.counts[k] as number));
  d.negative.keys.forEach((key, k) => s.negativeStore.add(key, d.negative.counts[k] as number));
  s.zeroCount = d.zeroCount;
  s.count = d.count;
  s.sum = d.sum;
  return s;
}

export const digestCount = (d: SampleDigest): number => (d.kind === "exact" ? d.values.length : d.count);

/** Whether quantiles read from `d` are sketch estimates. */
export const isEstimate = (d: SampleDigest): boolean => d.kind === "sketch";

/** The digests pooled: exact when every one is, else one merged sketch. */
export function pool(ds: readonly SampleDigest[]): SampleDigest {
  if (ds.every((d) => d.kind === "exact")) {
    const all = new Float64Array(ds.reduce((n, d) => n + digestCount(d), 0));
    let at = 0;
    for (const d of ds) {
      if (d.kind !== "exact") continue;
      all.set(d.values, at);
      at += d.values.length;
    }
    return { kind: "exact", values: all.sort() };
  }
  const merged = newSketch();
  for (const d of ds) if (digestCount(d) > 0) merged.merge(toSketch(d));
  return sketchDigest(merged);
}

/** The p-quantile (0..1) of the sample: exact (simple-statistics' quantileSorted) or a sketch estimate; undefined when empty. */
export function quantileOf(d: SampleDigest, p: number): number | undefined {
  if (digestCount(d) === 0) return undefined;
  if (d.kind === "exact") return quantileSorted(d.values as unknown as number[], p);
  return toSketch(d).getValueAtQuantile(p);
}

/** Percentiles 0..100 (101 values) of the sample; [] when empty. */
export function percentilesOf(d: SampleDigest): number[] {
  if (digestCount(d) === 0) return [];
  if (d.kind === "exact") {
    // Read in place, as quantileOf reads it (a copy into an array cost more than the 101 reads).
    const sorted = d.values as unknown as number[];
    return Array.from({ length: 101 }, (_, p) => quantileSorted(sorted, p / 100));
  }
  const s = toSketch(d);
  return Array.from({ length: 101 }, (_, p) => s.getValueAtQuantile(p / 100));
}

/** Points a thinned ready log keeps at most (it halves them when it reaches this). */
const READY_POINTS = 4096;

/**
 * When instances became ready (replication 0's ready curve): every time while they are at most
 * EXACT_LIMIT, else the curve itself thinned as it is recorded: [time, instances ready by then]
 * after every `stride`-th distinct time (the stride doubling as needed) and at the last one; each
 * point kept is exact.
 */
export type ReadyDigest = { readonly kind: "exact"; readonly times: Float64Array } | { readonly kind: "thinned"; readonly points: Float64Array };

/** Records ready times, which come in time order. */
export class ReadyLog {
  private readonly times = new SampleCollector(Infinity);
  private exact = true;
  private points: number[] = [];
  private lastT = NaN;
  private count = 0;
  private ordinal = 0;
  private stride = 1;

  constructor(private readonly limit = EXACT_LIMIT) {}

  add(t: number): void {
    if (this.exact && this.times.count < this.limit) {
      this.times.add(t);
      return;
    }
    if (this.exact) {
      this.exact = false;
      const d = this.times.digest() as { values: Float64Array };
      for (const u of d.values) this.addPoint(u);
    }
    this.addPoint(t);
  }

  private addPoint(t: number): void {
    if (this.count > 0 && t !== this.lastT) this.emit(this.lastT, this.count);
    this.lastT = t;
    this.count++;
  }

  private emit(t: number, c: number): void {
    if (this.ordinal++ % this.stride !== 0) return;
    this.points.push(t, c);
    if (this.points.length >= 2 * READY_POINTS) {
      this.stride *= 2;
      this.points = this.points.filter((_, k) => k % 4 < 2);
    }
  }

  digest(): ReadyDigest {
    if (this.exact) return { kind: "exact", times: (this.times.digest() as { values: Float64Array }).values };
    return { kind: "thinned", points: Float64Array.from([...this.points, this.lastT, this.count]) };
  }
}
