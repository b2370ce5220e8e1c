import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { drawnRows } from "../../sim/report/charts/common.js";

interface Row {
  readonly s: string;
  readonly x: number;
  readonly a: number;
  readonly b: number;
}

/** Series s's value of `field` at x, on the straight segments through `rows` (x inside their span). */
function lineAt(rows: readonly Row[], s: string, field: "a" | "b", x: number): number {
  const mine = rows.filter((r) => r.s === s);
  for (let k = 0; k < mine.length; k++) {
    const r = mine[k]!;
    if (r.x === x) return r[field];
    const next = mine[k + 1];
    if (next && r.x < x && x < next.x) return r[field] + ((next[field] - r[field]) * (x - r.x)) / (next.x - r.x);
  }
  throw new Error(`x ${x} outside series ${s}`);
}

/** Rows of series "p", "q", "r" interleaved, x rising within each, values from a few levels so runs repeat. */
const rowsArb = fc
  .array(fc.record({ s: fc.constantFrom("p", "q", "r"), a: fc.integer({ min: 0, max: 2 }), b: fc.integer({ min: 0, max: 1 }) }), { maxLength: 60 })
  .map((cells) => cells.map((c, i): Row => ({ ...c, x: i * 1.5 })));

describe("drawnRows", () => {
  it("leaves out exactly the rows inside a stretch where every field stays the same", () => {
    const rows: Row[] = [0, 0, 0, 1, 1, 1, 1, 0].map((a, i) => ({ s: "p", x: i, a, b: 0 }));
    expect(drawnRows(rows, (r) => r.s, ["a", "b"]).map((r) => r.x)).toEqual([0, 2, 3, 6, 7]);
    // A change in any field keeps the row.
    const other = rows.map((r) => (r.x === 1 ? { ...r, b: 1 } : r));
    expect(drawnRows(other, (r) => r.s, ["a", "b"]).map((r) => r.x)).toEqual([0, 1, 2, 3, 6, 7]);
    // Series are apart: a stretch of one series does not reach across another's rows.
    const two: Row[] = [
      { s: "p", x: 0, a: 1, b: 0 },
      { s: "q", x: 0, a: 5, b: 0 },
      { s: "p", x: 1, a: 1, b: 0 },
      { s: "q", x: 1, a: 6, b: 0 },
      { s: "p", x: 2, a: 1, b: 0 },
      { s: "q", x: 2, a: 6, b: 0 },
    ];
    expect(drawnRows(two, (r) => r.s, ["a"]).map((r) => `${r.s}${r.x}`)).toEqual(["p0", "q0", "q1", "p2", "q2"]);
    expect(drawnRows([], (r: Row) => r.s, ["a"])).toEqual([]);
  });

  it("draws the same straight segments through every row, keeps each series' ends and the order, and drops all it can", () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const kept = drawnRows(rows, (r) => r.s, ["a", "b"]);
        // A subsequence of the rows, in their order.
        let at = 0;
        for (const r of kept) {
          at = rows.indexOf(r, at);
          expect(at).toBeGreaterThanOrEqual(0);
          at += 1;
        }
        for (const s of ["p", "q", "r"]) {
          const all = rows.filter((r) => r.s === s);
          const mine = kept.filter((r) => r.s === s);
          if (all.length === 0) continue;
          expect(mine[0]).toBe(all[0]);
          expect(mine[mine.length - 1]).toBe(all[all.length - 1]);
          // The segments through the kept rows pass through every row, exactly.
          for (const r of all) for (const f of ["a", "b"] as const) expect(lineAt(kept, s, f, r.x)).toBe(r[f]);
          // Every kept inner row is needed: it differs from one of its neighbours in the series.
          for (let k = 1; k < all.length - 1; k++) {
            const same = (u: Row, v: Row): boolean => u.a === v.a && u.b === v.b;
            if (mine.includes(all[k]!)) expect(same(all[k]!, all[k - 1]!) && same(all[k]!, all[k + 1]!)).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
