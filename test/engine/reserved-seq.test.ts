/**
 * Reserved sequence numbers (EventQueue.reserveSeq and the *WithSeq operations, Simulation.reserveSeq,
 * atWithSeq, rescheduleWithSeq): an event given a reserved number orders exactly as one scheduled when
 * the number was reserved, in the plain queue, on the replace-top path, and after moves either way.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue, Simulation } from "../../sim/engine/index.js";
import { drain } from "./helpers.js";

describe("EventQueue with reserved sequence numbers", () => {
  it("an event given a reserved number pops where one scheduled at the reservation would", () => {
    const q = new EventQueue(2);
    q.schedule(1, 0, 0);
    const s1 = q.reserveSeq();
    q.schedule(1, 0, 2);
    const s2 = q.reserveSeq();
    q.schedule(1, 0, 4);
    // Given in reverse order, later than everything else: still ordered by their reserved numbers.
    q.scheduleWithSeq(1, s2, 0, 3);
    q.scheduleWithSeq(1, s1, 0, 1);
    expect(drain(q)).toEqual([0, 1, 2, 3, 4]);
  });

  it("reserving takes a number from the plain counter, so later plain events order after it", () => {
    const q = new EventQueue();
    const s = q.reserveSeq();
    q.schedule(5, 0, 1);
    q.scheduleWithSeq(5, s, 0, 0);
    expect(drain(q)).toEqual([0, 1]);
  });

  it("rescheduleWithSeq moves an event up or down among events at its time, and refuses stale handles", () => {
    const q = new EventQueue();
    const early = q.reserveSeq();
    for (let i = 1; i <= 6; i++) q.schedule(2, 0, i);
    const h = q.schedule(9, 0, 0);
    // To the front of the tie at 2 (its number is older than theirs).
    expect(q.rescheduleWithSeq(h, 2, early)).toBe(true);
    expect(q.dataOf(q.peekSlot())).toBe(0);
    // Then to the back of it with a fresh number.
    expect(q.rescheduleWithSeq(h, 2, q.reserveSeq())).toBe(true);
    expect(drain(q)).toEqual([1, 2, 3, 4, 5, 6, 0]);
    expect(q.rescheduleWithSeq(h, 3, q.reserveSeq())).toBe(false);
  });

  it("replaceTopWithSeq pops the top and inserts with the given number, staling the old handle", () => {
    const q = new EventQueue();
    const old = q.schedule(1, 0, 0);
    const s = q.reserveSeq();
    q.schedule(3, 0, 2);
    const h = q.replaceTopWithSeq(3, s, 0, 1);
    expect(q.isPending(old)).toBe(false);
    expect(q.isPending(h)).toBe(true);
    expect(drain(q)).toEqual([1, 2]);
  });

  it("rejects numbers never reserved and NaN times", () => {
    const q = new EventQueue();
    const h = q.schedule(1, 0, 0);
    expect(() => q.scheduleWithSeq(1, 1, 0, 0)).toThrow(RangeError);
    expect(() => q.scheduleWithSeq(1, -1, 0, 0)).toThrow(RangeError);
    expect(() => q.scheduleWithSeq(1, 0.5, 0, 0)).toThrow(RangeError);
    expect(() => q.rescheduleWithSeq(h, 1, 7)).toThrow(RangeError);
    expect(() => q.replaceTopWithSeq(1, 3, 0, 0)).toThrow(RangeError);
    const s = q.reserveSeq();
    expect(() => q.scheduleWithSeq(NaN, s, 0, 0)).toThrow(RangeError);
    expect(() => q.rescheduleWithSeq(h, NaN, s)).toThrow(RangeError);
    expect(q.size).toBe(1);
  });
});

type Op =
  | { op: "schedule"; time: number; reserved: boolean }
  | { op: "reserve" }
  | { op: "reschedule"; pick: number; time: number; reserved: number }
  | { op: "cancel"; pick: number }
  | { op: "pop" };

const timeArb = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.double({ min: 0, max: 4, noNaN: true }));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant("schedule" as const), time: timeArb, reserved: fc.boolean() }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant("reserve" as const) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant("reschedule" as const), pick: fc.nat(), time: timeArb, reserved: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant("cancel" as const), pick: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("pop" as const) }), weight: 3 },
);

describe("EventQueue with reserved numbers against a naive model", () => {
  it("pops by (time, number) whichever numbers were given, with correct handle liveness", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
        const q = new EventQueue(2);
        let model: { id: number; time: number; seq: number }[] = [];
        // Reserved numbers not yet given to any event (each is given at most once).
        const unused: number[] = [];
        const issued: { handle: number; id: number }[] = [];
        let nextId = 0;
        // The queue's counter: plain operations take the next number, as reserveSeq() does.
        let counter = 0;
        const reserve = (): number => {
          const seq = q.reserveSeq();
          expect(seq).toBe(counter++);
          return seq;
        };
        const take = (k: number): number | undefined => (unused.length === 0 ? undefined : unused.splice(k % unused.length, 1)[0]);
        for (const op of ops) {
          if (op.op === "reserve") unused.push(reserve());
          else if (op.op === "schedule") {
            const id = nextId++;
            const given = op.reserved ? take(id) : undefined;
            const seq = given ?? counter++;
            const handle = given === undefined ? q.schedule(op.time, 0, id) : q.scheduleWithSeq(op.time, seq, 0, id);
            model.push({ id, time: op.time, seq });
            issued.push({ handle, id });
          } else if (op.op === "reschedule" || op.op === "cancel") {
            const h = issued[op.pick % Math.max(1, issued.length)];
            if (h === undefined) continue;
            const e = model.find((m) => m.id === h.id);
            if (op.op === "cancel") {
              expect(q.cancel(h.handle)).toBe(e !== undefined);
              model = model.filter((m) => m.id !== h.id);
              continue;
            }
            const given = take(op.reserved);
            // A plain reschedule takes a number only if the event is pending.
            const seq = given ?? (e !== undefined ? counter++ : counter);
            const moved = given === undefined ? q.reschedule(h.handle, op.time) : q.rescheduleWithSeq(h.handle, op.time, seq);
            expect(moved).toBe(e !== undefined);
            if (e !== undefined) {
              e.time = op.time;
              e.seq = seq;
            }
          } else {
            let best = -1;
            model.forEach((e, i) => {
              const b = model[best];
              if (b === undefined || e.time < b.time || (e.time === b.time && e.seq < b.seq)) best = i;
            });
            const slot = q.pop();
            if (best < 0) expect(slot).toBe(-1);
            else {
              expect([q.timeOf(slot), q.dataOf(slot)]).toEqual([model[best]!.time, model[best]!.id]);
              model.splice(best, 1);
            }
          }
          expect(q.size).toBe(model.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("Simulation with reserved numbers", () => {
  it("atWithSeq from a handler takes the replace-top path and fires in reserved order", () => {
    const sim = new Simulation();
    const log: number[] = [];
    let reserved = -1;
    let self = -1;
    const checks: unknown[] = [];
    const kind = sim.register((d, s) => {
      log.push(d);
      if (d !== 0) return;
      s.at(2, kind, 2);
      // Given now, the reserved number still puts event 1 ahead of event 2 at the same time.
      const h = s.atWithSeq(2, reserved, kind, 1);
      checks.push(s.isPending(self), s.isPending(h), s.pending);
    });
    self = sim.at(1, kind, 0);
    reserved = sim.reserveSeq();
    sim.run();
    expect(log).toEqual([0, 1, 2]);
    expect(checks).toEqual([false, true, 2]);
  });

  it("the first atWithSeq of a handler replaces the firing event: pending and peekTime stay right", () => {
    const sim = new Simulation();
    const seen: number[] = [];
    const kind = sim.register((d, s) => {
      if (d !== 0) return;
      seen.push(s.pending, s.peekTime());
      s.atWithSeq(4, s.reserveSeq(), kind, 1);
      seen.push(s.pending, s.peekTime());
    });
    sim.at(1, kind, 0);
    sim.at(5, kind, 2);
    sim.run();
    expect(seen).toEqual([1, 5, 2, 4]);
    expect(sim.eventsProcessed).toBe(3);
  });

  it("rescheduleWithSeq refuses the firing event, stale handles and past times", () => {
    const sim = new Simulation();
    const checks: boolean[] = [];
    let self = -1;
    let other = -1;
    const kind = sim.register((d, s) => {
      if (d !== 0) return;
      checks.push(s.rescheduleWithSeq(self, 3, s.reserveSeq()));
      checks.push(s.rescheduleWithSeq(other, 1, s.reserveSeq()));
      expect(() => s.rescheduleWithSeq(other, 0.5, s.reserveSeq())).toThrow(RangeError);
    });
    self = sim.at(1, kind, 0);
    other = sim.at(2, kind, 1);
    sim.run();
    checks.push(sim.rescheduleWithSeq(other, 3, sim.reserveSeq()));
    expect(checks).toEqual([false, true, false]);
    expect(() => sim.atWithSeq(sim.now, 1e9, kind)).toThrow(RangeError);
  });
});
