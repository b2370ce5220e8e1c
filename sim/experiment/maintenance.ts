/**
 * Planned maintenance of one run: the rolling host-patch window (hosts in order, `parallel` at a
 * time: drain, patch, return), the migration network each host lends one migration at a time, the
 * guest reboot schedule, and the account of what maintenance cost: migrations, bytes, pauses,
 * window lengths, and downtime kept apart from failures'. The run (run.ts) moves the instances.
 */
import type { Simulation } from "../engine/index.js";
import type { GuestPatchSpec, HostPatchSpec } from "../model/index.js";

/** What the rolling window asks of the run. */
export interface PatchHooks {
  /** Take host `h` out of placement and move its instances off; call `empty` once nothing runs on it. False: skip the host (it is down). */
  drain(h: number, empty: () => void): boolean;
  /** Host `h`'s patch starts (it is empty): it has no capacity until `back`. */
  patch(h: number): void;
  /** Host `h` is patched and back in service. */
  back(h: number): void;
}

/**
 * Rounds of host patches: round r starts at start + r x every (within the horizon); hosts go in
 * cluster order, `parallel` at a time, the next as soon as one is back. A round's window runs from
 * its first drain to its last host back; a round still running when the next is due delays it.
 */
export class RollingPatch {
  /** Per round: when its first drain started and its last host came back (NaN until then). */
  readonly windows: { startS: number; endS: number }[] = [];
  /** Host-seconds out of service for patches (drain start to back), to the horizon. */
  private hostSeconds = 0;
  private readonly outSince = new Map<number, number>();
  private busy = false;

  constructor(
    private readonly sim: Simulation,
    private readonly spec: HostPatchSpec,
    private readonly hostCount: number,
    private readonly horizonS: number,
    private readonly hooks: PatchHooks,
  ) {
    this.BACK = sim.register((h) => this.onBack(h));
    const ROUND = sim.register((r) => this.round(r));
    for (let r = 0; spec.startS + r * spec.everyS < horizonS; r++) sim.at(spec.startS + r * spec.everyS, ROUND, r);
  }

  private round(r: number): void {
    if (this.busy) {
      // The previous round has not finished: this one starts when it does.
      this.pending.push(r);
      return;
    }
    this.busy = true;
    const w = { startS: this.sim.now, endS: NaN };
    this.windows.push(w);
    let next = 0;
    let inFlight = 0;
    const startNext = (): void => {
      while (inFlight < this.spec.parallel && next < this.hostCount) {
        const h = next++;
        inFlight++;
        this.outSince.set(h, this.sim.now);
        const drained = this.hooks.drain(h, () => {
          this.hooks.patch(h);
          this.sim.after(this.spec.durationS, this.BACK, h);
        });
        if (!drained) {
          // A host already down (failed) is not patched this round.
          this.outSince.delete(h);
          this.skipped.add(h);
          this.sim.after(0, this.BACK, h);
        }
      }
    };
    this.onBack = (h: number): void => {
      if (this.skipped.delete(h) === false) {
        this.hostSeconds += this.sim.now - (this.outSince.get(h) as number);
        this.outSince.delete(h);
        this.hooks.back(h);
      }
      inFlight--;
      if (next < this.hostCount) startNext();
      else if (inFlight === 0) {
        w.endS = this.sim.now;
        this.busy = false;
        const r2 = this.pending.shift();
        if (r2 !== undefined) this.round(r2);
      }
    };
    startNext();
  }

  private readonly pending: number[] = [];
  private readonly skipped = new Set<number>();
  private onBack: (h: number) => void = () => undefined;
  private readonly BACK: number;

  /** Host-seconds out of service for patches, hosts still out counted to the horizon. */
  outOfServiceSeconds(): number {
    let s = this.hostSeconds;
    for (const since of this.outSince.values()) s += this.horizonS - since;
    return s;
  }
}

/**
 * Each host's migration network: one migration at a time, needing the source's and the target's
 * (a judgement: several at once would share the link and move the same bytes in about the same
 * time). Waiting migrations start first come first served as soon as both of their hosts are free.
 */
export class MigrationChannels {
  private readonly busy: boolean[];
  private readonly queue: { src: number; dst: number; go: () => void }[] = [];

  constructor(hostCount: number) {
    this.busy = new Array<boolean>(hostCount).fill(false);
  }

  request(src: number, dst: number, go: () => void): void {
    this.queue.push({ src, dst, go });
    this.pump();
  }

  release(src: number, dst: number): void {
    this.busy[src] = false;
    this.busy[dst] = false;
    this.pump();
  }

  private pump(): void {
    for (let k = 0; k < this.queue.length; ) {
      const q = this.queue[k]!;
      if (this.busy[q.src] || this.busy[q.dst]) {
        k++;
        continue;
      }
      this.busy[q.src] = true;
      this.busy[q.dst] = true;
      this.queue.splice(k, 1);
      q.go();
      // Starting one may free nothing, but restart the scan so order stays first come first served.
      k = 0;
    }
  }
}

/**
 * When each of `count` guests reboots: in round r (start + r x every, within the horizon) guest k
 * at start + r x every + spread x k / count, in instance order. Sorted by time.
 */
export function guestRebootTimes(spec: GuestPatchSpec, count: number, horizonS: number): { atS: number; guest: number }[] {
  const out: { atS: number; guest: number }[] = [];
  for (let r = 0; spec.startS + r * spec.everyS < horizonS; r++)
    for (let k = 0; k < count; k++) {
      const at = spec.startS + r * spec.everyS + (spec.spreadS * k) / count;
      if (at < horizonS) out.push({ atS: at, guest: k });
    }
  return out.sort((a, b) => a.atS - b.atS || a.guest - b.guest);
}

/** Closures run at a simulated time, in the engine's order (time, then first scheduled first). */
export class Callbacks {
  private readonly kind: number;
  private readonly pending = new Map<number, () => void>();
  private next = 0;

  constructor(private readonly sim: Simulation) {
    this.kind = sim.register((k) => {
      const f = this.pending.get(k) as () => void;
      this.pending.delete(k);
      f();
    });
  }

  at(timeS: number, f: () => void): void {
    this.pending.set(this.next, f);
    this.sim.at(timeS, this.kind, this.next++);
  }

  after(delayS: number, f: () => void): void {
    this.at(this.sim.now + Math.max(0, delayS), f);
  }
}

/** Downtime and events caused by maintenance, per service instance (apart from failures'). */
export class MaintenanceAccount {
  private readonly downSince = new Map<number, number>();
  private readonly downS = new Map<number, number>();
  migrations = 0;
  nonConverged = 0;
  migrationBytes = 0;
  readonly pausesS: number[] = [];
  guestReboots = 0;
  drained = 0;
  /** Drained instances no host could take when their host was drained. */
  unplaced = 0;

  down(i: number, now: number): void {
    if (!this.downSince.has(i)) this.downSince.set(i, now);
  }

  up(i: number, now: number): void {
    const since = this.downSince.get(i);
    if (since === undefined) return;
    this.downSince.delete(i);
    this.downS.set(i, (this.downS.get(i) ?? 0) + (now - since));
  }

  isDown(i: number): boolean {
    return this.downSince.has(i);
  }

  /** Seconds instance `i` was down for maintenance, to `horizonS`. */
  downtime(i: number, horizonS: number): number {
    const since = this.downSince.get(i);
    return (this.downS.get(i) ?? 0) + (since === undefined ? 0 : horizonS - since);
  }
}
