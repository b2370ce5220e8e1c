/**
 * EventGroups (sim/sharing/event-groups.ts): members kept in per-group heaps behind one engine event per
 * group fire in exactly the order, at exactly the times, and with the same sequence numbers taken, as
 * one plain engine event per member; peekTime agrees with the plain engine's, also while a member fires.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Simulation } from "../../sim/engine/index.js";
import { EventGroups } from "../../sim/sharing/event-groups.js";
import { FluidSharing } from "../../sim/sharing/index.js";

/** One step of a program: set (schedule or move) a member, cancel it, schedule a plain event, or peek. */
type Cmd =
  | { c: "set"; member: number; delay: number }
  | { c: "cancel"; member: number }
  | { c: "plain"; delay: number }
  | { c: "peek" };

// Up to 40 members in 1 to 4 groups: a group can outgrow its first heap run (16) and move.
const MEMBERS = 40;
const delayArb = fc.oneof(fc.constantFrom(0, 1, 2), fc.double({ min: 0, max: 3, noNaN: true }));
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { arbitrary: fc.record({ c: fc.constant("set" as const), member: fc.nat(MEMBERS - 1), delay: delayArb }), weight: 6 },
  { arbitrary: fc.record({ c: fc.constant("cancel" as const), member: fc.nat(MEMBERS - 1) }), weight: 2 },
  { arbitrary: fc.record({ c: fc.constant("plain" as const), delay: delayArb }), weight: 1 },
  { arbitrary: fc.record({ c: fc.constant("peek" as const) }), weight: 1 },
);

/** The two ways of keeping members' events, behind one interface. */
interface Timed {
  readonly sim: Simulation;
  has(m: number): boolean;
  schedule(m: number, t: number): void;
  reschedule(m: number, t: number): void;
  cancel(m: number): void;
  peekTime(): number;
  /** Called before control returns to the engine. */
  sync(): void;
}

/**
 * Runs a program: `setup` commands, then each firing (member or plain event) logs itself and runs the
 * next `perFire` commands. Returns the log, the events processed and the next sequence number.
 */
function runProgram(make: (onFire: (m: number) => void, groups: number) => Timed, groups: number, setup: Cmd[], script: Cmd[], perFire: number): unknown[] {
  const log: unknown[] = [];
  let next = 0;
  let plainId = 0;
  let timed: Timed | undefined;
  const apply = (cmd: Cmd): void => {
    const t = timed!;
    const now = t.sim.now;
    if (cmd.c === "set") {
      if (t.has(cmd.member)) t.reschedule(cmd.member, now + cmd.delay);
      else t.schedule(cmd.member, now + cmd.delay);
    } else if (cmd.c === "cancel") t.cancel(cmd.member);
    else if (cmd.c === "plain") t.sim.at(now + cmd.delay, plainKind, plainId++);
    else log.push(["peek", t.peekTime()]);
  };
  const onFiring = (what: string, id: number): void => {
    log.push([what, id, timed!.sim.now]);
    for (let k = 0; k < perFire && next < script.length; k++) apply(script[next++]!);
    log.push(["peek", timed!.peekTime()]);
  };
  timed = make((m) => onFiring("member", m), groups);
  const sim = timed.sim;
  const plainKind = sim.register((id) => {
    onFiring("plain", id);
    timed!.sync();
  });
  for (const cmd of setup) apply(cmd);
  timed.sync();
  sim.run();
  log.push(["processed", sim.eventsProcessed], ["seq", sim.reserveSeq()]);
  return log;
}

/** The reference: one engine event per member. */
function plain(onFire: (m: number) => void): Timed {
  const sim = new Simulation();
  const handle = new Array<number>(MEMBERS).fill(-1);
  const kind = sim.register((m) => {
    handle[m] = -1;
    onFire(m);
  });
  return {
    sim,
    has: (m) => handle[m]! >= 0,
    schedule: (m, t) => {
      handle[m] = sim.at(t, kind, m);
    },
    reschedule: (m, t) => {
      sim.reschedule(handle[m]!, t);
    },
    cancel: (m) => {
      if (handle[m]! >= 0) sim.cancel(handle[m]!);
      handle[m] = -1;
    },
    peekTime: () => sim.peekTime(),
    sync: () => {},
  };
}

