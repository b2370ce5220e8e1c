/** A run merged from host groups against the whole run (host-groups tests): settings, and the comparison. */
import { expect } from "vitest";
import type { RunConfig, RunOutput } from "../../sim/experiment/index.js";
import type { scenario } from "./scenario.js";

/** A run's settings for a test scenario: 30 samples, every record and host row kept. */
export function configOf(s: ReturnType<typeof scenario>): RunConfig {
  return { seed: s.scenario.seed, horizonS: s.scenario.horizon, policy: s.scenario.placement.policy, sampleStepS: s.scenario.horizon / 30, hostRows: true, records: true };
}

/** Each host's index in the whole run, by name. */
export function hostIndex(out: RunOutput, names: readonly string[]): Int32Array {
  const at = new Map(names.map((n, k) => [n, k]));
  return Int32Array.from(out.instances, (r) => (r.host === undefined ? -1 : at.get(r.host)!));
}

/** Within a relative 1e-12 of `b` (figures a grouped run adds up group by group), or both absent. */
function expectClose(a: number | undefined, b: number | undefined, what: string): void {
  if (a === undefined || b === undefined || a === b) {
    expect(a, what).toBe(b);
    return;
  }
  expect(Math.abs(a - b), what).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(a), Math.abs(b)));
}

/** `grouped` is `whole`: every service's record, host's row and count to the bit, the sums within 1e-12. */
export function expectSameRun(grouped: RunOutput, whole: RunOutput): void {
  expect(grouped.instances).toEqual(whole.instances);
  expect(grouped.rejections).toEqual(whole.rejections);
  expect(grouped.hostInstances).toEqual(whole.hostInstances);
  expect(Object.keys(grouped.metrics)).toEqual(Object.keys(whole.metrics));
  for (const [k, v] of Object.entries(whole.metrics)) expectClose(grouped.metrics[k as keyof typeof whole.metrics], v, k);
  expect(Object.keys(grouped.apps)).toEqual(Object.keys(whole.apps));
  for (const [app, m] of Object.entries(whole.apps)) {
    expect(Object.keys(grouped.apps[app]!)).toEqual(Object.keys(m));
    for (const [k, v] of Object.entries(m)) expectClose(grouped.apps[app]![k as keyof typeof m], v, `${app}.${k}`);
  }
  expect(grouped.costItems.map((c) => [c.kind, c.name, c.detail])).toEqual(whole.costItems.map((c) => [c.kind, c.name, c.detail]));
  grouped.costItems.forEach((c, k) => expectClose(c.monthly, whole.costItems[k]!.monthly, c.name));
  expect(grouped.digest.latencies).toEqual(whole.digest.latencies);
  expect(grouped.digest.slowdowns).toEqual(whole.digest.slowdowns);
  expect(grouped.digest.ready).toEqual(whole.digest.ready);
  const g = grouped.samples!;
  const w = whole.samples!;
  expect([g.timesS, g.hosts, g.columns, g.used, g.cores, g.rows, g.memoryBytes, g.oomKillTimesS]).toEqual([w.timesS, w.hosts, w.columns, w.used, w.cores, w.rows, w.memoryBytes, w.oomKillTimesS]);
  expect(g.startup.timesS).toEqual(w.startup.timesS);
  for (const [j, totals] of w.totals.entries()) totals.forEach((v, c) => expectClose(g.totals[j]![c], v, `totals[${j}][${c}]`));
  for (const [j, totals] of w.startup.totals.entries()) totals.forEach((v, c) => expectClose(g.startup.totals[j]![c], v, `startup.totals[${j}][${c}]`));
}
