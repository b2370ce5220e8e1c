/**
 * Simulation contract: firing order, run(until)/stop() semantics, scheduling errors, and the transparent
 * replace-top fast path (checked directly and against a naive reference simulator with fast-check).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Simulation } from "../../sim/engine/index.js";

/** A simulation with one kind whose handler logs [now, data]. */
function logging(): { sim: Simulation; kind: number; log: [number, number][] } {
  const sim = new Simulation();
  const log: [number, number][] = [];
  const kind = sim.register((data, s) => {
    log.push([s.now, data]);
  });
  return { sim, kind, log };
}

describe("Simulation.run", () => {
  it("fires events in time order, ties first-in first-out, with now set to the event time", () => {
    const { sim, kind, log } = logging();
    sim.at(2, kind, 1);
    sim.at(1, kind, 2);
    sim.at(2, kind, 3);
    sim.after(1, kind, 4);
    sim.run();
    expect(log).toEqual([
      [1, 2],
      [1, 4],
      [2, 1],
      [2, 3],
    ]);
    expect(sim.now).toBe(2);
    expect(sim.eventsProcessed).toBe(4);
    expect(sim.pending).toBe(0);
  });

  it("dispatches each kind to its own handler", () => {
    const sim = new Simulation();
    const seen: string[] = [];
    const a = sim.register((d) => seen.push(`a${d}`));
    const b = sim.register((d) => seen.push(`b${d}`));
    expect(a).not.toBe(b);
    sim.at(1, b, 1);
    sim.at(2, a, 2);
    sim.run();
    expect(seen).toEqual(["b1", "a2"]);
  });

  it("run(until) fires events at or before until, leaves later ones pending and sets now = until", () => {
    const { sim, kind, log } = logging();
    for (const t of [1, 2, 3, 4]) sim.at(t, kind, t);
    sim.run(3);
    expect(log.map(([, d]) => d)).toEqual([1, 2, 3]);
    expect(sim.now).toBe(3);
    expect(sim.pending).toBe(1);
    sim.run(3.5);
    expect(sim.now).toBe(3.5);
    expect(sim.pending).toBe(1);
    sim.run();
    expect(log.map(([, d]) => d)).toEqual([1, 2, 3, 4]);
    expect(sim.now).toBe(4);
  });

  it("run(until) on an empty simulation still advances now to until", () => {
    const sim = new Simulation();
    sim.run(10);
    expect(sim.now).toBe(10);
    sim.run();
    expect(sim.now).toBe(10);
  });

  it("stop() from a handler ends the run after that handler; run() resumes", () => {
    const sim = new Simulation();
    const fired: number[] = [];
    const kind = sim.register((d, s) => {
      fired.push(d);
      if (d === 2) s.stop();
    });
    for (const t of [1, 2, 3]) sim.at(t, kind, t);
    sim.run(100);
    expect(fired).toEqual([1, 2]);
    expect(sim.now).toBe(2);
    expect(sim.pending).toBe(1);
    sim.run(100);
    expect(fired).toEqual([1, 2, 3]);
    expect(sim.now).toBe(100);
  });

  it("stop() outside run() does not affect the next run", () => {
    const { sim, kind, log } = logging();
    sim.at(1, kind, 1);
    sim.stop();
    sim.run();
    expect(log).toHaveLength(1);
  });

  it("an event scheduled at now runs after events already queued for now", () => {
    const sim = new Simulation();
    const order: number[] = [];
    let child = -1;
    const kind = sim.register((d, s) => {
      order.push(d);
      if (d === 1) s.after(0, kind, 3);
    });
    child = kind;
    sim.at(1, child, 1);
    sim.at(1, child, 2);
    sim.run();
    expect(order).toEqual([1, 2, 3]);
  });

  it("rejects programming errors", () => {
    const { sim, kind } = logging();
    sim.run(5);
    expect(() => sim.at(4, kind)).toThrow(RangeError);
    expect(() => sim.after(-1, kind)).toThrow(RangeError);
    expect(() => sim.at(Number.NaN, kind)).toThrow(RangeError);
    expect(() => sim.at(Infinity, kind)).toThrow(RangeError);
    expect(() => sim.at(6, kind + 1)).toThrow(RangeError);
    expect(() => sim.at(6, 0.5)).toThrow(RangeError);
    expect(() => sim.run(4)).toThrow(RangeError);
    const h = sim.at(6, kind);
    expect(() => sim.reschedule(h, 1)).toThrow(RangeError);
    expect(sim.pending).toBe(1);
  });

  it("run() is not re-entrant", () => {
    const sim = new Simulation();
    let error: unknown;
    const kind = sim.register((_d, s) => {
      try {
        s.run();
      } catch (e) {
        error = e;
      }
    });
    sim.at(1, kind);
    sim.run();
    expect(error).toBeInstanceOf(Error);
  });

  it("a throwing handler consumes its event and leaves the simulation usable", () => {
    const { sim, kind, log } = logging();
    const bad = sim.register(() => {
      throw new Error("boom");
    });
    sim.at(1, bad);
    sim.at(2, kind, 2);
    expect(() => sim.run()).toThrow("boom");
    expect(sim.pending).toBe(1);
    sim.run();
    expect(log).toEqual([[2, 2]]);
  });
});