/** The grouped version, member m in group m % count. */
function grouped(onFire: (m: number) => void, count: number): Timed {
  const sim = new Simulation();
  const groups = new EventGroups(sim, onFire);
  return {
    sim,
    has: (m) => groups.has(m),
    schedule: (m, t) => groups.schedule(m, m % count, t),
    reschedule: (m, t) => groups.reschedule(m, t),
    cancel: (m) => {
      groups.cancel(m);
    },
    peekTime: () => groups.peekTime(),
    sync: () => groups.sync(),
  };
}

describe("EventGroups against one engine event per member", () => {
  it("fires the same members and plain events in the same order and times, with equal counters and peeks", () => {
    fc.assert(
      fc.property(
        fc.array(cmdArb, { maxLength: 80, size: "max" }),
        fc.array(cmdArb, { maxLength: 200 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        (setup, script, perFire, groups) => {
          expect(runProgram(grouped, groups, setup, script, perFire)).toEqual(runProgram(plain, groups, setup, script, perFire));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("one group's many moves between syncs cost one engine reschedule", () => {
    const sim = new Simulation();
    const fired: number[] = [];
    const groups = new EventGroups(sim, (m) => fired.push(m));
    for (let m = 0; m < 10; m++) groups.schedule(m, 0, 10 + m);
    groups.sync();
    expect(groups.stats).toEqual({ scheduled: 1, rescheduled: 0, cancelled: 0 });
    for (let m = 0; m < 10; m++) groups.reschedule(m, 20 - m);
    groups.sync();
    expect(groups.stats).toEqual({ scheduled: 1, rescheduled: 1, cancelled: 0 });
    // A move below the top leaves the group's key, and so its engine event, alone.
    groups.reschedule(0, 30);
    groups.sync();
    expect(groups.stats.rescheduled).toBe(1);
    sim.run();
    expect(fired).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(sim.eventsProcessed).toBe(10);
  });

  it("an emptied group cancels its engine event; cancelling an absent member is a no-op", () => {
    const sim = new Simulation();
    const groups = new EventGroups(sim, () => {
      throw new Error("nothing should fire");
    });
    groups.schedule(3, 1, 5);
    groups.sync();
    expect(groups.cancel(3)).toBe(true);
    expect(groups.cancel(3)).toBe(false);
    expect(groups.cancel(99)).toBe(false);
    expect(groups.peekTime()).toBe(Infinity);
    groups.sync();
    expect(groups.stats.cancelled).toBe(1);
    sim.run();
    expect(sim.eventsProcessed).toBe(0);
  });

  it("rejects past times, double schedules and moves of absent members", () => {
    const sim = new Simulation();
    const groups = new EventGroups(sim, () => {});
    sim.run(5);
    expect(() => groups.schedule(0, 0, 4)).toThrow(RangeError);
    expect(() => groups.schedule(0, 0, Infinity)).toThrow(RangeError);
    groups.schedule(0, 0, 6);
    expect(() => groups.schedule(0, 1, 7)).toThrow();
    expect(() => groups.reschedule(1, 7)).toThrow();
    expect(() => groups.reschedule(0, NaN)).toThrow(RangeError);
  });
});

describe("FluidSharing's grouped completion events", () => {
  it("a recompute moving a resource's 30 flows costs one engine reschedule, and they complete in time order", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const disk = s.addResource(100);
    const done: number[] = [];
    // Finite caps keep them out of a hub; the disk binds (100 / 30 each).
    const flows = s.batch(() =>
      Array.from({ length: 30 }, (_, i) => s.startFlow({ work: 10 + i, uses: [{ resource: disk }], cap: 1000, onDone: () => done.push(i) })),
    );
    const before = { ...s.stats };
    s.startFlow({ work: 1e6, uses: [{ resource: disk }], cap: 1000 });
    expect(s.stats.eventsRescheduled - before.eventsRescheduled).toBe(30);
    expect(s.stats.groupRekeys - before.groupRekeys).toBe(1);
    expect(s.completionTime(flows[0]!)).toBe(10 / (100 / 31));
    sim.run();
    expect(done).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(sim.eventsProcessed).toBe(31);
  });
});
