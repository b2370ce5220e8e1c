/**
 * EventQueue contract: (time, scheduling order) pop order, cancel/reschedule/stale handles, and
 * replaceTop, checked directly and against a naive sorted-array model with fast-check.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue } from "../../sim/engine/index.js";
import { drain } from "./helpers.js";

describe("EventQueue ordering", () => {
  it("pops by time and breaks ties first-in first-out", () => {
    const q = new EventQueue();
    const times = [3, 1, 2, 1, 3, 1, 0.5, 2];
    times.forEach((t, i) => q.schedule(t, 0, i));
    expect(q.size).toBe(8);
    expect(drain(q)).toEqual([6, 1, 3, 5, 2, 7, 0, 4]);
    expect(q.size).toBe(0);
  });

  it("reports time, kind and data of the popped event", () => {
    const q = new EventQueue();
    q.schedule(2.5, 7, -1.25);
    q.schedule(4, 9, 3);
    expect(q.peekTime()).toBe(2.5);
    const slot = q.pop();
    expect([q.timeOf(slot), q.kindOf(slot), q.dataOf(slot)]).toEqual([2.5, 7, -1.25]);
    expect(q.peekTime()).toBe(4);
  });

  it("is empty-safe: peekTime is Infinity and pop returns -1", () => {
    const q = new EventQueue();
    expect(q.peekTime()).toBe(Infinity);
    expect(q.peekSecondTime()).toBe(Infinity);
    expect(q.peekSlot()).toBe(-1);
    expect(q.pop()).toBe(-1);
    expect(() => q.replaceTop(1, 0, 0)).toThrow(RangeError);
  });

  it("throws on NaN times", () => {
    const q = new EventQueue();
    const h = q.schedule(1, 0, 0);
    expect(() => q.schedule(Number.NaN, 0, 0)).toThrow(RangeError);
    expect(() => q.reschedule(h, Number.NaN)).toThrow(RangeError);
    expect(() => q.replaceTop(Number.NaN, 0, 0)).toThrow(RangeError);
    expect(q.size).toBe(1);
  });

  it("grows from a tiny capacity and still sorts many events", () => {
    const q = new EventQueue(2);
    const n = 5000;
    // A fixed permutation of 0..n-1 with many duplicate times (i mod 97).
    for (let i = 0; i < n; i++) q.schedule((i * 7919) % 97, 0, i);
    const out = drain(q);
    expect(out).toHaveLength(n);
    for (let k = 1; k < n; k++) {
      const a = out[k - 1]!;
      const b = out[k]!;
      const ta = (a * 7919) % 97;
      const tb = (b * 7919) % 97;
      expect(ta < tb || (ta === tb && a < b)).toBe(true);
    }
  });

  it("peekSecondTime is the earliest time below the top", () => {
    const q = new EventQueue();
    for (const t of [5, 3, 8, 1, 9, 4]) q.schedule(t, 0, t);
    expect(q.peekTime()).toBe(1);
    expect(q.peekSecondTime()).toBe(3);
  });
});

describe("EventQueue handles", () => {
  it("cancel removes once, then is a no-op", () => {
    const q = new EventQueue();
    const a = q.schedule(1, 0, 10);
    const b = q.schedule(2, 0, 20);
    const c = q.schedule(3, 0, 30);
    expect(q.isPending(b)).toBe(true);
    expect(q.cancel(b)).toBe(true);
    expect(q.isPending(b)).toBe(false);
    expect(q.cancel(b)).toBe(false);
    expect(q.size).toBe(2);
    expect(drain(q)).toEqual([10, 30]);
    expect(q.isPending(a) || q.isPending(c)).toBe(false);
  });

  it("a stale handle cannot touch the event that reused its slot", () => {
    const q = new EventQueue();
    const old = q.schedule(1, 0, 1);
    q.pop();
    const fresh = q.schedule(5, 0, 2);
    expect(fresh).not.toBe(old);
    expect(q.isPending(old)).toBe(false);
    expect(q.cancel(old)).toBe(false);
    expect(q.reschedule(old, 0)).toBe(false);
    expect(q.isPending(fresh)).toBe(true);
    expect(q.peekTime()).toBe(5);
    expect(q.size).toBe(1);
  });

  it("rejects malformed handles", () => {
    const q = new EventQueue();
    q.schedule(1, 0, 0);
    for (const h of [-1, 0.5, Number.NaN, Infinity, 2 ** 60, 12345]) {
      expect(q.isPending(h)).toBe(false);
      expect(q.cancel(h)).toBe(false);
    }
    expect(q.size).toBe(1);
  });

  it("reschedule moves an event behind others already at its new time", () => {
    const q = new EventQueue();
    const a = q.schedule(5, 0, 1);
    q.schedule(5, 0, 2);
    q.schedule(7, 0, 3);
    const d = q.schedule(9, 0, 4);
    expect(q.reschedule(a, 5)).toBe(true);
    expect(q.reschedule(d, 1)).toBe(true);
    expect(q.isPending(a)).toBe(true);
    expect(drain(q)).toEqual([4, 2, 1, 3]);
  });

  it("replaceTop pops the minimum and inserts in one step, staling the old top's handle", () => {
    const q = new EventQueue();
    const top = q.schedule(1, 0, 1);
    q.schedule(2, 0, 2);
    q.schedule(3, 0, 3);
    const h = q.replaceTop(2, 5, 4);
    expect(q.isPending(top)).toBe(false);
    expect(q.isPending(h)).toBe(true);
    expect(q.size).toBe(3);
    const slot = q.pop();
    expect(q.dataOf(slot)).toBe(2);
    expect(q.kindOf(q.peekSlot())).toBe(5);
    expect(drain(q)).toEqual([4, 3]);
  });

  it("clear drops everything and stales all handles", () => {
    const q = new EventQueue();
    const hs = [q.schedule(1, 0, 0), q.schedule(2, 0, 0)];
    q.clear();
    expect(q.size).toBe(0);
    expect(hs.map((h) => q.isPending(h))).toEqual([false, false]);
    q.schedule(3, 0, 9);
    expect(drain(q)).toEqual([9]);
  });
});

// Reference model: an unsorted array scanned for the (time, seq) minimum.
interface ModelEvent {
  id: number;
  time: number;
  seq: number;
  kind: number;
}

type Op =
  | { op: "schedule"; time: number; kind: number }
  | { op: "cancel"; pick: number }
  | { op: "reschedule"; pick: number; time: number }
  | { op: "pop" }
  | { op: "replaceTop"; time: number; kind: number };

// Few distinct times so ties (and FIFO order) are exercised constantly.
const timeArb = fc.oneof(fc.integer({ min: 0, max: 8 }), fc.double({ min: -5, max: 5, noNaN: true }));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant("schedule" as const), time: timeArb, kind: fc.integer({ min: 0, max: 3 }) }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant("cancel" as const), pick: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant("reschedule" as const), pick: fc.nat(), time: timeArb }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant("pop" as const) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant("replaceTop" as const), time: timeArb, kind: fc.integer({ min: 0, max: 3 }) }), weight: 2 },
);

function modelMin(events: readonly ModelEvent[]): number {
  let best = -1;
  events.forEach((e, i) => {
    const b = events[best];
    if (b === undefined || e.time < b.time || (e.time === b.time && e.seq < b.seq)) best = i;
  });
  return best;
}

describe("EventQueue against a naive model", () => {
  it("matches pop order, sizes, peeks and handle liveness for random operation sequences", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
        const q = new EventQueue(2);
        let model: ModelEvent[] = [];
        let seq = 0;
        let nextId = 0;
        // Every handle ever issued, with the model id it was issued for.
        const issued: { handle: number; id: number }[] = [];
        const live = (id: number): boolean => model.some((e) => e.id === id);
        const add = (time: number, kind: number, handle: number): void => {
          const id = nextId++;
          model.push({ id, time, seq: seq++, kind });
          issued.push({ handle, id });
          // The queue's data carries the model id, so pops can be compared by identity.
          expect(q.dataOf(q.slotOf(handle))).toBe(id);
        };
        for (const op of ops) {
          switch (op.op) {
            case "schedule":
              add(op.time, op.kind, q.schedule(op.time, op.kind, nextId));
              break;
            case "cancel": {
              const h = issued[op.pick % Math.max(1, issued.length)];
              if (h === undefined) break;
              const wasLive = live(h.id);
              expect(q.cancel(h.handle)).toBe(wasLive);
              model = model.filter((e) => e.id !== h.id);
              break;
            }
            case "reschedule": {
              const h = issued[op.pick % Math.max(1, issued.length)];
              if (h === undefined) break;
              const e = model.find((m) => m.id === h.id);
              expect(q.reschedule(h.handle, op.time)).toBe(e !== undefined);
              if (e !== undefined) {
                e.time = op.time;
                e.seq = seq++;
              }
              break;
            }
            case "pop": {
              const i = modelMin(model);
              const slot = q.pop();
              if (i < 0) {
                expect(slot).toBe(-1);
                break;
              }
              const e = model[i]!;
              expect([q.timeOf(slot), q.kindOf(slot), q.dataOf(slot)]).toEqual([e.time, e.kind, e.id]);
              model.splice(i, 1);
              break;
            }
            case "replaceTop": {
              const i = modelMin(model);
              if (i < 0) {
                expect(() => q.replaceTop(op.time, op.kind, 0)).toThrow(RangeError);
                break;
              }
              const top = model[i]!;
              expect(q.dataOf(q.peekSlot())).toBe(top.id);
              model.splice(i, 1);
              add(op.time, op.kind, q.replaceTop(op.time, op.kind, nextId));
              break;
            }
          }
          expect(q.size).toBe(model.length);
          const i = modelMin(model);
          expect(q.peekTime()).toBe(i < 0 ? Infinity : model[i]!.time);
          const rest = model.filter((_, k) => k !== i).map((e) => e.time);
          // "+ 0" folds -0 into 0: which of two equal zeros is reported does not matter.
          expect(q.peekSecondTime() + 0).toBe(Math.min(Infinity, ...rest) + 0);
        }
        for (const h of issued) expect(q.isPending(h.handle)).toBe(live(h.id));
        // Drain what remains: full order, ties included, must match the model.
        const expected = [...model].sort((a, b) => a.time - b.time || a.seq - b.seq).map((e) => e.id);
        expect(drain(q)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
