/**
 * The run's samplers of host CPU and memory (runOnce, run.ts): one sample every `sampleStepS` over
 * the horizon (each host's row, its memory in use, and the CPU columns' totals), and a fine one over
 * the start-up window, keeping the totals only: from FINE_START_S, every other sample dropped and the
 * step doubled whenever 2 x FINE_SAMPLES are kept, until every service is ready or rejected plus a
 * tenth of that time. Both read the running model's kept host rows, one width for both: rows at the
 * version last summed are the same to the bit, and so are their totals (most start-up samples find
 * no host changed). What a host's CPU carries beyond its apps and overhead is start-up work.
 */
import type { Simulation } from "../engine/index.js";
import type { App, RunningModel } from "../model/index.js";
import type { RunConfig } from "./run.js";

/** The first step of the start-up sampling, seconds, and half the most samples it keeps. */
const FINE_START_S = 0.01;
const FINE_SAMPLES = 256;

/** What the samplers take of the run's configuration: a host group's run samples the whole fine grid (see Samplers). */
export type SamplerConfig = Pick<RunConfig, "horizonS" | "sampleStepS" | "hostRows"> & { readonly fineGrid?: boolean };

/** Where the start-up window ends: a tenth after the last service settled (at `settledS`, the fine step then `stepS`), within the horizon. */
export function fineWindowEnd(horizonS: number, settledS: number, stepS: number): number {
  return Math.min(horizonS, settledS * 1.1 + 2 * stepS);
}

/**
 * Which of a fine grid's samples (times `timesS`, every one a whole run would take, in order) the
 * whole run keeps when its start-up window ends at `end`: the same halvings, at the same counts.
 */
export function keptFineSamples(timesS: readonly number[], end: number): number[] {
  let kept: number[] = [];
  for (let k = 0; k < timesS.length && !(timesS[k]! > end + 1e-9); k++) {
    kept.push(k);
    if (kept.length >= 2 * FINE_SAMPLES) kept = kept.filter((_, j) => j % 2 === 0);
  }
  return kept;
}

/** The fine step after `count` samples of the grid were taken (it doubles whenever a whole run would have 2 x FINE_SAMPLES kept). */
export function fineStepAfter(count: number, sampleStepS: number | undefined): number {
  let step = Math.min(FINE_START_S, sampleStepS ?? FINE_START_S);
  let kept = 0;
  for (let k = 0; k < count; k++) {
    if (++kept >= 2 * FINE_SAMPLES) {
      kept = FINE_SAMPLES;
      step *= 2;
    }
  }
  return step;
}

export class Samplers {
  /** Every step's samples: times, host rows (host h's at h x width), the CPU columns' totals, each host's memory in use. */
  readonly samples: { readonly timesS: number[]; readonly rows: Float64Array[]; readonly totals: Float64Array[]; readonly memoryBytes: Float64Array[] } = {
    timesS: [],
    rows: [],
    totals: [],
    memoryBytes: [],
  };
  /** The start-up window's samples: times and the CPU columns' totals. */
  readonly startup: { timesS: number[]; totals: Float64Array[] } = { timesS: [], totals: [] };
  /** Columns of a host row: the apps, overhead, start-up, memory in use. */
  readonly width: number;
  private fineEnd: number;
  private fineStep: number;
  /**
   * With `fineGrid` (a host group's run): when this run's last service settled and the fine step
   * then. Such a run does not end or thin its fine samples: it takes every point of the grid the
   * whole run would (whose window ends at the last settle of all the groups) up to the horizon.
   */
  settled: { readonly atS: number; readonly stepS: number } | undefined;
  /** fineGrid: how many samples a whole run would keep now, and the time of the last taken. */
  private gridKept = 0;
  private gridLast = NaN;
  private summedVersion = -1;
  private summed: Float64Array = new Float64Array(0);

