/**
 * A run's job records on disk, so instances.csv keeps its order (jobs in arrival order) while the
 * run holds only the jobs in flight: records come as jobs end (in completion order) and are
 * written at their arrival number's place in a binary file of fixed-size records; read back in
 * file order they are in arrival order. Writes are gathered and sorted, so runs of consecutive
 * arrivals go out in one write.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { STARTUP_PHASES } from "../model/index.js";
import type { JobRecord, JobSink } from "./jobs.js";
import { jobInstance, type InstanceRecord } from "./run.js";

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

  /** The records in arrival order (flushes first). */
  *records(): Generator<InstanceRecord> {
    this.flush();
    const buf = new Float64Array(BATCH * FIELDS);
    for (let first = 0; first < this.written; first += BATCH) {
      const n = Math.min(BATCH, this.written - first);
      const got = readSync(this.fd, buf, 0, n * RECORD_BYTES, first * RECORD_BYTES);
      if (got !== n * RECORD_BYTES) throw new Error(`JobSpool: ${this.path}: read ${got} bytes of ${n * RECORD_BYTES}`);
      for (let k = 0; k < n; k++) {
        const at = k * FIELDS;
        const host = buf[at + 2] as number;
        const r: JobRecord = {
          app: this.apps[buf[at] as number] as string,
          replica: buf[at + 1] as number,
          host: host < 0 ? undefined : this.hosts[host],
          requestedAt: buf[at + 3] as number,
          readyAt: buf[at + 4] as number,
          doneAt: buf[at + 5] as number,
          phases: Array.from(buf.subarray(at + 6, at + FIELDS)),
        };
        yield jobInstance(r);
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
