/**
 * EventGroups: many timed members (integer ids, each in one group while pending) kept in small per-group
 * heaps keyed by (time, sequence number), with ONE engine event per non-empty group carrying its earliest
 * member's key. Members fire in exactly the order, and the engine's sequence counter advances exactly as,
 * if each were its own engine event: schedule() and reschedule() reserve a sequence number where a plain
 * event would have taken one, and a group's engine event reuses its top member's number (it takes none).
 * A moved member costs a sift in its group's small heap; the group's engine event is re-keyed once, at
 * sync(). Contract: call sync() before control returns to the engine (the handler does so after onFire)
 * and read the next event's time through peekTime(), never sim.peekTime(), while groups may be unsynced.
 * Domain-free (it knows nothing of flows), but kept here, next to its one user.
 */
import type { Handle, Simulation } from "../engine/index.js";
import { grown } from "./grow.js";

/** Called when a member's time comes, after it left its group; `sim.now` is its time. */
export type OnMemberFire = (member: number) => void;

/** Cumulative counts of the engine operations the groups made (one per group re-key, not per member). */
export interface EventGroupStats {
  scheduled: number;
  rescheduled: number;
  cancelled: number;
}

export class EventGroups {
  readonly stats: EventGroupStats = { scheduled: 0, rescheduled: 0, cancelled: 0 };
  private readonly kind: number;
  // Per member.
  private mTime = new Float64Array(16);
  private mSeq = new Float64Array(16);
  /** Position in its group's heap, -1 when not pending. */
  private mPos = new Int32Array(16).fill(-1);
  private mGroup = new Int32Array(16);
  // Per group.
  /** Each group's heap of members (allocated on first use; kept packed, without holes). */
  private gItems: (Int32Array | undefined)[] = [];
  private gSize = new Int32Array(16);
  /** Engine handle of the group's event, -1 when it has none (empty, or its event is firing). */
  private gHandle = new Float64Array(16).fill(-1);
  /** Sequence number of the group's engine event: its top member's when it was last synced. */
  private gSeq = new Float64Array(16);
  private gDirty = new Uint8Array(16);
  private dirty = new Int32Array(16);
  private dirtyCount = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly onFire: OnMemberFire,
  ) {
    this.kind = sim.register((g) => this.fire(g));
  }

  /** True while the member waits to fire. */
  has(member: number): boolean {
    return member < this.mPos.length && this.mPos[member]! >= 0;
  }

  /** The pending member's time. */
  timeOf(member: number): number {
    return this.mTime[member]!;
  }

  /** Adds an absent member to `group` at `time` (>= now, finite), ordered as a plain event scheduled now. */
  schedule(member: number, group: number, time: number): void {
    if (!(time >= this.sim.now) || time === Infinity) throw new RangeError(`EventGroups: time ${time} is not a finite time >= now`);
    if (member >= this.mPos.length) {
      this.mTime = grown(this.mTime, member + 1);
      this.mSeq = grown(this.mSeq, member + 1);
      this.mPos = grown(this.mPos, member + 1, -1);
      this.mGroup = grown(this.mGroup, member + 1);
    }
    if (this.mPos[member]! >= 0) throw new Error(`EventGroups: member ${member} is already pending`);
    if (group >= this.gSize.length) {
      this.gSize = grown(this.gSize, group + 1);
      this.gHandle = grown(this.gHandle, group + 1, -1);
      this.gSeq = grown(this.gSeq, group + 1);
      this.gDirty = grown(this.gDirty, group + 1);
    }
    this.mTime[member] = time;
    this.mSeq[member] = this.sim.reserveSeq();
    this.mGroup[member] = group;
    while (this.gItems.length <= group) this.gItems.push(undefined);
    let items = this.gItems[group];
    if (items === undefined) items = this.gItems[group] = new Int32Array(16);
    const n = this.gSize[group]!;
    if (n === items.length) items = this.gItems[group] = grown(items, n + 1);
    this.gSize[group] = n + 1;
    this.siftUp(items, n, member);
    this.touch(group);
  }

  /** Moves a pending member to `time` (>= now, finite), ordered as a plain event rescheduled now. */
  reschedule(member: number, time: number): void {
    if (!(time >= this.sim.now) || time === Infinity) throw new RangeError(`EventGroups: time ${time} is not a finite time >= now`);
    const i = this.has(member) ? this.mPos[member]! : -1;
    if (i < 0) throw new Error(`EventGroups: member ${member} is not pending`);
    const old = this.mTime[member]!;
    this.mTime[member] = time;
    this.mSeq[member] = this.sim.reserveSeq();
    const g = this.mGroup[member]!;
    const items = this.gItems[g]!;
    // The new sequence number is the largest yet, so the member can only move up if its time decreased.
    if (time < old) this.siftUp(items, i, member);
    else this.siftDown(items, this.gSize[g]!, i, member);
    if (i === 0 || this.mPos[member] === 0) this.touch(g);
  }

  /** Takes a pending member out without firing it; false if it was not pending. Reserves nothing. */
  cancel(member: number): boolean {
    if (!this.has(member)) return false;
    this.removeAt(this.mGroup[member]!, this.mPos[member]!);
    return true;
  }

  /** Time of the next event to fire (any engine event or pending member), Infinity if none. */
  peekTime(): number {
    // Dirty groups without an engine event are simply absent from the engine: add their tops by hand.
    // One with a stale engine event has to be synced for the engine's answer to be right.
    let t = Infinity;
    for (let k = 0; k < this.dirtyCount; k++) {
      const g = this.dirty[k]!;
      if (this.gHandle[g]! >= 0) {
        this.sync();
        return this.sim.peekTime();
      }
      if (this.gSize[g]! > 0) {
        const top = this.mTime[this.gItems[g]![0]!]!;
        if (top < t) t = top;
      }
    }
    const next = this.sim.peekTime();
    return next < t ? next : t;
  }

  /** Gives every group whose top changed an engine event keyed by its new top (or none when empty). */
  sync(): void {
    const sim = this.sim;
    while (this.dirtyCount > 0) {
      const g = this.dirty[--this.dirtyCount]!;
      this.gDirty[g] = 0;
      const h: Handle = this.gHandle[g]!;
      if (this.gSize[g] === 0) {
        if (h >= 0) {
          sim.cancel(h);
          this.gHandle[g] = -1;
          this.stats.cancelled++;
        }
        continue;
      }
      const top = this.gItems[g]![0]!;
      const seq = this.mSeq[top]!;
      // A member's sequence number changes with every move, so an equal one means an unchanged key.
      if (h < 0) {
        this.gHandle[g] = sim.atWithSeq(this.mTime[top]!, seq, this.kind, g);
        this.stats.scheduled++;
      } else if (this.gSeq[g] !== seq) {
        sim.rescheduleWithSeq(h, this.mTime[top]!, seq);
        this.stats.rescheduled++;
      } else continue;
      this.gSeq[g] = seq;
    }
  }

  /** The group's engine event: its top member leaves and fires; the group is re-armed by the sync after. */
  private fire(g: number): void {
    // The engine consumes the firing event (it can be neither moved nor cancelled): forget it.
    this.gHandle[g] = -1;
    const member = this.gItems[g]![0]!;
    this.removeAt(g, 0);
    this.touch(g);
    this.onFire(member);
    this.sync();
  }

  /** Marks group g for sync(). */
  private touch(g: number): void {
    if (this.gDirty[g] === 1) return;
    this.gDirty[g] = 1;
    if (this.dirtyCount === this.dirty.length) this.dirty = grown(this.dirty, this.dirtyCount + 1);
    this.dirty[this.dirtyCount++] = g;
  }

  private removeAt(g: number, i: number): void {
    const items = this.gItems[g]!;
    const member = items[i]!;
    this.mPos[member] = -1;
    const last = --this.gSize[g]!;
    if (i === 0) this.touch(g);
    if (i === last) return;
    const moved = items[last]!;
    const p = (i - 1) >> 1;
    if (i > 0 && this.before(moved, items[p]!)) this.siftUp(items, i, moved);
    else this.siftDown(items, last, i, moved);
  }

  /** (time, seq) of member a orders before member b's? */
  private before(a: number, b: number): boolean {
    const ta = this.mTime[a]!;
    const tb = this.mTime[b]!;
    return ta < tb || (ta === tb && this.mSeq[a]! < this.mSeq[b]!);
  }

  private siftUp(items: Int32Array, i: number, member: number): void {
    const pos = this.mPos;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const q = items[p]!;
      if (!this.before(member, q)) break;
      items[i] = q;
      pos[q] = i;
      i = p;
    }
    items[i] = member;
    pos[member] = i;
  }

  private siftDown(items: Int32Array, n: number, i: number, member: number): void {
    const pos = this.mPos;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.before(items[c + 1]!, items[c]!)) c++;
      const q = items[c]!;
      if (!this.before(q, member)) break;
      items[i] = q;
      pos[q] = i;
      i = c;
    }
    items[i] = member;
    pos[member] = i;
  }
}
