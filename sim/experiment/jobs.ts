/**
 * The jobs of one run while they are in flight (waiting, starting or running), in slots that are
 * reused once a job is done, so a run's memory follows the jobs in flight, not every job it ever
 * ran. Each job's record goes to a sink when it is done, or at the horizon for those still in
 * flight (in arrival order); its figures are summed as it goes (SampleCollector: exact up to a
 * limit, then a sketch).
 */
import { grown } from "../sharing/grow.js";
import { STARTUP_PHASES } from "../model/index.js";
import { EXACT_LIMIT, SampleCollector, type SampleDigest } from "./sample-digest.js";

const PHASES = STARTUP_PHASES.length;

/** A job's outcome, as instances.csv has it. */
export interface JobRecord {
  readonly app: string;
  /** The arrival number within its app. */
  readonly replica: number;
  readonly host: string | undefined;
  readonly requestedAt: number;
  readonly readyAt: number;
  readonly doneAt: number;
  readonly phases: readonly number[];
}

/**
 * Receives each job's record: `seq` is its arrival number within the run (over every job app). The
 * record is valid during the call only (one object is reused): copy what is kept.
 */
export type JobSink = (seq: number, record: JobRecord) => void;

/** One job app's figures over a run. */
export interface JobAppFigures {
  readonly completed: number;
  /** Arrival-to-done seconds of the completed jobs. */
  readonly turnaround: SampleDigest;
}

/** The jobs' figures over a run. */
export interface JobFigures {
  readonly arrived: number;
  readonly completed: number;
  readonly turnaround: SampleDigest;
  /** Seconds jobs spent in the system (arrival to done, or to the horizon), summed in arrival order. */
  readonly inSystemSeconds: number;
  /** By job app name, in the scenario's order. */
  readonly apps: ReadonlyMap<string, JobAppFigures>;
}

export class JobBook {
  private size = 0;
  private app = new Int32Array(0);
  private replica = new Float64Array(0);
  private seq = new Float64Array(0);
  private host = new Int32Array(0);
  private requested = new Float64Array(0);
  private ready = new Float64Array(0);
  private work = new Float64Array(0);
  private phases = new Float64Array(0);
  /** The job's start-up slot (StartupModel) while it starts, else -1. */
  private starting = new Int32Array(0);
  private readonly free: number[] = [];
  /** Slot in use, for the jobs still in flight at the horizon. */
  private inUse = new Uint8Array(0);
  private arrived = 0;
  private completed = 0;
  private readonly turnaround = new SampleCollector();
  private readonly perApp: { completed: number; readonly turnaround: SampleCollector }[];
  /** In-system seconds of the first EXACT_LIMIT arrivals, by arrival (summed in that order at the end), then a running sum. */
  private firstInSystem = new Float64Array(16);
  private laterInSystem = 0;
  /** The record handed to the sink, reused. */
  private readonly record: { -readonly [K in keyof JobRecord]: JobRecord[K] } & { phases: number[] } = {
    app: "",
    replica: 0,
    host: undefined,
    requestedAt: NaN,
    readyAt: NaN,
    doneAt: NaN,
    phases: new Array<number>(PHASES).fill(0),
  };

  constructor(
    private readonly apps: readonly string[],
    private readonly hostNames: readonly string[],
    private readonly horizonS: number,
    private readonly sink: JobSink,
  ) {
    this.perApp = apps.map(() => ({ completed: 0, turnaround: new SampleCollector() }));
  }

  /** A job of app `k` (its `replica`-th arrival) arrives now with `work` core-seconds; returns its slot. */
  arrive(k: number, replica: number, now: number, work: number): number {
    const slot = this.free.length > 0 ? (this.free.pop() as number) : this.grow();
    this.app[slot] = k;
    this.replica[slot] = replica;
    this.seq[slot] = this.arrived++;
    this.host[slot] = -1;
    this.requested[slot] = now;
    this.ready[slot] = NaN;
    this.work[slot] = work;
    this.phases.fill(0, slot * PHASES, (slot + 1) * PHASES);
    this.starting[slot] = -1;
    this.inUse[slot] = 1;
    return slot;
  }

  /** Slots ever made: the most jobs in flight at once (slots are reused). */
  get slotCount(): number {
    return this.size;
  }

  /**
   * A figure of the job in `slot`: its app (index into the job apps), replica (arrival number within
   * its app), seq (arrival number within the run), host (index, -1 while it waits), requested (its
   * arrival time) or work (core-seconds).
   */
  of(column: "app" | "replica" | "seq" | "host" | "requested" | "work", slot: number): number {
    return this[column][slot] as number;
  }

  /** Placed on host `host` now, starting up in the start-up model's slot `startSlot`. */
  placed(slot: number, host: number, startSlot: number): void {
    this.host[slot] = host;
    this.starting[slot] = startSlot;
  }

