/**
 * The running model's per-service state as columns, one row (position) per service: a million
 * services are a few dozen typed arrays, not a million objects of twenty fields each (every double
 * field of an object is a heap number of its own). Positions are handed out in per-host chunks, so
 * a host's services sit together and a walk in position order reads each column (and their flows,
 * which FlowTable keeps in per-host chunks too) nearly in order; a host's positions rise in start order.
 */
import { grown, resized } from "../sharing/grow.js";

/** Positions per chunk: 8 doubles are one 64-byte cache line. */
export const SERVICE_CHUNK = 8;

/** Services a walk in position order (a sample, a settle of every service) reads in one call: their misses overlap. */
export const POSITION_BLOCK = 256;

/** Columns grow by half: two dozen of them, so doubling a million rows would add a million more. */
const GROWTH = 1.5;

export class ServiceColumns {
  /** Services added. */
  count = 0;
  /** One past the highest position handed out; positions below it that hold no service have index -1. */
  end = 0;
  private capacity = 64;
  /** Per host: the next free position of its current chunk (a multiple of SERVICE_CHUNK: none free). */
  private nextFree = new Int32Array(0);
  /** Instance index (as the run numbers instances), -1 for a position no service holds. */
  index: Int32Array = new Int32Array(64).fill(-1);
  /** Host index; a service relocated after a host failure moves. */
  host: Int32Array = new Int32Array(64);
  /** App slot (RunningModel's apps in the order first seen). */
  slot: Int32Array = new Int32Array(64);
  /** CPU demand flow (-1 while down). */
  flow: Int32Array = new Int32Array(64);
  /** Disk I/O flow while running (-1 without I/O or while down); useful bytes per second. */
  io: Int32Array = new Int32Array(64);
  running: Uint8Array = new Uint8Array(64);
  /** Its idle guest's overhead flow (OverheadFlows handle), -1 for none. */
  idle: Int32Array = new Int32Array(64);
  /** Demand now, cores. */
  demand: Float64Array = new Float64Array(64);
  /** Interference factor (>= 1). */
  factor: Float64Array = new Float64Array(64);
  /** Memory-pressure factor of the host (1 = not swapping). */
  swap: Float64Array = new Float64Array(64);
  /** CPU demanded and useful CPU work done, core-seconds, up to lastT. */
  demandInt: Float64Array = new Float64Array(64);
  usefulInt: Float64Array = new Float64Array(64);
  lastT: Float64Array = new Float64Array(64);
  /** The CPU flow's received() at lastT (0 from each start). */
  lastReceived: Float64Array = new Float64Array(64);
  /** I/O bytes demanded and done, and the I/O flow's received() at lastT. */
  ioDemandInt: Float64Array = new Float64Array(64);
  ioDoneInt: Float64Array = new Float64Array(64);
  ioLastReceived: Float64Array = new Float64Array(64);
  /**
   * Host core-seconds it spent on the virtualisation tax and in the I/O path, up to lastT: kept per
   * service so the totals are summed in position order, whatever order the services settle in.
   */
  taxInt: Float64Array = new Float64Array(64);
  ioCpuInt: Float64Array = new Float64Array(64);
  /** Its share of its host's pressure now (0 unless it presses and runs). */
  contrib: Float64Array = new Float64Array(64);

  /**
   * A new row (zeroed but for `index`, which the caller sets) for a service starting on `host`: the
   * next free position of the host's chunk, or the first of a new chunk at the top. A service
   * that later moves to another host keeps its position.
   */
  add(host: number): number {
    if (host >= this.nextFree.length) this.nextFree = grown(this.nextFree, host + 1);
    let p = this.nextFree[host]!;
    if (p % SERVICE_CHUNK === 0) {
      p = this.end;
      this.end += SERVICE_CHUNK;
      if (this.end > this.capacity) this.grow(this.end);
    }
    this.nextFree[host] = p + 1;
    this.count++;
    return p;
  }

  /** Room for `rows` positions without growing (a run that knows its services takes it once: no copies, no garbage). */
  reserve(rows: number): void {
    if (rows > this.capacity) this.resize(rows);
  }

  private grow(length: number): void {
    let n = this.capacity;
    while (n < length) n = Math.ceil(n * GROWTH);
    this.resize(n);
  }

  private resize(n: number): void {
    this.index = resized(this.index, n, -1);
    this.host = resized(this.host, n);
    this.slot = resized(this.slot, n);
    this.flow = resized(this.flow, n);
    this.io = resized(this.io, n);
    this.running = resized(this.running, n);
    this.idle = resized(this.idle, n);
    this.demand = resized(this.demand, n);
    this.factor = resized(this.factor, n);
    this.swap = resized(this.swap, n);
    this.demandInt = resized(this.demandInt, n);
    this.usefulInt = resized(this.usefulInt, n);
    this.lastT = resized(this.lastT, n);
    this.lastReceived = resized(this.lastReceived, n);
    this.ioDemandInt = resized(this.ioDemandInt, n);
    this.ioDoneInt = resized(this.ioDoneInt, n);
    this.ioLastReceived = resized(this.ioLastReceived, n);
    this.taxInt = resized(this.taxInt, n);
    this.ioCpuInt = resized(this.ioCpuInt, n);
    this.contrib = resized(this.contrib, n);
    this.capacity = n;
  }
}
