/** Running fidelity against published figures (bench/validation-running.ts): each within its tolerance. */
import { describe, expect, it } from "vitest";
import { RUNNING_FIGURES } from "../../bench/validation-running.js";

describe("running figures against their sources", () => {
  it.each(RUNNING_FIGURES.map((f) => [`${f.quantity}: published ${f.published} (${f.source})`, f] as const))("%s", (_, f) => {
    const densim = f.compute();
    expect(Math.abs(densim - f.published) / f.published).toBeLessThanOrEqual(f.tolerance);
  });
});
