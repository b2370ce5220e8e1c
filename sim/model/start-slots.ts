/**
 * The start-ups in flight as columns, one row (a slot) per start: its host, its app, its draws,
 * the seconds it spent in each phase, whether it was given up. A released slot is taken again
 * (last freed first), so memory follows the starts alive, not every start ever.
 */
import { grown, resized, type NumberArray } from "../sharing/grow.js";

export class StartSlots {
  /** Rows ever used (slots 0..count-1). */
  count = 0;
  /** Released slots, a stack (last freed on top) as a typed column: the GC walks no million-entry array. */
  private free = new Int32Array(0);
  private freeCount = 0;
  /** Per slot: in use, given up, and for VMs whether the disk is on shared storage (nothing to copy). */
  inUse = new Uint8Array(0);
  aborted = new Uint8Array(0);
  sharedDisk = new Uint8Array(0);
  /** Per slot: its host and its app (the start-up model's index). */
  host = new Int32Array(0);
  app = new Int32Array(0);
  /** Per slot: its draws, [slot * drawCount + k]. */
  draws = new Float64Array(0);
  /** Seconds each start spent in each phase, and when it last entered it: [slot * phaseCount + phase]. */
  phaseS = new Float64Array(0);
  phaseStart = new Float64Array(0);

  constructor(
    private readonly phaseCount: number,
    private readonly drawCount: number,
  ) {}

  /** The slot the next take() returns. */
  next(): number {
    return this.freeCount > 0 ? this.free[this.freeCount - 1]! : this.count;
  }

  /** A slot for a new start on `host`, in use, not given up, its phase times zeroed. */
  take(host: number, app: number): number {
    const i = this.freeCount > 0 ? this.free[--this.freeCount]! : this.count;
    if (i === this.count) {
      this.count++;
      if (this.count > this.inUse.length) this.grow(this.count);
    } else this.phaseS.fill(0, i * this.phaseCount, (i + 1) * this.phaseCount);
    this.inUse[i] = 1;
    this.aborted[i] = 0;
    this.sharedDisk[i] = 0;
    this.host[i] = host;
    this.app[i] = app;
    return i;
  }

  /** Frees `slot` for a later start. */
  release(slot: number): void {
    if (!(slot < this.count && this.inUse[slot] === 1)) throw new Error(`StartupModel.release: slot ${slot} is not in use`);
    this.inUse[slot] = 0;
    if (this.freeCount === this.free.length) this.free = grown(this.free, this.freeCount + 1);
    this.free[this.freeCount++] = slot;
  }

  enter(slot: number, phase: number, now: number): void {
    this.phaseStart[slot * this.phaseCount + phase] = now;
  }

  leave(slot: number, phase: number, now: number): void {
    const k = slot * this.phaseCount + phase;
    this.phaseS[k] = this.phaseS[k]! + (now - this.phaseStart[k]!);
  }

  /** Room for `starts` starts in flight at once, allocated now rather than grown to. */
  reserve(starts: number): void {
    if (starts > this.inUse.length) this.grow(starts, true);
  }

  /** Columns for at least `n` slots (exactly, if `exact`; else grown geometrically). */
  private grow(n: number, exact = false): void {
    const to = <T extends NumberArray>(a: T, length: number): T => (exact ? resized(a, length) : grown(a, length));
    this.inUse = to(this.inUse, n);
    this.aborted = to(this.aborted, n);
    this.sharedDisk = to(this.sharedDisk, n);
    this.host = to(this.host, n);
    this.app = to(this.app, n);
    const rows = this.inUse.length;
    this.draws = to(this.draws, rows * this.drawCount);
    this.phaseS = to(this.phaseS, rows * this.phaseCount);
    this.phaseStart = to(this.phaseStart, rows * this.phaseCount);
  }
}
