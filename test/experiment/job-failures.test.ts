/** Jobs on a failed host, and on a host drained for its patch: lost, queued again, their work started over. */
import { describe, expect, it } from "vitest";
import { resolveWorkload, runOnce } from "../../sim/experiment/index.js";
import type { RunListener } from "../../sim/experiment/run.js";
import { scenario } from "../helpers/scenario.js";

/** 40-minute jobs every minute on two hosts; host h-1 fails at 30 min (back 10 min later), or is patched. */
function jobsOnTwoHosts(extra: Record<string, unknown>) {
  return scenario({
    version: 1,
    name: "job-loss",
    horizon: "2h",
    replications: 1,
    hosts: [{ type: "h", count: 2, cores: 8, memory: "32GiB" }],
    apps: [{ name: "etl", kind: "job", arrivals: { process: "interval", every: "60s", at: "0s" }, work: { dist: "constant", value: 2400 }, cpu: 1, memory: "1GiB" }],
    modes: { container: {}, vm: {} },
    ...extra,
  });
}

function run(extra: Record<string, unknown>) {
  const s = jobsOnTwoHosts(extra);
  const w = resolveWorkload(s.scenario, s.traces);
  return w.modes.map((mode) => {
    const lost: number[] = [];
    const done = new Map<number, number>();
    const listener: RunListener = (t, i, event) => {
      if (event === "lost") lost.push(i);
      if (event === "done") done.set(i, t);
    };
    const out = runOnce(w, mode, { seed: 1, horizonS: 7200, policy: "worst-fit" }, 0, listener);
    return { out, lost, done };
  });
}

describe("jobs lost with their host", () => {
  it("are counted, queued again after the detection delay and finish their whole work later", () => {
    for (const { out, lost, done } of run({ events: [{ at: "30m", fail: "h-1", repair: "10m" }] })) {
      expect(lost.length).toBeGreaterThan(0);
      expect(out.metrics["failures.jobsLost"]).toBe(lost.length);
      expect(out.metrics["failures.instancesLost"]).toBe(0);
      for (const i of lost) {
        // Its 2,400 core-seconds start over after the loss at 1,800 s: not done before 4,200 s.
        const t = done.get(i);
        if (t !== undefined) expect(t).toBeGreaterThan(1800 + 2400);
      }
      // Every job's record is there once, whatever happened to it.
      const jobs = out.instances.filter((r) => r.kind === "job");
      expect(new Set(jobs.map((r) => r.replica)).size).toBe(jobs.length);
    }
  });

  it("are evicted back to the queue by a host patch, not counted as failures", () => {
    for (const { out, lost } of run({ maintenance: { hostPatch: { every: "30d", duration: "20m", parallel: 1, start: "30m" } } })) {
      expect(lost.length).toBeGreaterThan(0);
      expect(out.metrics["failures.jobsLost"]).toBe(0);
      expect(out.metrics["maintenance.drained"]).toBeGreaterThanOrEqual(lost.length);
    }
  });
});
