/**
 * OverheadFlows: rows in start order; stopping rows and dropping them (once half are stopped)
 * keeps the running ones' order and their handles valid, and sampling adds each running flow's
 * rate to its host's column exactly as one rate() call per flow would.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Simulation } from "../../sim/engine/index.js";
import { OverheadFlows, type OverheadHandle } from "../../sim/model/overhead-flows.js";
import { FluidSharing } from "../../sim/sharing/index.js";

describe("OverheadFlows", () => {
  it("keeps handles and sums right through stops and compaction", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.double({ min: 0.01, max: 2, noNaN: true })), { minLength: 1, maxLength: 400 }), (ops) => {
        const sim = new Simulation();
        const sharing = new FluidSharing(sim);
        const cpus = [0, 1, 2, 3].map(() => sharing.addResource(64));
        const flows = new OverheadFlows();
        const live: { h: OverheadHandle; flow: number; host: number }[] = [];
        for (const [host, stop, cores] of ops) {
          if (stop && live.length > 0) {
            // Stop the oldest running one, as guests of finished jobs go.
            const [gone] = live.splice(0, 1);
            expect(flows.flowOf(gone!.h)).toBe(gone!.flow);
            sharing.cancelFlow(gone!.flow);
            flows.stop(gone!.h);
            continue;
          }
          const flow = sharing.startFlow({ work: Infinity, uses: [{ resource: cpus[host]! }], cap: cores });
          live.push({ h: flows.add(flow, host), flow, host });
        }
        for (const l of live) expect(flows.flowOf(l.h)).toBe(l.flow);
        const width = 3;
        const out = new Float64Array(4 * width);
        flows.addRates(sharing, out, width, 2);
        const expected = new Float64Array(4 * width);
        for (const l of live) expected[l.host * width + 2]! += sharing.rate(l.flow);
        expect([...out]).toEqual([...expected]);
        expect(flows.count).toBeLessThanOrEqual(Math.max(2 * live.length, live.length + 65));
      }),
      { numRuns: 60 },
    );
  });
});

describe("OverheadFlows per host", () => {
  it("sums one host's flows as the bulk sample does, through stops, compaction and reused handles", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 9 }), fc.double({ min: 0.01, max: 2, noNaN: true })), { minLength: 1, maxLength: 400 }), (ops) => {
        const sim = new Simulation();
        const sharing = new FluidSharing(sim);
        const cpus = [0, 1, 2, 3].map(() => sharing.addResource(3));
        const flows = new OverheadFlows();
        const live: { h: OverheadHandle; flow: number }[] = [];
        for (const [host, pick, cores] of ops) {
          if (pick < 4 && live.length > 0) {
            // Stop any running one (its handle is handed out again).
            const [gone] = live.splice(pick % live.length, 1);
            sharing.cancelFlow(gone!.flow);
            flows.stop(gone!.h);
            continue;
          }
          const flow = sharing.startFlow({ work: Infinity, uses: [{ resource: cpus[host]! }], cap: cores });
          live.push({ h: flows.add(flow, host), flow });
        }
        for (const l of live) expect(flows.flowOf(l.h)).toBe(l.flow);
        const bulk = new Float64Array(4);
        flows.addRates(sharing, bulk, 1, 0);
        const byHost = new Float64Array(4);
        for (let h = 0; h < 4; h++) flows.addHostRates(sharing, h, byHost, h);
        expect([...byHost]).toEqual([...bulk]);
      }),
      { numRuns: 60 },
    );
  });
});
