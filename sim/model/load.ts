/**
 * Application CPU load over time as piecewise-constant demand (cores): constant, diurnal (a
 * sinusoid averaged over each step of a grid, so its mean is exact), bursty (exponential on/off
 * periods), periodic spikes, or a trace. A row of LoadColumns walks one instance's demand: its
 * value holds until its next change. Diurnal and spike breakpoints fall on a fixed grid (per-replica phase
 * offsets are whole steps), so many instances change at once and the run can batch them.
 */
import type { Rng, RngFamily } from "../engine/index.js";
import { grown } from "../sharing/grow.js";
import { Interned } from "./interned.js";
import { resized } from "../sharing/grow.js";

export type LoadPattern =
  | { readonly pattern: "constant"; readonly cores: number }
  | {
      readonly pattern: "diurnal";
      readonly mean: number;
      readonly peak: number;
      readonly periodS: number;
      /** Time within the period at which demand peaks. */
      readonly peakAtS: number;
      readonly steps: number;
      /** Spread each replica's peak by up to this much, in whole steps, drawn per replica. */
      readonly jitterS: number;
    }
  | { readonly pattern: "bursty"; readonly base: number; readonly burst: number; readonly onMeanS: number; readonly offMeanS: number }
  | { readonly pattern: "spikes"; readonly base: number; readonly spike: number; readonly everyS: number; readonly durationS: number }
  | { readonly pattern: "trace"; readonly timesS: readonly number[]; readonly cores: readonly number[]; readonly loop: boolean };

type DiurnalPattern = Extract<LoadPattern, { pattern: "diurnal" }>;

/**
 * The demand of many instances, one row each, as columns: row r's demand is `value[r]` until
 * `nextChange[r]` (Infinity: for ever); `advance(r)` moves it on when time reaches that. A million
 * instances are a few typed arrays, not a million cursor objects; only bursty rows keep a generator
 * (they draw as they go), every other row draws at most once, when added.
 */
export class LoadColumns {
  value: Float64Array = new Float64Array(0);
  nextChange: Float64Array = new Float64Array(0);
  /** Per row: its pattern (index into `patterns`), start time, diurnal phase offset, bursty state. */
  private pattern: Int32Array = new Int32Array(0);
  private startS: Float64Array = new Float64Array(0);
  private offsetS: Float64Array = new Float64Array(0);
  private step: Int32Array = new Int32Array(0);
  private on: Uint8Array = new Uint8Array(0);
  /** Per row: its generator in `rngs`, -1 unless bursty. */
  private rngAt: Int32Array = new Int32Array(0);
  private readonly rngs: Rng[] = [];
  private readonly patterns = new Interned<LoadPattern>();
  /** Per pattern: 1 if diurnal, and then its step length; advance() takes diurnal rows without reading the pattern object. */
  private diurnal: Uint8Array = new Uint8Array(0);
  private stepOf: Float64Array = new Float64Array(0);
  /** Per diurnal pattern: where its rows' step caches begin, one per whole-step phase offset its jitter allows. */
  private cacheBase: Int32Array = new Int32Array(0);
  /** Per diurnal row: its step cache (its pattern's, for its phase offset). */
  private cacheAt: Int32Array = new Int32Array(0);
  /**
   * Per step cache: the start of the diurnal step last computed there (NaN: none) and its mean. At a
   * grid time every replica of an app with the same phase offset steps to the same value: one
   * computation for all of them, however their offsets interleave in the walk.
   */
  private stepStart: Float64Array = new Float64Array(0);
  private stepMean: Float64Array = new Float64Array(0);
  private caches = 0;

  /**
   * Fills row `r` (one not used before; rows need not be added in order, so they can follow the
   * services' positions) for an instance with pattern `p` starting at `startS`, its draws
   * `draws.of(key)` (a diurnal phase offset, bursty periods); its demand now is in `value[r]`.
   */
  add(r: number, p: LoadPattern, draws: RngFamily, key: number, startS: number): void {
    if (r >= this.value.length) this.grow(r + 1);
    const seen = this.patterns.items.length;
    const k = this.patterns.of(p);
    this.pattern[r] = k;
    if (k === seen) this.addPattern(k, p);
    this.startS[r] = startS;
    this.rngAt[r] = -1;
    if (p.pattern === "diurnal") {
      const stepS = this.stepOf[k]!;
      const whole = Math.floor(draws.at(key).next() * (Math.round(p.jitterS / stepS) + 1));
      this.offsetS[r] = whole * stepS;
      this.cacheAt[r] = this.cacheBase[k]! + whole;
    } else if (p.pattern === "bursty") {
      this.rngAt[r] = this.rngs.length;
      this.rngs.push(draws.of(key));
    }
    this.seek(r, startS);
  }

  /** Moves row `r` to the piece that starts at `nextChange[r]` (call when time reaches it). */
  advance(r: number): void {
    const pk = this.pattern[r]!;
    if (this.diurnal[pk] === 1) this.stepDiurnal(r, pk, this.nextChange[r]!);
    else this.seek(r, this.nextChange[r]!);
  }

