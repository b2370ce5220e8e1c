/**
 * A run's job records on disk, so instances.csv keeps its order (jobs in arrival order) while the
 * run holds only the jobs in flight: records come as jobs end (in completion order) and are
 * written at their arrival number's place in a binary file of fixed-size records; read back in
 * file order they are in arrival order. Writes are gathered and sorted, so runs of consecutive
 * arrivals go out in one write.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { STARTUP_PHASES } from "../model/index.js";
import type { JobSink } from "./jobs.js";
import type { InstanceRecord } from "./run.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** app, replica, host (-1: none), requested, ready, done, then each phase's seconds. */
const FIELDS = 6 + STARTUP_PHASES.length;
const RECORD_BYTES = FIELDS * 8;
/** Records gathered before a write. */
const BATCH = 4096;

export class JobSpool {
  private readonly fd: number;
  private readonly pending = new Float64Array(BATCH * FIELDS);
  private readonly seqs = new Float64Array(BATCH);
  private count = 0;
  private written = 0;
  private readonly appIndex = new Map<string, number>();
  private readonly apps: string[] = [];
  private readonly hostIndex = new Map<string, number>();
  private readonly hosts: string[] = [];
  private readonly out = new Float64Array(BATCH * FIELDS);

  constructor(private readonly path: string) {
    this.fd = openSync(path, "w+");
  }

  /** The sink to give the run. */
  readonly sink: JobSink = (seq, r) => {
    if (this.count === BATCH) this.flush();
    const at = this.count * FIELDS;
    const p = this.pending;
    p[at] = indexOf(this.appIndex, this.apps, r.app);
    p[at + 1] = r.replica;
    p[at + 2] = r.host === undefined ? -1 : indexOf(this.hostIndex, this.hosts, r.host);
    p[at + 3] = r.requestedAt;
    p[at + 4] = r.readyAt;
    p[at + 5] = r.doneAt;
    for (let k = 0; k < STARTUP_PHASES.length; k++) p[at + 6 + k] = r.phases[k] as number;
    this.seqs[this.count++] = seq;
    this.written = Math.max(this.written, seq + 1);
  };

  /** Writes the gathered records, each run of consecutive arrival numbers in one write. */
  flush(): void {
    const order = Array.from({ length: this.count }, (_, k) => k).sort((a, b) => (this.seqs[a] as number) - (this.seqs[b] as number));
    let k = 0;
    while (k < order.length) {
      const first = this.seqs[order[k] as number] as number;
      let n = 0;
      while (k + n < order.length && this.seqs[order[k + n] as number] === first + n) {
        const from = (order[k + n] as number) * FIELDS;
        this.out.set(this.pending.subarray(from, from + FIELDS), n * FIELDS);
        n++;
      }
      writeSync(this.fd, this.out, 0, n * RECORD_BYTES, first * RECORD_BYTES);
      k += n;
    }
    this.count = 0;
  }

  /**
   * The records in arrival order (flushes first). One record object is handed out each time,
   * changed in place: read it before asking for the next.
   */
  *records(): Generator<InstanceRecord> {
    this.flush();
    const buf = new Float64Array(BATCH * FIELDS);
    const phases = new Array<number>(STARTUP_PHASES.length).fill(0);
    const r: Mutable<InstanceRecord> = { app: "", replica: 0, kind: "job", host: undefined, requestedAt: NaN, readyAt: NaN, doneAt: NaN, reason: undefined, phases, slowdown: NaN, downS: 0, maintenanceDownS: 0 };
    for (let first = 0; first < this.written; first += BATCH) {
      const n = Math.min(BATCH, this.written - first);
      const got = readSync(this.fd, buf, 0, n * RECORD_BYTES, first * RECORD_BYTES);
      if (got !== n * RECORD_BYTES) throw new Error(`JobSpool: ${this.path}: read ${got} bytes of ${n * RECORD_BYTES}`);
      for (let k = 0; k < n; k++) {
        const at = k * FIELDS;
        const host = buf[at + 2] as number;
        r.app = this.apps[buf[at] as number] as string;
        r.replica = buf[at + 1] as number;
        r.host = host < 0 ? undefined : this.hosts[host];
        r.requestedAt = buf[at + 3] as number;
        r.readyAt = buf[at + 4] as number;
        r.doneAt = buf[at + 5] as number;
        for (let p = 0; p < phases.length; p++) phases[p] = buf[at + 6 + p] as number;
        yield r;
      }
    }
  }

  /** Closes and removes the file. */
  dispose(): void {
    closeSync(this.fd);
    rmSync(this.path, { force: true });
  }
}

function indexOf(index: Map<string, number>, names: string[], name: string): number {
  let k = index.get(name);
  if (k === undefined) {
    k = names.length;
    names.push(name);
    index.set(name, k);
  }
  return k;
}
