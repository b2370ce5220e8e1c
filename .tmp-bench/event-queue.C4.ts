/**
 * EventQueue: pending events ordered by (time, sequence number), so events at equal times pop in the
 * order they were scheduled; each carries an integer `kind` and a numeric `data`. Typed arrays only:
 * nothing is allocated per event, and handles (slot + generation) turn stale once their event is gone.
 */

/** Opaque event handle: a non-negative integer encoding slot and generation. Never reused within 2^29 reuses of a slot. */
export type Handle = number;

// Handle = generation * 2^24 + slot. 24 slot bits allow 16.7 M simultaneously pending events;
// 29 generation bits keep every handle below 2^53, so it stays an exact integer.
const SLOT_BITS = 24;
const SLOT_LIMIT = 2 ** SLOT_BITS;
const GEN_MASK = 2 ** 29 - 1;
const INITIAL_CAPACITY = 64;

/** Thrown when an event time is NaN (a programming error upstream, never silently ordered). */
function nanTime(): never {
  throw new RangeError("EventQueue: event time is NaN");
}

export class EventQueue {
  // Heap entries are 16 bytes in one buffer: time (float64 view, index 2i) then slot (int32 view,
  // index 4i + 2); siblings share a cache line, which matters once the heap outgrows the caches.
  private hTime: Float64Array;
  private hSlot: Int32Array;
  // Per-slot data, indexed by slot; the sequence number is only read to break exact time ties.
  private sSeq: Float64Array;
  private sKind: Int32Array;
  private sData: Float64Array;
  private sGen: Int32Array;
  /** Heap position of each slot, -1 when the slot holds no pending event. */
  private sPos: Int32Array;
  /** Time of each slot's event when it was popped, so timeOf() still answers after pop(). */
  private sTime: Float64Array;
  private freeSlots: Int32Array;
  private freeCount = 0;
  /** Slots at or above this index have never been used. */
  private fresh = 0;
  private n = 0;
  /** Next sequence number; a double, so 2^53 events before ties could misorder. */
  private seq = 0;

  constructor(initialCapacity: number = INITIAL_CAPACITY) {
    const cap = Math.max(2, Math.min(SLOT_LIMIT, Math.ceil(initialCapacity)));
    const buf = new ArrayBuffer(cap * 16);
    this.hTime = new Float64Array(buf);
    this.hSlot = new Int32Array(buf);
    this.sSeq = new Float64Array(cap);
    this.sKind = new Int32Array(cap);
    this.sData = new Float64Array(cap);
    this.sGen = new Int32Array(cap);
    this.sPos = new Int32Array(cap).fill(-1);
    this.sTime = new Float64Array(cap);
    this.freeSlots = new Int32Array(cap);
  }

  /** Number of pending events. */
  get size(): number {
    return this.n;
  }

  /** Time of the earliest pending event, Infinity when empty. */
  peekTime(): number {
    return this.n > 0 ? this.hTime[0]! : Infinity;
  }

  /** Slot of the earliest pending event, -1 when empty. */
  peekSlot(): number {
    return this.n > 0 ? this.hSlot[2]! : -1;
  }

  /** Earliest time among pending events other than the top one, Infinity if there is none. */
  peekSecondTime(): number {
    // The runner-up of a 4-ary heap is always one of the root's children, entries 1..4.
    const end = this.n < 5 ? this.n : 5;
    let best = Infinity;
    for (let k = 1; k < end; k++) {
      const t = this.hTime[2 * k]!;
      if (t < best) best = t;
    }
    return best;
  }

  /** Time of a pending slot's event, or of its last popped event. */
  timeOf(slot: number): number {
    const p = this.sPos[slot]!;
    return p >= 0 ? this.hTime[2 * p]! : this.sTime[slot]!;
  }

  /** Kind of the slot's event; valid for a popped slot until the next schedule or replaceTop. */
  kindOf(slot: number): number {
    return this.sKind[slot]!;
  }

