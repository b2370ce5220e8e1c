import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { removeAt } from "../../sim/model/remove-at.js";

describe("removeAt", () => {
  it("leaves exactly what splice(k, 1) leaves, in the same array (fast-check)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { minLength: 1, maxLength: 40 }), fc.nat(), (xs, pick) => {
        const k = pick % xs.length;
        const want = [...xs];
        want.splice(k, 1);
        const list = [...xs];
        removeAt(list, k);
        expect(list).toEqual(want);
      }),
    );
  });
});
