/**
 * EventQueue: pending events ordered by (time, sequence number), so events at equal times pop in the
 * order they were scheduled (or their numbers reserved, see reserveSeq); each carries an integer `kind`
 * and a numeric `data`. Typed arrays only:
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

/**
 * Indexed binary min-heap. Reading an event is allocation-free: `pop()` (or `peekSlot()`) gives a slot
 * number, and `timeOf`/`kindOf`/`dataOf(slot)` read it.
 */
export class EventQueue {
  // Heap entries are 16 bytes in one buffer: time (float64 view, index 2i) then slot (int32 view,
  // index 4i + 2), so a sift step touches one place per level rather than one per array.
  private hTime: Float64Array;
  private hSlot: Int32Array;
  // Slot records are 32 bytes in one buffer, so firing or replacing an event costs one cache miss:
  // float64 view [4s] data, [4s+1] seq, [4s+2] time; int32 view [8s+6] kind, [8s+7] generation.
  private rF64: Float64Array;
  private rI32: Int32Array;
  /** Heap position of each slot, -1 when the slot holds no pending event (kept apart: it is written on every move). */
  private sPos: Int32Array;
  private freeSlots: Int32Array;
  private freeCount = 0;
  /** Slots at or above this index have never been used. */
  private fresh = 0;
  private capacity: number;
  private n = 0;
  /** Next sequence number; a double, so 2^53 events before ties could misorder. */
  private seq = 0;

  constructor(initialCapacity: number = INITIAL_CAPACITY) {
    // `>= 2` also turns NaN into the minimum rather than a zero-length buffer.
    const cap = initialCapacity >= 2 ? Math.min(SLOT_LIMIT, Math.ceil(initialCapacity)) : 2;
    this.capacity = cap;
    const heap = new ArrayBuffer(cap * 16);
    this.hTime = new Float64Array(heap);
    this.hSlot = new Int32Array(heap);
    const rec = new ArrayBuffer(cap * 32);
    this.rF64 = new Float64Array(rec);
    this.rI32 = new Int32Array(rec);
    this.sPos = new Int32Array(cap).fill(-1);
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
    // The runner-up of a binary heap is always one of the root's two children.
    const n = this.n;
    if (n < 2) return Infinity;
    const a = this.hTime[2]!;
    if (n < 3) return a;
    const b = this.hTime[4]!;
    return b < a ? b : a;
  }

  /** Time of the slot's event; for a popped or cancelled slot, valid until the next schedule or replaceTop. */
  timeOf(slot: number): number {
    return this.rF64[4 * slot + 2]!;
  }

  /** Kind of the slot's event; for a popped or cancelled slot, valid until the next schedule or replaceTop. */
  kindOf(slot: number): number {
    return this.rI32[8 * slot + 6]!;
  }

  /** Data of the slot's event; for a popped or cancelled slot, valid until the next schedule or replaceTop. */
  dataOf(slot: number): number {
    return this.rF64[4 * slot]!;
  }

  /** Handle of the event in `slot` (meaningful only while that event is pending). */
  handleOf(slot: number): Handle {
    return this.rI32[8 * slot + 7]! * SLOT_LIMIT + slot;
  }

  /** Slot of a pending event's handle, -1 if the handle is stale, malformed or foreign. */
  slotOf(handle: Handle): number {
    if (!(handle >= 0)) return -1;
    const gen = Math.floor(handle / SLOT_LIMIT);
    const slot = handle - gen * SLOT_LIMIT;
    // Non-integers and never-used slots fail these checks rather than indexing garbage.
    if (!(slot < this.fresh) || slot !== (slot | 0)) return -1;
    if (this.rI32[8 * slot + 7] !== gen || this.sPos[slot]! < 0) return -1;
    return slot;
  }

  isPending(handle: Handle): boolean {
    return this.slotOf(handle) >= 0;
  }

  /**
   * Takes the next sequence number without scheduling anything. An event later given it (scheduleWithSeq,
   * replaceTopWithSeq, rescheduleWithSeq) orders exactly as if it had been scheduled when it was reserved,
   * so a caller can keep its own events outside the queue and still fire them in the queue's order.
   */
  reserveSeq(): number {
    return this.seq++;
  }

