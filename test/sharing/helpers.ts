/** Test helpers for sharing: run closures at simulated times, and record completions. */
import type { Simulation } from "../../sim/engine/index.js";

/** Returns `at(t, fn)`, which runs fn when the simulation reaches time t. */
export function timeline(sim: Simulation): (t: number, fn: () => void) => void {
  const actions: (() => void)[] = [];
  const kind = sim.register((i) => actions[i]!());
  return (t, fn) => {
    sim.at(t, kind, actions.push(fn) - 1);
  };
}

/** Expects |actual - expected| <= tol * max(1, |expected|), or both the same infinity (a denormal cap's completion overflows usage). */
export function near(actual: number, expected: number, tol: number = 1e-9): boolean {
  return actual === expected || Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
}