  /** Pattern k (first seen): its kind and step, and for a diurnal one a step cache per phase offset. */
  private addPattern(k: number, p: LoadPattern): void {
    this.diurnal = grown(this.diurnal, k + 1);
    this.stepOf = grown(this.stepOf, k + 1);
    this.cacheBase = grown(this.cacheBase, k + 1);
    if (p.pattern !== "diurnal") return;
    const stepS = p.periodS / p.steps;
    this.diurnal[k] = 1;
    this.stepOf[k] = stepS;
    this.cacheBase[k] = this.caches;
    this.caches += Math.round(p.jitterS / stepS) + 1;
    this.stepStart = grown(this.stepStart, this.caches, NaN);
    this.stepMean = grown(this.stepMean, this.caches);
  }

  /** Row r of diurnal pattern pk moves to the grid step holding time t. */
  private stepDiurnal(r: number, pk: number, t: number): void {
    const stepS = this.stepOf[pk]!;
    // Grid steps are absolute (k * stepS), so every instance of the scenario changes together.
    const k = Math.floor(t / stepS + 1e-9);
    const from = k * stepS - this.offsetS[r]!;
    const at = this.cacheAt[r]!;
    if (this.stepStart[at] !== from) {
      this.stepStart[at] = from;
      this.stepMean[at] = diurnalStepMean(this.patterns.items[pk] as DiurnalPattern, from, stepS);
    }
    this.value[r] = this.stepMean[at]!;
    this.nextChange[r] = (k + 1) * stepS;
  }

  /** Room for rows below `rows` without growing. */
  reserve(rows: number): void {
    if (rows > this.value.length) this.resize(rows);
  }

  private grow(n: number): void {
    let size = Math.max(16, this.value.length);
    while (size < n) size = Math.ceil(size * 1.5);
    this.resize(size);
  }

  private resize(n: number): void {
    this.value = resized(this.value, n);
    this.nextChange = resized(this.nextChange, n);
    this.pattern = resized(this.pattern, n);
    this.startS = resized(this.startS, n);
    this.offsetS = resized(this.offsetS, n);
    this.step = resized(this.step, n);
    this.on = resized(this.on, n);
    this.rngAt = resized(this.rngAt, n);
    this.cacheAt = resized(this.cacheAt, n);
  }

  private seek(r: number, t: number): void {
    const pk = this.pattern[r]!;
    const p = this.patterns.items[pk]!;
    switch (p.pattern) {
      case "constant":
        this.value[r] = p.cores;
        this.nextChange[r] = Infinity;
        return;
      case "diurnal":
        this.stepDiurnal(r, pk, t);
        return;
      case "spikes": {
        const k = Math.floor(t / p.everyS + 1e-9);
        const into = t - k * p.everyS;
        if (into < p.durationS - 1e-9) {
          this.value[r] = p.spike;
          this.nextChange[r] = k * p.everyS + p.durationS;
        } else {
          this.value[r] = p.base;
          this.nextChange[r] = (k + 1) * p.everyS;
        }
        return;
      }
      case "bursty": {
        // Starts off; on/off periods are exponential, drawn from the replica's own stream.
        const on = t === this.startS[r] && this.step[r] === 0 ? false : this.on[r] === 0;
        this.on[r] = on ? 1 : 0;
        this.step[r] = this.step[r]! + 1;
        this.value[r] = on ? p.burst : p.base;
        const mean = on ? p.onMeanS : p.offMeanS;
        this.nextChange[r] = t + -mean * Math.log(1 - this.rngs[this.rngAt[r]!]!.next());
        return;
      }
      case "trace": {
        // Trace times are simulation times (from 0), shared by every replica; `loop` repeats the trace.
        const n = p.timesS.length;
        const span = p.timesS[n - 1] as number;
        const loops = p.loop && span > 0 ? Math.floor(t / span + 1e-9) : 0;
        const within = t - loops * span;
        let i = 0;
        while (i + 1 < n && (p.timesS[i + 1] as number) <= within + 1e-9) i++;
        this.value[r] = p.cores[i] as number;
        if (i + 1 < n) this.nextChange[r] = loops * span + (p.timesS[i + 1] as number);
        else this.nextChange[r] = p.loop && span > 0 ? (loops + 1) * span : Infinity;
        return;
      }
    }
  }
}

/** Mean of mean + amp * cos(2 pi (t - peakAt) / period) over [t0, t0 + dt], clamped at 0 only where the curve dips below. */
export function diurnalStepMean(p: { mean: number; peak: number; periodS: number; peakAtS: number }, t0: number, dt: number): number {
  const amp = p.peak - p.mean;
  const w = (2 * Math.PI) / p.periodS;
  const a = w * (t0 - p.peakAtS);
  const b = w * (t0 + dt - p.peakAtS);
  const v = p.mean + (amp * (Math.sin(b) - Math.sin(a))) / (w * dt);
  return v > 0 ? v : 0;
}