  /**
   * Registers the samplers' events and schedules their first samples at 0 (the fine one only when
   * `services` are requested). `allocatedCpu(h)` is host h's CPU allocation, `usedBytes(h)` its memory in use.
   */
  constructor(
    sim: Simulation,
    private readonly running: RunningModel,
    private readonly apps: readonly App[],
    private readonly hostCount: number,
    private readonly allocatedCpu: (host: number) => number,
    usedBytes: (host: number) => number,
    private readonly config: SamplerConfig,
    services: number,
  ) {
    this.fineEnd = config.horizonS;
    this.fineStep = Math.min(FINE_START_S, config.sampleStepS ?? FINE_START_S);
    this.width = apps.length + 3;
    const step = config.sampleStepS;
    if (step === undefined || !(step > 0)) return;
    const hostRows = config.hostRows ?? true;
    const { samples, width } = this;
    const SAMPLE = sim.register(() => {
      samples.timesS.push(sim.now);
      const rows = this.rows();
      const memoryBytes = new Float64Array(hostCount);
      for (let k = 0; k < hostCount; k++) memoryBytes[k] = usedBytes(k);
      // Without host rows nothing reads a copy of the rows: none is made (a million services' hosts' rows are 3.7 MB a sample).
      if (hostRows) {
        // Every cell written: host k's row at k x width (the kept rows' CPU cells), its memory in use last.
        const buffer = new Float64Array(hostCount * width);
        buffer.set(rows);
        for (let k = 0; k < hostCount; k++) buffer[k * width + apps.length + 2] = memoryBytes[k]!;
        samples.rows.push(buffer);
      }
      samples.totals.push(this.cpuTotals(rows));
      samples.memoryBytes.push(memoryBytes);
      if (sim.now + step <= config.horizonS + 1e-9) sim.after(step, SAMPLE, 0);
    });
    sim.at(0, SAMPLE, 0);
    // Start-up is often seconds of a run of hours: sample it finely, keeping at most 2 x FINE_SAMPLES.
    const grid = config.fineGrid === true;
    const FINE = sim.register(() => {
      if (sim.now > this.fineEnd + 1e-9) return;
      const fine = this.startup;
      fine.timesS.push(sim.now);
      fine.totals.push(this.cpuTotals(this.rows()));
      let last: number;
      if (grid) {
        // As a whole run's list: at 2 x FINE_SAMPLES it would keep every other sample, the last kept the one before this.
        last = sim.now;
        if (++this.gridKept >= 2 * FINE_SAMPLES) {
          this.gridKept = FINE_SAMPLES;
          this.fineStep *= 2;
          last = this.gridLast;
        }
        this.gridLast = sim.now;
      } else {
        if (fine.timesS.length >= 2 * FINE_SAMPLES) {
          fine.timesS = fine.timesS.filter((_, k) => k % 2 === 0);
          fine.totals = fine.totals.filter((_, k) => k % 2 === 0);
          this.fineStep *= 2;
        }
        last = fine.timesS[fine.timesS.length - 1] as number;
      }
      const next = last + this.fineStep;
      if (next <= this.fineEnd + 1e-9) sim.at(next, FINE, 0);
    });
    if (services > 0) sim.at(0, FINE, 0);
  }

  /** The last service settled (ready or rejected) now: the start-up window ends a tenth later. */
  allSettled(now: number): void {
    if (this.config.fineGrid === true) this.settled = { atS: now, stepS: this.fineStep };
    else this.fineEnd = fineWindowEnd(this.config.horizonS, now, this.fineStep);
  }

  /** The running model's kept rows, brought up to date (each host's start-up cell kept with its row). */
  private rows(): Float64Array {
    return this.running.sampleRows(this.apps, this.width, this.allocatedCpu);
  }

  /**
   * The CPU columns' totals of `rows` (apps, overhead, start-up), summed once per rows version. The
   * samples taken at one version share the one array (most start-up samples find no host changed):
   * nobody writes a sample's totals.
   */
  private cpuTotals(rows: Float64Array): Float64Array {
    if (this.running.rowsVersion !== this.summedVersion) {
      this.summed = columnTotals(rows, this.hostCount, this.apps.length + 2, this.width);
      this.summedVersion = this.running.rowsVersion;
    }
    return this.summed;
  }
}

/** Rows summed per pass of columnTotals: a block stays in cache while its columns are summed. */
const TOTALS_ROWS = 64;

/** Columns 0..columns-1 of `hosts` rows `width` apart, each summed over the rows in row order. */
function columnTotals(buffer: Float64Array, hosts: number, columns: number, width: number): Float64Array {
  const totals = new Float64Array(columns);
  const end = hosts * width;
  // Four columns at a time in locals, a block of rows at a time: each column's additions are the
  // same, in the same order, as adding row by row, with a load and a store per block, not per cell.
  for (let from = 0; from < end; from += TOTALS_ROWS * width) {
    const to = Math.min(end, from + TOTALS_ROWS * width);
    let c = 0;
    for (; c + 4 <= columns; c += 4) {
      let a = totals[c]!;
      let b = totals[c + 1]!;
      let d = totals[c + 2]!;
      let e = totals[c + 3]!;
      for (let k = from + c; k < to; k += width) {
        a += buffer[k]!;
        b += buffer[k + 1]!;
        d += buffer[k + 2]!;
        e += buffer[k + 3]!;
      }
      totals[c] = a;
      totals[c + 1] = b;
      totals[c + 2] = d;
      totals[c + 3] = e;
    }
    for (; c < columns; c++) {
      let a = totals[c]!;
      for (let k = from + c; k < to; k += width) a += buffer[k]!;
      totals[c] = a;
    }
  }
  return totals;
}
