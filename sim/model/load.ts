/**
 * Application CPU load over time as piecewise-constant demand (cores): constant, diurnal (a
 * sinusoid averaged over each step of a grid, so its mean is exact), bursty (exponential on/off
 * periods), periodic spikes, or a trace. A cursor walks one instance's demand: its value holds
 * until `nextChange`. Diurnal and spike breakpoints fall on a fixed grid (per-replica phase
 * offsets are whole steps), so many instances change at once and the run can batch them.
 */
import type { Rng } from "../engine/index.js";

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

/** The demand of one instance from its start: `value` holds until `nextChange` (Infinity: for ever). */
export class LoadCursor {
  value = 0;
  nextChange = Infinity;
  private step = 0;
  private on = false;
  private readonly offsetS: number;
  /** Only bursty load draws as it goes: other cursors drop their stream (a million cursors need not keep one each). */
  private readonly rng: Rng | undefined;

  constructor(
    private readonly p: LoadPattern,
    rng: Rng,
    private readonly startS: number,
  ) {
    this.offsetS = p.pattern === "diurnal" ? Math.floor(rng.next() * (Math.round(p.jitterS / (p.periodS / p.steps)) + 1)) * (p.periodS / p.steps) : 0;
    this.rng = p.pattern === "bursty" ? rng : undefined;
    this.seek(startS);
  }

  /** Moves to the piece that starts at `nextChange` (call when time reaches it). */
  advance(): void {
    this.seek(this.nextChange);
  }

  private seek(t: number): void {
    const p = this.p;
    switch (p.pattern) {
      case "constant":
        this.value = p.cores;
        this.nextChange = Infinity;
        return;
      case "diurnal": {
        const stepS = p.periodS / p.steps;
        // Grid steps are absolute (k * stepS), so every instance of the scenario changes together.
        const k = Math.floor(t / stepS + 1e-9);
        this.value = diurnalStepMean(p, k * stepS - this.offsetS, stepS);
        this.nextChange = (k + 1) * stepS;
        return;
      }
      case "spikes": {
        const k = Math.floor(t / p.everyS + 1e-9);
        const into = t - k * p.everyS;
        if (into < p.durationS - 1e-9) {
          this.value = p.spike;
          this.nextChange = k * p.everyS + p.durationS;
        } else {
          this.value = p.base;
          this.nextChange = (k + 1) * p.everyS;
        }
        return;
      }
      case "bursty": {
        // Starts off; on/off periods are exponential, drawn from the replica's own stream.
        if (t === this.startS && this.step === 0) this.on = false;
        else this.on = !this.on;
        this.step++;
        this.value = this.on ? p.burst : p.base;
        const mean = this.on ? p.onMeanS : p.offMeanS;
        this.nextChange = t + -mean * Math.log(1 - (this.rng as Rng).next());
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
        this.value = p.cores[i] as number;
        if (i + 1 < n) this.nextChange = loops * span + (p.timesS[i + 1] as number);
        else this.nextChange = p.loop && span > 0 ? (loops + 1) * span : Infinity;
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
