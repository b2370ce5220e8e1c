/**
 * DueCalendar: whatever the order positions are added in (and however takes interleave with adds,
 * as a load step lists its services' next steps while walking), take(t) hands back exactly the
 * positions added at t since its last take, ascending; add() says when a time is new, so the model
 * schedules one event per distinct time. Lists reused across takes carry nothing over.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DueCalendar } from "../../sim/model/due-calendar.js";

type Op = { readonly kind: "add"; readonly t: number; readonly p: number } | { readonly kind: "take"; readonly t: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant("add" as const), t: fc.integer({ min: 0, max: 4 }), p: fc.integer({ min: 0, max: 300 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("take" as const), t: fc.integer({ min: 0, max: 4 }) }) },
);

describe("DueCalendar", () => {
  it("hands back each time's positions ascending, exactly those added since its last take", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
        const cal = new DueCalendar();
        const model = new Map<number, number[]>();
        for (const o of ops) {
          if (o.kind === "add") {
            const fresh = !model.has(o.t);
            expect(cal.add(o.t, o.p)).toBe(fresh);
            model.set(o.t, [...(model.get(o.t) ?? []), o.p]);
          } else {
            const want = (model.get(o.t) ?? []).sort((a, b) => a - b);
            model.delete(o.t);
            expect([...cal.take(o.t)]).toEqual(want);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a step that lists the next step while walking its own gets both in order", () => {
    const cal = new DueCalendar();
    // Services start out of position order (chunks of different hosts interleave).
    for (const p of [17, 3, 9, 0, 24, 8]) cal.add(10, p);
    const walked: number[] = [];
    for (const t of [10, 20, 30]) {
      const list = cal.take(t);
      for (const p of list) {
        walked.push(p);
        cal.add(t + 10, p);
      }
    }
    expect(walked).toEqual([0, 3, 8, 9, 17, 24, 0, 3, 8, 9, 17, 24, 0, 3, 8, 9, 17, 24]);
  });
});