  /** Data of the slot's event; valid for a popped slot until the next schedule or replaceTop. */
  dataOf(slot: number): number {
    return this.sData[slot]!;
  }

  /** Handle of the event in `slot` (meaningful only while that event is pending). */
  handleOf(slot: number): Handle {
    return this.sGen[slot]! * SLOT_LIMIT + slot;
  }

  /** Slot of a pending event's handle, -1 if the handle is stale, malformed or foreign. */
  slotOf(handle: Handle): number {
    if (!(handle >= 0)) return -1;
    const gen = Math.floor(handle / SLOT_LIMIT);
    const slot = handle - gen * SLOT_LIMIT;
    // Non-integers and never-used slots fail these checks rather than indexing garbage.
    if (!(slot < this.fresh) || slot !== (slot | 0)) return -1;
    if (this.sGen[slot] !== gen || this.sPos[slot]! < 0) return -1;
    return slot;
  }

  isPending(handle: Handle): boolean {
    return this.slotOf(handle) >= 0;
  }

  /** Adds an event; returns its handle. Throws on NaN time (any other number, even ±Infinity, orders fine). */
  schedule(time: number, kind: number, data: number): Handle {
    if (time !== time) nanTime();
    let slot: number;
    if (this.freeCount > 0) {
      slot = this.freeSlots[--this.freeCount]!;
    } else {
      if (this.fresh === this.sKind.length) this.grow();
      slot = this.fresh++;
    }
    this.sKind[slot] = kind;
    this.sData[slot] = data;
    this.sSeq[slot] = this.seq++;
    this.siftUp(this.n++, time, slot);
    return this.sGen[slot]! * SLOT_LIMIT + slot;
  }

  /** Removes the earliest event and returns its slot (-1 when empty); read it with timeOf/kindOf/dataOf. */
  pop(): number {
    const n = this.n;
    if (n === 0) return -1;
    const slot = this.hSlot[2]!;
    this.sTime[slot] = this.hTime[0]!;
    const last = n - 1;
    this.n = last;
    if (last > 0) this.siftDown(0, this.hTime[2 * last]!, this.hSlot[4 * last + 2]!);
    this.release(slot);
    return slot;
  }

  /**
   * Equivalent to pop() then schedule(time, kind, data), with a single sift-down. The new event reuses
   * the old top's slot (its handle turns stale). Throws if the queue is empty or time is NaN.
   */
  replaceTop(time: number, kind: number, data: number): Handle {
    if (time !== time) nanTime();
    if (this.n === 0) throw new RangeError("EventQueue.replaceTop: queue is empty");
    const slot = this.hSlot[2]!;
    const gen = (this.sGen[slot]! + 1) & GEN_MASK;
    this.sGen[slot] = gen;
    this.sKind[slot] = kind;
    this.sData[slot] = data;
    this.sSeq[slot] = this.seq++;
    this.siftDown(0, time, slot);
    return gen * SLOT_LIMIT + slot;
  }

  /** Removes a pending event; false (and no effect) if the handle is stale or unknown. */
  cancel(handle: Handle): boolean {
    const slot = this.slotOf(handle);
    if (slot < 0) return false;
    const i = this.sPos[slot]!;
    this.sTime[slot] = this.hTime[2 * i]!;
    this.removeAt(i);
    this.release(slot);
    return true;
  }

  /**
   * Moves a pending event to `time` with a fresh sequence number (it queues behind events already at
   * that time); the handle stays valid. False if the handle is stale. Throws on NaN time.
   */
  reschedule(handle: Handle, time: number): boolean {
    if (time !== time) nanTime();
    const slot = this.slotOf(handle);
    if (slot < 0) return false;
    const i = this.sPos[slot]!;
    this.sSeq[slot] = this.seq++;
    // A fresh seq is the largest, so the event can only move up if its time strictly decreased.
    if (time < this.hTime[2 * i]!) this.siftUp(i, time, slot);
    else this.siftDown(i, time, slot);
    return true;
  }

