import { describe, expect, it } from "vitest";
import { mm1 } from "./mm1.js";

/** Long validation runs (`npm run test:validate`, which CI runs too): M/M/1 queues against theory. */
describe("queueing theory: M/M/1 through the simulator (long: npm run test:validate)", () => {
  for (const [rho, horizon, reps] of [
    [0.5, 100_000, 4],
    [0.8, 250_000, 6],
  ] as const) {
    it(`rho = ${rho}: mean turnaround within 5% of E[S]/(1 - rho); Little's law within 3%`, () => {
      const r = mm1(rho, horizon, reps);
      expect(r.arrived).toBeGreaterThan(rho * horizon * 0.95);
      expect(Math.abs(r.turnaround - r.expected) / r.expected).toBeLessThan(0.05);
      const little = r.lambda * r.turnaround;
      expect(Math.abs(r.inSystem - little) / little).toBeLessThan(0.03);
    });
  }
});
