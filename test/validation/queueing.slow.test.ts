import { describe, expect, it } from "vitest";
import { mm1 } from "./mm1.js";

describe("queueing theory: M/M/1 through the simulator (long: npm run test:validate)", () => {
  it("rho = 0.8: mean turnaround within 5% of E[S]/(1 - rho); Little's law within 3%", () => {
    const [rho, horizon, reps] = [0.8, 250_000, 6] as const;
    const r = mm1(rho, horizon, reps);
    expect(r.arrived).toBeGreaterThan(rho * horizon * 0.95);
    expect(Math.abs(r.turnaround - r.expected) / r.expected).toBeLessThan(0.05);
    const little = r.lambda * r.turnaround;
    expect(Math.abs(r.inSystem - little) / little).toBeLessThan(0.03);
  });
});
