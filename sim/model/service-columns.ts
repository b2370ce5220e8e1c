/**
 * The running model's per-service state as columns, one row per service in start order (its
 * position): a million services are a few dozen typed arrays, not a million objects of twenty
 * fields each (every double field of an object is a heap number of its own), and a walk over them
 * reads memory in order.
 */
import { grown } from "../sharing/grow.js";

export class ServiceColumns {
  /** Rows in use. */
  count = 0;
  private capacity = 64;
  /** Instance index (as the run numbers instances). */
  index: Int32Array = new Int32Array(64);
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
  /** Its share of its host's pressure now (0 unless it presses and runs). */
  contrib: Float64Array = new Float64Array(64);

  /** A new row (zeroed), its position. */
  add(): number {
    if (this.count === this.capacity) this.grow(2 * this.capacity);
    return this.count++;
  }

  private grow(n: number): void {
    this.index = grown(this.index, n);
    this.host = grown(this.host, n);
    this.slot = grown(this.slot, n);
    this.flow = grown(this.flow, n);
    this.io = grown(this.io, n);
    this.running = grown(this.running, n);
    this.idle = grown(this.idle, n);
    this.demand = grown(this.demand, n);
    this.factor = grown(this.factor, n);
    this.swap = grown(this.swap, n);
    this.demandInt = grown(this.demandInt, n);
    this.usefulInt = grown(this.usefulInt, n);
    this.lastT = grown(this.lastT, n);
    this.lastReceived = grown(this.lastReceived, n);
    this.ioDemandInt = grown(this.ioDemandInt, n);
    this.ioDoneInt = grown(this.ioDoneInt, n);
    this.ioLastReceived = grown(this.ioLastReceived, n);
    this.contrib = grown(this.contrib, n);
    this.capacity = n;
  }

}
