/**
 * FlowTable (sim/sharing/flow-table.ts): a flow's uses read the same through useAt, coefAt, indexOfUse and
 * coefOn whether they sit in the typed columns (first two) or in the wide arrays (flows of three or more),
 * and a released id reused by a narrower flow keeps nothing of the wider one; ids handed out in chunks per
 * owner stay within what reserve() sizes for.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FlowTable } from "../../sim/sharing/flow-table.js";
import type { Use } from "../../sim/sharing/types.js";

const usesArb: fc.Arbitrary<Use[]> = fc
  .uniqueArray(fc.nat(30), { maxLength: 5 })
  .chain((rs) => fc.tuple(...rs.map((r) => fc.double({ min: 0.1, max: 4, noNaN: true }).map((coef) => ({ resource: r, coef })))))
  .map((us) => us.map((u, i) => (i % 2 === 1 ? { resource: u.resource } : u)));

function expectUses(ft: FlowTable, f: number, uses: readonly Use[]): void {
  expect(ft.nuses[f]).toBe(uses.length);
  expect(ft.lone[f]).toBe(uses.length === 1 ? 1 : 0);
  uses.forEach((u, k) => {
    expect(ft.useAt(f, k)).toBe(u.resource);
    expect(ft.coefAt(f, k)).toBe(u.coef ?? 1);
    expect(ft.indexOfUse(f, u.resource)).toBe(k);
    expect(ft.coefOn(f, u.resource)).toBe(u.coef ?? 1);
  });
  for (let r = 0; r <= 31; r++) if (!uses.some((u) => u.resource === r)) expect(ft.indexOfUse(f, r)).toBe(-1);
}

describe("FlowTable uses", () => {
  it("read back as given, in or beyond the typed columns, and a reused id forgets the old ones", () => {
    fc.assert(
      fc.property(fc.array(usesArb, { minLength: 1, maxLength: 12 }), (lists) => {
        const ft = new FlowTable();
        for (const uses of lists) {
          const f = ft.allocate(-1);
          ft.setUses(f, uses);
          expectUses(ft, f, uses);
          ft.release(f);
          expectUses(ft, f, []);
        }
      }),
    );
  });
});

describe("FlowTable ids", () => {
  it("reserve(flows, owners) has room for one flow per owner, each in a chunk of its own (the most the chunks can leave unused)", () => {
    const ft = new FlowTable();
    for (let owner = -1; owner < 6; owner++) ft.allocate(owner);
    expect(ft.highWater).toBe(7 * 8);
    const reserved = new FlowTable();
    reserved.reserve(7, 6);
    expect(reserved.work.length).toBe(7 * 8);
  });

  it("never exceed each owner's peak of live flows plus CHUNK - 1 per owner: what reserve(flows, owners) leaves room for", () => {
    // Ops: [owner, allocate (true) or release the owner's oldest live flow (false)], owners -1 (none) to 5.
    const opsArb = fc.array(fc.tuple(fc.integer({ min: -1, max: 5 }), fc.boolean()), { maxLength: 400 });
    fc.assert(
      fc.property(opsArb, (ops) => {
        const ft = new FlowTable();
        const live = new Map<number, number[]>();
        const peak = new Map<number, number>();
        for (const [owner, allocate] of ops) {
          const mine = live.get(owner) ?? [];
          live.set(owner, mine);
          if (allocate) {
            mine.push(ft.allocate(owner));
            peak.set(owner, Math.max(peak.get(owner) ?? 0, mine.length));
          } else if (mine.length > 0) ft.release(mine.shift()!);
        }
        let bound = 0;
        for (const p of peak.values()) bound += p + 7;
        expect(ft.highWater).toBeLessThanOrEqual(bound);
        // reserve() with the same counts: room enough that none of the above would have grown the table.
        const reserved = new FlowTable();
        reserved.reserve([...peak.values()].reduce((a, b) => a + b, 0), 6);
        expect(reserved.work.length).toBeGreaterThanOrEqual(ft.highWater);
      }),
    );
  });
});