  /** The start-up slot of the job in `slot` (-1 when not starting). */
  startSlotOf(slot: number): number {
    return this.starting[slot] as number;
  }

  /**
   * Ready now: its seconds in each start-up phase are read off its start-up slot, which it no longer
   * needs. Returns whether this is its first start (a job lost with its host starts again: its ready
   * time stays the first one, its phases are its last start's).
   */
  readyAt(slot: number, now: number, phaseSeconds: (startSlot: number, p: number) => number): boolean {
    const first = Number.isNaN(this.ready[slot] as number);
    if (first) this.ready[slot] = now;
    this.copyPhases(slot, phaseSeconds);
    this.starting[slot] = -1;
    return first;
  }

  /** The jobs placed on host `host` now (starting or running), in arrival order. */
  onHost(host: number): number[] {
    const out: number[] = [];
    for (let slot = 0; slot < this.size; slot++) if (this.inUse[slot] && this.host[slot] === host) out.push(slot);
    return out.sort((a, b) => (this.seq[a] as number) - (this.seq[b] as number));
  }

  /** Lost with its host: it has no host and no start-up until it is placed again (its work starts over). */
  lost(slot: number): void {
    this.host[slot] = -1;
    this.starting[slot] = -1;
  }

  private copyPhases(slot: number, phaseSeconds: (startSlot: number, p: number) => number): void {
    const k = this.starting[slot] as number;
    if (k >= 0) for (let p = 0; p < PHASES; p++) this.phases[slot * PHASES + p] = phaseSeconds(k, p);
  }

  /** The job's work is done now: its record goes out and its slot is freed. */
  done(slot: number, now: number): void {
    const k = this.app[slot] as number;
    const t = now - (this.requested[slot] as number);
    this.completed++;
    this.turnaround.add(t);
    const a = this.perApp[k] as { completed: number; turnaround: SampleCollector };
    a.completed++;
    a.turnaround.add(t);
    this.close(slot, now);
  }

  private close(slot: number, doneAt: number): void {
    const seq = this.seq[slot] as number;
    const end = Number.isNaN(doneAt) ? this.horizonS : doneAt;
    this.addInSystem(seq, end - (this.requested[slot] as number));
    const h = this.host[slot] as number;
    const r = this.record;
    r.app = this.apps[this.app[slot] as number] as string;
    r.replica = this.replica[slot] as number;
    r.host = h < 0 ? undefined : this.hostNames[h];
    r.requestedAt = this.requested[slot] as number;
    r.readyAt = this.ready[slot] as number;
    r.doneAt = doneAt;
    for (let p = 0; p < PHASES; p++) r.phases[p] = this.phases[slot * PHASES + p] as number;
    this.sink(seq, r);
    this.inUse[slot] = 0;
    this.free.push(slot);
  }

  private addInSystem(seq: number, seconds: number): void {
    if (seq >= EXACT_LIMIT) {
      this.laterInSystem += seconds;
      return;
    }
    if (seq >= this.firstInSystem.length) {
      const grown = new Float64Array(Math.min(EXACT_LIMIT, Math.max(seq + 1, this.firstInSystem.length * 2)));
      grown.set(this.firstInSystem);
      this.firstInSystem = grown;
    }
    this.firstInSystem[seq] = seconds;
  }

  /**
   * At the horizon: the records of the jobs still in flight go out, in arrival order (a job still
   * starting with the phase seconds so far), then the run's figures.
   */
  finish(phaseSeconds: (startSlot: number, p: number) => number): JobFigures {
    const open: number[] = [];
    for (let slot = 0; slot < this.size; slot++) if (this.inUse[slot]) open.push(slot);
    open.sort((a, b) => (this.seq[a] as number) - (this.seq[b] as number));
    for (const slot of open) {
      this.copyPhases(slot, phaseSeconds);
      this.close(slot, NaN);
    }
    let inSystem = 0;
    for (let s = 0; s < Math.min(this.arrived, EXACT_LIMIT); s++) inSystem += this.firstInSystem[s] as number;
    return {
      arrived: this.arrived,
      completed: this.completed,
      turnaround: this.turnaround.digest(),
      inSystemSeconds: inSystem + this.laterInSystem,
      apps: new Map(this.apps.map((name, k) => [name, { completed: this.perApp[k]!.completed, turnaround: this.perApp[k]!.turnaround.digest() }])),
    };
  }

  private grow(): number {
    const slot = this.size++;
    if (slot < this.app.length) return slot;
    const n = Math.max(64, this.app.length * 2);
    this.app = grown(this.app, n);
    this.replica = grown(this.replica, n);
    this.seq = grown(this.seq, n);
    this.host = grown(this.host, n);
    this.requested = grown(this.requested, n);
    this.ready = grown(this.ready, n);
    this.work = grown(this.work, n);
    this.phases = grown(this.phases, n * PHASES);
    this.starting = grown(this.starting, n);
    this.inUse = grown(this.inUse, n);
    return slot;
  }
}