  /** Adds an event; returns its handle. Throws on NaN time (any other number, even ±Infinity, orders fine). */
  schedule(time: number, kind: number, data: number): Handle {
    return this.insert(time, this.seq++, kind, data);
  }

  /** schedule() with a sequence number from reserveSeq() (the caller keeps the numbers it gives unique). */
  scheduleWithSeq(time: number, seq: number, kind: number, data: number): Handle {
    this.checkSeq(seq);
    return this.insert(time, seq, kind, data);
  }

  private insert(time: number, seq: number, kind: number, data: number): Handle {
    if (time !== time) nanTime();
    let slot: number;
    if (this.freeCount > 0) {
      slot = this.freeSlots[--this.freeCount]!;
    } else {
      if (this.fresh === this.capacity) this.grow();
      slot = this.fresh++;
    }
    const f = 4 * slot;
    this.rF64[f] = data;
    this.rF64[f + 1] = seq;
    this.rF64[f + 2] = time;
    this.rI32[2 * f + 6] = kind;
    this.siftUp(this.n++, time, slot);
    return this.rI32[2 * f + 7]! * SLOT_LIMIT + slot;
  }

  /** Removes the earliest event and returns its slot (-1 when empty); read it with timeOf/kindOf/dataOf. */
  pop(): number {
    const n = this.n;
    if (n === 0) return -1;
    const slot = this.hSlot[2]!;
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
    return this.replaceTopAt(time, this.seq++, kind, data);
  }

  /** replaceTop() with a sequence number from reserveSeq(). */
  replaceTopWithSeq(time: number, seq: number, kind: number, data: number): Handle {
    this.checkSeq(seq);
    return this.replaceTopAt(time, seq, kind, data);
  }

  private replaceTopAt(time: number, seq: number, kind: number, data: number): Handle {
    if (time !== time) nanTime();
    if (this.n === 0) throw new RangeError("EventQueue.replaceTop: queue is empty");
    const slot = this.hSlot[2]!;
    const f = 4 * slot;
    const gen = (this.rI32[2 * f + 7]! + 1) & GEN_MASK;
    this.rF64[f] = data;
    this.rF64[f + 1] = seq;
    this.rF64[f + 2] = time;
    this.rI32[2 * f + 6] = kind;
    this.rI32[2 * f + 7] = gen;
    this.siftDown(0, time, slot);
    return gen * SLOT_LIMIT + slot;
  }

  /** Removes a pending event; false (and no effect) if the handle is stale or unknown. */
  cancel(handle: Handle): boolean {
    const slot = this.slotOf(handle);
    if (slot < 0) return false;
    this.removeAt(this.sPos[slot]!);
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
    this.rF64[4 * slot + 1] = this.seq++;
    this.rF64[4 * slot + 2] = time;
    // A fresh seq is the largest, so the event can only move up if its time strictly decreased.
    if (time < this.hTime[2 * i]!) this.siftUp(i, time, slot);
    else this.siftDown(i, time, slot);
    return true;
  }

  /**
   * reschedule() to (time, seq) with seq from reserveSeq(): the event may move either way among events
   * at its time. False if the handle is stale. Throws on NaN time or a sequence number never reserved.
   */
  rescheduleWithSeq(handle: Handle, time: number, seq: number): boolean {
    if (time !== time) nanTime();
    this.checkSeq(seq);
    const slot = this.slotOf(handle);
    if (slot < 0) return false;
    const i = this.sPos[slot]!;
    this.rF64[4 * slot + 1] = seq;
    this.rF64[4 * slot + 2] = time;
    const p = (i - 1) >> 1;
    if (i > 0 && this.before(time, slot, this.hTime[2 * p]!, this.hSlot[4 * p + 2]!)) this.siftUp(i, time, slot);
    else this.siftDown(i, time, slot);
    return true;
  }

  /** Drops every pending event; all outstanding handles turn stale. */
  clear(): void {
    while (this.n > 0) {
      this.n--;
      this.release(this.hSlot[4 * this.n + 2]!);
    }
  }

