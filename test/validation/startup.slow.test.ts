/**
 * The 1,000-Firecracker-microVM storm against its source (firecracker-nsdi20, docs/calibration.md):
 * a long run, so in `npm run test:validate` (which CI runs too), not `npm test`.
 */
import { describe, expect, it } from "vitest";
import { VALIDATIONS, firecrackerStorm } from "../../bench/validation.js";

describe("the 1,000-microVM storm (long: npm run test:validate)", () => {
  it.each(VALIDATIONS.filter((v) => v.source === "firecracker-nsdi20").map((v) => [v.quantity, v] as const))("%s within its tolerance", (_, v) => {
    const got = v.measure();
    expect(Math.abs(got - v.published) / v.published).toBeLessThanOrEqual(v.tolerance);
  });

  it("1,000 microVMs at once: ready one after another over seconds, not all at once; far below the 440/s the boot CPU alone would allow", () => {
    const [run] = firecrackerStorm(1000, 36, 1);
    const rate = 1000 / run!.metrics["startup.allReady"]!;
    expect(rate).toBeGreaterThan(112.5);
    expect(rate).toBeLessThan(187.5);
    expect(run!.metrics["startup.p50"]!).toBeLessThan(run!.metrics["startup.max"]! - 0.1);
  });
});
