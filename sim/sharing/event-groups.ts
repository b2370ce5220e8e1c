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

// A group's record: 8 doubles (one cache line) read together when its event fires or is re-keyed.
const G_STRIDE = 8;
/** Engine handle of the group's event, -1 when it has none (empty, or its event is firing). */
const G_HANDLE = 0;
/** Sequence number of the group's engine event: its top member's when it was last synced. */
const G_SEQ = 1;
/** First pool entry of the group's heap, -1 before its first member. */
const G_BASE = 2;
const G_SIZE = 3;
/** Entries reserved for the group's heap from G_BASE on. */
const G_CAP = 4;
/** 1 while the group waits in the dirty list for sync(). */
const G_DIRTY = 5;
const FIRST_CAP = 16;

export class EventGroups {
  readonly stats: EventGroupStats = { scheduled: 0, rescheduled: 0, cancelled: 0 };
  private readonly kind: number;
  /** Per member m: [2m] time, [2m + 1] sequence number. */
  private mF64 = new Float64Array(32);
  /** Per member m: [2m] position in its group's heap (-1 when not pending), [2m + 1] group. */
  private mI32 = new Int32Array(32).fill(-1);
  private groups = new Float64Array(16 * G_STRIDE);
  private groupCount = 0;
  // The heaps of all groups: each owns a run of entries in this pool, moved to a run twice as long
  // when full (the old run is abandoned: at most as many entries as the group's current run).
  // An entry is 16 bytes, like the engine's: time (float64 view [2e]) and member (int32 view [4e + 2]),
  // so a sift compares times without reading the members' records.
  private poolTime = new Float64Array(2 * 256);
  private poolMember = new Int32Array(this.poolTime.buffer);
  private poolTop = 0;
  private dirty = new Int32Array(16);
  private dirtyCount = 0;
  /** schedule()'s or reschedule()'s time, on its way to addTo() or moveTo() (which read times from typed arrays). */
  private readonly nextTime = new Float64Array(1);

  constructor(
    private readonly sim: Simulation,
    private readonly onFire: OnMemberFire,
  ) {
    this.kind = sim.register((g) => this.fire(g));
  }

  /** True while the member waits to fire. */
  has(member: number): boolean {
    return 2 * member < this.mI32.length && this.mI32[2 * member]! >= 0;
  }

  /** Adds an absent member to `group` at `time` (>= now, finite), ordered as a plain event scheduled now. */
  schedule(member: number, group: number, time: number): void {
    this.nextTime[0] = time;
    this.addTo(member, group, this.nextTime, 0);
  }

  /**
   * schedule() at times[member]. For callers that keep their members' times in a typed array: no
   * float crosses a call (one V8 leaves un-inlined would box it; these run for every flow's event).
   */
  scheduleFrom(member: number, group: number, times: Float64Array): void {
    this.addTo(member, group, times, member);
  }

  /** schedule()'s work, at times[at]. */
  private addTo(member: number, group: number, times: Float64Array, at: number): void {
    const time = times[at]!;
    this.checkTime(times, at);
    if (2 * member >= this.mI32.length) {
      this.mF64 = grown(this.mF64, 2 * member + 2);
      this.mI32 = grown(this.mI32, 2 * member + 2, -1);
    }
    if (this.mI32[2 * member]! >= 0) throw new Error(`EventGroups: member ${member} is already pending`);
    if (group >= this.groupCount) this.addGroups(group + 1);
    const r = G_STRIDE * group;
    const gs = this.groups;
    const n = gs[r + G_SIZE]!;
    if (n === gs[r + G_CAP]!) this.regrow(r);
    gs[r + G_SIZE] = n + 1;
    this.mF64[2 * member] = time;
    this.mF64[2 * member + 1] = this.sim.reserveSeq();
    this.mI32[2 * member + 1] = group;
    this.siftUp(gs[r + G_BASE]!, n, member);
    this.touch(group);
  }

  /** Moves a pending member to `time` (>= now, finite), ordered as a plain event rescheduled now. */
  reschedule(member: number, time: number): void {
    this.nextTime[0] = time;
    this.moveTo(member, this.nextTime, 0);
  }

  /** reschedule() to times[member] (see scheduleFrom). */
  rescheduleFrom(member: number, times: Float64Array): void {
    this.moveTo(member, times, member);
  }