describe("Simulation while a handler runs (replace-top state)", () => {
  it("hides the firing event from pending, peekTime, cancel, reschedule and isPending", () => {
    const sim = new Simulation();
    const checks: unknown[] = [];
    let self = -1;
    let later = -1;
    const kind = sim.register((d, s) => {
      if (d !== 1) return;
      checks.push(s.pending, s.peekTime(), s.isPending(self), s.cancel(self), s.reschedule(self, 9));
      const h = s.after(0.5, kind, 4); // replaces the top
      checks.push(s.pending, s.peekTime(), s.isPending(h), s.isPending(self));
      checks.push(s.cancel(later), s.pending, s.peekTime());
    });
    self = sim.at(1, kind, 1);
    sim.at(2, kind, 2);
    later = sim.at(3, kind, 3);
    sim.run(1);
    expect(checks).toEqual([2, 2, false, false, false, 3, 1.5, true, false, true, 2, 1.5]);
    expect(sim.pending).toBe(2);
    expect(sim.peekTime()).toBe(1.5);
  });

  it("peekTime is Infinity and pending 0 while the only event fires", () => {
    const sim = new Simulation();
    const seen: number[] = [];
    const kind = sim.register((_d, s) => {
      seen.push(s.pending, s.peekTime());
    });
    sim.at(1, kind);
    sim.run();
    expect(seen).toEqual([0, Infinity]);
  });

  it("a handler scheduling several events keeps all of them", () => {
    const { sim, kind, log } = logging();
    const fan = sim.register((_d, s) => {
      for (let i = 3; i >= 1; i--) s.after(i, kind, i);
    });
    sim.at(0, fan);
    sim.run();
    expect(log).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });
});

// Reference simulator: pending events in a plain array, minimum found by scanning.
class NaiveSim {
  now = 0;
  private events: { id: number; time: number; seq: number }[] = [];
  private seq = 0;
  at(time: number, id: number): void {
    this.events.push({ id, time, seq: this.seq++ });
  }
  cancel(id: number): boolean {
    const before = this.events.length;
    this.events = this.events.filter((e) => e.id !== id);
    return this.events.length < before;
  }
  reschedule(id: number, time: number): boolean {
    const e = this.events.find((x) => x.id === id);
    if (e === undefined) return false;
    e.time = time;
    e.seq = this.seq++;
    return true;
  }
  get pending(): number {
    return this.events.length;
  }
  peekTime(): number {
    return this.events.reduce((m, e) => Math.min(m, e.time), Infinity);
  }
  /** Removes and returns the next event's id, or undefined. */
  next(): number | undefined {
    let best: { id: number; time: number; seq: number } | undefined;
    for (const e of this.events) {
      if (best === undefined || e.time < best.time || (e.time === best.time && e.seq < best.seq)) best = e;
    }
    if (best === undefined) return undefined;
    const id = best.id;
    this.events = this.events.filter((e) => e !== best);
    this.now = best.time;
    return id;
  }
}

type Action =
  | { act: "after"; delay: number }
  | { act: "cancel"; pick: number }
  | { act: "reschedule"; pick: number; delay: number };

const delayArb = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3 }), fc.double({ min: 0, max: 4, noNaN: true }));
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.record({ act: fc.constant("after" as const), delay: delayArb }), weight: 5 },
  { arbitrary: fc.record({ act: fc.constant("cancel" as const), pick: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ act: fc.constant("reschedule" as const), pick: fc.nat(), delay: delayArb }), weight: 2 },
);

describe("Simulation against a naive reference", () => {
  it("fires the same events at the same times for random self-scheduling programs", () => {
    fc.assert(
      fc.property(
        fc.array(delayArb, { minLength: 1, maxLength: 10 }),
        // scripts[k % length] is what the k-th fired event does.
        fc.array(fc.array(actionArb, { maxLength: 4 }), { minLength: 1, maxLength: 20 }),
        fc.option(fc.double({ min: 0, max: 20, noNaN: true }), { nil: undefined }),
        (initial, scripts, until) => {
          const limit = 150;
          const sim = new Simulation(2);
          const ref = new NaiveSim();
          const handles: number[] = []; // id -> Simulation handle
          const trace: string[] = [];
          const refTrace: string[] = [];
          let fired = 0;
          const kind = sim.register((id, s) => {
            trace.push(`${s.now}:${id}:${s.pending}:${s.peekTime()}`);
            const script = scripts[fired % scripts.length]!;
            fired++;
            for (const a of script) {
              if (a.act === "after") {
                handles.push(s.after(a.delay, kind, handles.length));
              } else if (a.act === "cancel") {
                trace.push(`c${s.cancel(handles[a.pick % handles.length]!)}`);
              } else {
                trace.push(`r${s.reschedule(handles[a.pick % handles.length]!, s.now + a.delay)}`);
              }
            }
            if (fired === limit) s.stop();
          });
          for (const d of initial) handles.push(sim.at(d, kind, handles.length));
          sim.run(until);

          // Replay the same program on the reference.
          let ids = 0;
          for (const d of initial) ref.at(d, ids++);
          let n = 0;
          for (;;) {
            const t = ref.peekTime();
            if (ref.pending === 0 || (until !== undefined && t > until)) break;
            const id = ref.next()!;
            refTrace.push(`${ref.now}:${id}:${ref.pending}:${ref.peekTime()}`);
            const script = scripts[n % scripts.length]!;
            n++;
            for (const a of script) {
              if (a.act === "after") ref.at(ref.now + a.delay, ids++);
              else if (a.act === "cancel") refTrace.push(`c${ref.cancel(a.pick % ids)}`);
              else refTrace.push(`r${ref.reschedule(a.pick % ids, ref.now + a.delay)}`);
            }
            if (n === limit) break;
          }
          expect(trace).toEqual(refTrace);
          expect(sim.pending).toBe(ref.pending);
          expect(sim.eventsProcessed).toBe(n);
        },
      ),
      { numRuns: 300 },
    );
  });
});
