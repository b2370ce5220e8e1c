/**
 * IdRuns (sim/sharing/id-runs.ts): every list reads back as the ascending list of the ids inserted and
 * not removed, whatever the interleaving of lists and the moves of full runs; removing an absent id is refused.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IdRuns } from "../../sim/sharing/id-runs.js";

function read(runs: IdRuns, l: number): number[] {
  return Array.from(runs.pool.subarray(runs.start(l), runs.start(l) + runs.length(l)));
}

describe("IdRuns", () => {
  it("keeps each list ascending, as a sorted model does", () => {
    const op = fc.record({ list: fc.nat(4), id: fc.nat(60), insert: fc.boolean() });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const runs = new IdRuns();
        const model: number[][] = [];
        for (let l = 0; l < 5; l++) {
          expect(runs.add()).toBe(l);
          model.push([]);
        }
        for (const { list, id, insert } of ops) {
          const m = model[list]!;
          const has = m.includes(id);
          if (insert) {
            if (has) continue;
            runs.insert(list, id);
            m.push(id);
            m.sort((a, b) => a - b);
          } else {
            expect(runs.remove(list, id)).toBe(has);
            if (has) m.splice(m.indexOf(id), 1);
          }
          for (let l = 0; l < 5; l++) expect(read(runs, l)).toEqual(model[l]);
        }
      }),
    );
  });
});