  /** reschedule()'s work, to times[at]. */
  private moveTo(member: number, times: Float64Array, at: number): void {
    const time = times[at]!;
    this.checkTime(times, at);
    if (!this.has(member)) throw new Error(`EventGroups: member ${member} is not pending`);
    const up = time < this.mF64[2 * member]!;
    this.mF64[2 * member] = time;
    this.mF64[2 * member + 1] = this.sim.reserveSeq();
    const i = this.mI32[2 * member]!;
    const g = this.mI32[2 * member + 1]!;
    const r = G_STRIDE * g;
    const base = this.groups[r + G_BASE]!;
    // The new sequence number is the largest yet, so the member can only move up if its time decreased.
    if (up) this.siftUp(base, i, member);
    else this.siftDown(base, this.groups[r + G_SIZE]!, i, member);
    if (i === 0 || this.mI32[2 * member] === 0) this.touch(g);
  }

  /** Takes a pending member out without firing it; false if it was not pending. Reserves nothing. */
  cancel(member: number): boolean {
    if (!this.has(member)) return false;
    this.removeAt(this.mI32[2 * member + 1]!, this.mI32[2 * member]!);
    return true;
  }

  /** Time of the next event to fire (any engine event or pending member), Infinity if none. */
  peekTime(): number {
    // Dirty groups without an engine event are simply absent from the engine: add their tops by hand.
    // One with a stale engine event has to be synced for the engine's answer to be right.
    const gs = this.groups;
    let t = Infinity;
    for (let k = 0; k < this.dirtyCount; k++) {
      const r = G_STRIDE * this.dirty[k]!;
      if (gs[r + G_HANDLE]! >= 0) {
        this.sync();
        return this.sim.peekTime();
      }
      if (gs[r + G_SIZE]! > 0) {
        const top = this.poolTime[2 * gs[r + G_BASE]!]!;
        if (top < t) t = top;
      }
    }
    const next = this.sim.peekTime();
    return next < t ? next : t;
  }

  /** Time of the group's earliest pending member, Infinity if it has none (its engine event may be unsynced). */
  topTime(group: number): number {
    if (group >= this.groupCount) return Infinity;
    const r = G_STRIDE * group;
    return this.groups[r + G_SIZE]! > 0 ? this.poolTime[2 * this.groups[r + G_BASE]!]! : Infinity;
  }

  /** Gives every group whose top changed an engine event keyed by its new top (or none when empty). */
  sync(): void {
    const sim = this.sim;
    const gs = this.groups;
    while (this.dirtyCount > 0) {
      const g = this.dirty[--this.dirtyCount]!;
      const r = G_STRIDE * g;
      gs[r + G_DIRTY] = 0;
      const h: Handle = gs[r + G_HANDLE]!;
      if (gs[r + G_SIZE] === 0) {
        if (h >= 0) {
          sim.cancel(h);
          gs[r + G_HANDLE] = -1;
          this.stats.cancelled++;
        }
        continue;
      }
      const e = gs[r + G_BASE]!;
      const time = this.poolTime[2 * e]!;
      const seq = this.mF64[2 * this.poolMember[4 * e + 2]! + 1]!;
      // A member's sequence number changes with every move, so an equal one means an unchanged key.
      if (h < 0) {
        gs[r + G_HANDLE] = sim.atWithSeq(time, seq, this.kind, g);
        this.stats.scheduled++;
      } else if (gs[r + G_SEQ] !== seq) {
        sim.rescheduleWithSeq(h, time, seq);
        this.stats.rescheduled++;
      } else continue;
      gs[r + G_SEQ] = seq;
    }
  }

  /** The group's engine event: its top member leaves and fires; the group is re-armed by the sync after. */
  private fire(g: number): void {
    const r = G_STRIDE * g;
    // The engine consumes the firing event (it can be neither moved nor cancelled): forget it.
    this.groups[r + G_HANDLE] = -1;
    const member = this.poolMember[4 * this.groups[r + G_BASE]! + 2]!;
    // Taking the top marks the group for the sync below.
    this.removeAt(g, 0);
    try {
      this.onFire(member);
    } finally {
      // Even after a throwing onFire the group's other members keep an engine event, as plain events would.
      this.sync();
    }
  }

  /** Marks group g for sync(). */
  private touch(g: number): void {
    const r = G_STRIDE * g;
    if (this.groups[r + G_DIRTY] === 1) return;
    this.groups[r + G_DIRTY] = 1;
    if (this.dirtyCount === this.dirty.length) this.dirty = grown(this.dirty, this.dirtyCount + 1);
    this.dirty[this.dirtyCount++] = g;
  }