  private release(slot: number): void {
    this.sPos[slot] = -1;
    this.rI32[8 * slot + 7] = (this.rI32[8 * slot + 7]! + 1) & GEN_MASK;
    this.freeSlots[this.freeCount++] = slot;
  }

  /** (t1, slot1) orders before (t2, slot2)? Sequence numbers are read only on exact time ties. */
  private before(t1: number, slot1: number, t2: number, slot2: number): boolean {
    return t1 < t2 || (t1 === t2 && this.seqOf(slot1) < this.seqOf(slot2));
  }

  private removeAt(i: number): void {
    const last = --this.n;
    if (i === last) return;
    const t = this.hTime[2 * last]!;
    const slot = this.hSlot[4 * last + 2]!;
    // The moved last element may belong above or below the hole; at most one sift does anything.
    const p = (i - 1) >> 1;
    if (i > 0 && this.before(t, slot, this.hTime[2 * p]!, this.hSlot[4 * p + 2]!)) this.siftUp(i, t, slot);
    else this.siftDown(i, t, slot);
  }

  /** Places (t, slot) by moving the hole at `i` up past later parents. */
  private siftUp(i: number, t: number, slot: number): void {
    const hTime = this.hTime;
    const hSlot = this.hSlot;
    const sPos = this.sPos;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = hTime[2 * p]!;
      if (t > pt) break;
      const ps = hSlot[4 * p + 2]!;
      if (t === pt && this.seqOf(ps) < this.seqOf(slot)) break;
      hTime[2 * i] = pt;
      hSlot[4 * i + 2] = ps;
      sPos[ps] = i;
      i = p;
    }
    hTime[2 * i] = t;
    hSlot[4 * i + 2] = slot;
    sPos[slot] = i;
  }

  /** Places (t, slot) by moving the hole at `i` down past earlier children. */
  private siftDown(i: number, t: number, slot: number): void {
    const hTime = this.hTime;
    const hSlot = this.hSlot;
    const sPos = this.sPos;
    const n = this.n;
    const half = n >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      let ct = hTime[2 * c]!;
      const r = c + 1;
      if (r < n) {
        const rt = hTime[2 * r]!;
        // Sequence numbers are only consulted on exact time ties, keeping the common path on the heap line.
        if (rt < ct || (rt === ct && this.seqOf(hSlot[4 * r + 2]!) < this.seqOf(hSlot[4 * c + 2]!))) {
          c = r;
          ct = rt;
        }
      }
      if (t < ct) break;
      const cs = hSlot[4 * c + 2]!;
      if (t === ct && this.seqOf(slot) < this.seqOf(cs)) break;
      hTime[2 * i] = ct;
      hSlot[4 * i + 2] = cs;
      sPos[cs] = i;
      i = c;
    }
    hTime[2 * i] = t;
    hSlot[4 * i + 2] = slot;
    sPos[slot] = i;
  }

  /** A given sequence number must have been handed out by reserveSeq() (or by an earlier schedule). */
  private checkSeq(seq: number): void {
    if (!(seq >= 0 && seq < this.seq && Number.isInteger(seq))) {
      throw new RangeError(`EventQueue: sequence number ${seq} was never reserved`);
    }
  }

  private seqOf(slot: number): number {
    return this.rF64[4 * slot + 1]!;
  }

  private grow(): void {
    const cap = this.capacity;
    if (cap >= SLOT_LIMIT) throw new RangeError(`EventQueue: more than ${SLOT_LIMIT} pending events`);
    const next = Math.min(SLOT_LIMIT, cap * 2);
    const heap = new ArrayBuffer(next * 16);
    new Uint8Array(heap).set(new Uint8Array(this.hTime.buffer));
    this.hTime = new Float64Array(heap);
    this.hSlot = new Int32Array(heap);
    const rec = new ArrayBuffer(next * 32);
    new Uint8Array(rec).set(new Uint8Array(this.rF64.buffer));
    this.rF64 = new Float64Array(rec);
    this.rI32 = new Int32Array(rec);
    const pos = new Int32Array(next).fill(-1);
    pos.set(this.sPos);
    this.sPos = pos;
    const free = new Int32Array(next);
    free.set(this.freeSlots);
    this.freeSlots = free;
    this.capacity = next;
  }
}