  /** Drops every pending event; all outstanding handles turn stale. */
  clear(): void {
    while (this.n > 0) this.release(this.hSlot[4 * --this.n + 2]!);
  }

  private release(slot: number): void {
    this.sPos[slot] = -1;
    this.sGen[slot] = (this.sGen[slot]! + 1) & GEN_MASK;
    this.freeSlots[this.freeCount++] = slot;
  }

  private removeAt(i: number): void {
    const last = --this.n;
    if (i === last) return;
    const t = this.hTime[2 * last]!;
    const slot = this.hSlot[4 * last + 2]!;
    // The moved last element may belong above or below the hole; at most one sift does anything.
    if (i > 0) {
      const p = (i - 1) >> 2;
      const pt = this.hTime[2 * p]!;
      if (t < pt || (t === pt && this.sSeq[slot]! < this.sSeq[this.hSlot[4 * p + 2]!]!)) {
        this.siftUp(i, t, slot);
        return;
      }
    }
    this.siftDown(i, t, slot);
  }

  /** Places (t, slot) by moving the hole at `i` up past larger parents. */
  private siftUp(i: number, t: number, slot: number): void {
    const hTime = this.hTime;
    const hSlot = this.hSlot;
    const sPos = this.sPos;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pt = hTime[2 * p]!;
      if (pt < t) break;
      const ps = hSlot[4 * p + 2]!;
      if (pt === t && this.sSeq[ps]! < this.sSeq[slot]!) break;
      hTime[2 * i] = pt;
      hSlot[4 * i + 2] = ps;
      sPos[ps] = i;
      i = p;
    }
    hTime[2 * i] = t;
    hSlot[4 * i + 2] = slot;
    sPos[slot] = i;
  }

  /** Places (t, slot) by moving the hole at `i` down past smaller children. */
  private siftDown(i: number, t: number, slot: number): void {
    const hTime = this.hTime;
    const hSlot = this.hSlot;
    const sPos = this.sPos;
    const sSeq = this.sSeq;
    const n = this.n;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      const end = first + 4 < n ? first + 4 : n;
      let c = first;
      let ct = hTime[2 * first]!;
      for (let k = first + 1; k < end; k++) {
        const kt = hTime[2 * k]!;
        if (kt < ct || (kt === ct && sSeq[hSlot[4 * k + 2]!]! < sSeq[hSlot[4 * c + 2]!]!)) {
          c = k;
          ct = kt;
        }
      }
      const cs = hSlot[4 * c + 2]!;
      if (t < ct || (t === ct && sSeq[slot]! < sSeq[cs]!)) break;
      hTime[2 * i] = ct;
      hSlot[4 * i + 2] = cs;
      sPos[cs] = i;
      i = c;
    }
    hTime[2 * i] = t;
    hSlot[4 * i + 2] = slot;
    sPos[slot] = i;
  }

  private grow(): void {
    const cap = this.sKind.length;
    if (cap >= SLOT_LIMIT) throw new RangeError(`EventQueue: more than ${SLOT_LIMIT} pending events`);
    const next = Math.min(SLOT_LIMIT, cap * 2);
    const buf = new ArrayBuffer(next * 16);
    const hTime = new Float64Array(buf);
    hTime.set(this.hTime);
    this.hTime = hTime;
    this.hSlot = new Int32Array(buf);
    this.sSeq = growF64(this.sSeq, next);
    this.sKind = growI32(this.sKind, next);
    this.sData = growF64(this.sData, next);
    this.sGen = growI32(this.sGen, next);
    this.sTime = growF64(this.sTime, next);
    this.freeSlots = growI32(this.freeSlots, next);
    const pos = growI32(this.sPos, next);
    pos.fill(-1, cap);
    this.sPos = pos;
  }
}

function growF64(a: Float64Array, size: number): Float64Array {
  const b = new Float64Array(size);
  b.set(a);
  return b;
}

function growI32(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}