  private removeAt(g: number, i: number): void {
    const r = G_STRIDE * g;
    const gs = this.groups;
    const base = gs[r + G_BASE]!;
    this.mI32[2 * this.poolMember[4 * (base + i) + 2]!] = -1;
    const last = gs[r + G_SIZE]! - 1;
    gs[r + G_SIZE] = last;
    if (i === 0) this.touch(g);
    if (i === last) return;
    const e = base + last;
    const t = this.poolTime[2 * e]!;
    const moved = this.poolMember[4 * e + 2]!;
    let earlier = false;
    if (i > 0) {
      const p = base + ((i - 1) >> 1);
      const pt = this.poolTime[2 * p]!;
      earlier = t < pt || (t === pt && this.seqBefore(moved, this.poolMember[4 * p + 2]!));
    }
    if (earlier) this.siftUp(base, i, moved);
    else this.siftDown(base, last, i, moved);
  }

  /**
   * Member a's sequence number is below b's (read only on exact time ties). The sifts compare the times
   * in place: a helper taking them would box them whenever V8 does not inline it.
   */
  private seqBefore(a: number, b: number): boolean {
    return this.mF64[2 * a + 1]! < this.mF64[2 * b + 1]!;
  }

  // The sifts take a member, not its time (its record holds it), and move entries by position: a float
  // passed to a call that is not inlined is boxed, and these run for every move of every member.

  /** Places member (at its time) in the heap at `base` by moving the hole at `i` up past later parents. */
  private siftUp(base: number, i: number, member: number): void {
    const t = this.mF64[2 * member]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = this.poolTime[2 * (base + p)]!;
      const pm = this.poolMember[4 * (base + p) + 2]!;
      if (!(t < pt || (t === pt && this.seqBefore(member, pm)))) break;
      this.moveEntry(base, p, i);
      i = p;
    }
    this.place(base, i, member);
  }

  /** Places member (at its time) in the heap of n entries at `base` by moving the hole at `i` down past earlier children. */
  private siftDown(base: number, n: number, i: number, member: number): void {
    const t = this.mF64[2 * member]!;
    const time = this.poolTime;
    const mem = this.poolMember;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let ct = time[2 * (base + c)]!;
      let cm = mem[4 * (base + c) + 2]!;
      if (c + 1 < n) {
        const rt = time[2 * (base + c + 1)]!;
        const rm = mem[4 * (base + c + 1) + 2]!;
        if (rt < ct || (rt === ct && this.seqBefore(rm, cm))) {
          c++;
          ct = rt;
          cm = rm;
        }
      }
      if (!(ct < t || (ct === t && this.seqBefore(cm, member)))) break;
      this.moveEntry(base, c, i);
      i = c;
    }
    this.place(base, i, member);
  }

  /** Puts member, at its time, at position i of the heap at `base`. */
  private place(base: number, i: number, member: number): void {
    this.poolTime[2 * (base + i)] = this.mF64[2 * member]!;
    this.poolMember[4 * (base + i) + 2] = member;
    this.mI32[2 * member] = i;
  }

  /** Moves the entry at position `from` of the heap at `base` to position `to` (entry to entry: no time read from its member). */
  private moveEntry(base: number, from: number, to: number): void {
    const a = base + from;
    const b = base + to;
    const member = this.poolMember[4 * a + 2]!;
    this.poolTime[2 * b] = this.poolTime[2 * a]!;
    this.poolMember[4 * b + 2] = member;
    this.mI32[2 * member] = to;
  }

  /** Moves the full heap of the group at record r to a fresh run of the pool twice as long. */
  private regrow(r: number): void {
    const gs = this.groups;
    const cap = Math.max(FIRST_CAP, 2 * gs[r + G_CAP]!);
    const need = this.poolTop + cap;
    if (2 * need > this.poolTime.length) {
      const time = grown(this.poolTime, 2 * need);
      this.poolTime = time;
      this.poolMember = new Int32Array(time.buffer);
    }
    const base = gs[r + G_BASE]!;
    const n = gs[r + G_SIZE]!;
    if (n > 0) this.poolTime.copyWithin(2 * this.poolTop, 2 * base, 2 * (base + n));
    gs[r + G_BASE] = this.poolTop;
    gs[r + G_CAP] = cap;
    this.poolTop = need;
  }

  /** Makes groups [groupCount, count) exist, empty, with no engine event. */
  private addGroups(count: number): void {
    if (G_STRIDE * count > this.groups.length) this.groups = grown(this.groups, G_STRIDE * count);
    for (let g = this.groupCount; g < count; g++) {
      const r = G_STRIDE * g;
      this.groups[r + G_HANDLE] = -1;
      this.groups[r + G_BASE] = -1;
    }
    this.groupCount = count;
  }

  /** Checks times[at] (a time taken, like every float here, from a typed array rather than an argument). */
  private checkTime(times: Float64Array, at: number): void {
    const time = times[at]!;
    if (!(time >= this.sim.now) || time === Infinity) throw new RangeError(`EventGroups: time ${time} is not a finite time >= now`);
  }
}
