import { describe, expect, it } from "vitest";
import type { Results } from "../../sim/experiment/results.js";
import { comparisonModel } from "../../sim/report/comparison.js";
import { allCharts, maintenanceCharts } from "../../sim/report/charts/index.js";
import { maintenanceWindowRows } from "../../sim/report/charts/maintenance.js";
import { fixtureResults, summarize } from "./fixture.js";

/** The fixture with maintenance figures: `window` seconds per mode (undefined: none finished), 12 migrations in VM modes. */
function withMaintenance(window: (mode: string) => number | undefined): Results {
  const base = fixtureResults();
  const modes = Object.fromEntries(
    Object.entries(base.modes).map(([name, m]) => {
      const w = window(name);
      const vm = m.kind === "vm";
      const extra = {
        "maintenance.hostTime": summarize([4800, 4800]),
        "maintenance.window": summarize(w === undefined ? [] : [w, w]),
        "maintenance.migrations": summarize([vm ? 12 : 0, vm ? 12 : 0]),
        "maintenance.downtime": summarize([90, 90]),
      };
      return [name, { ...m, summary: { ...m.summary, ...extra } }];
    }),
  );
  return { ...base, modes };
}

describe("the maintenance-window chart", () => {
  it("is neither drawn nor listed as skipped without maintenance", () => {
    const charts = maintenanceCharts(fixtureResults());
    expect(charts).toHaveLength(0);
    expect(charts.skipped).toHaveLength(0);
    expect(allCharts(fixtureResults()).map((c) => c.name)).not.toContain("maintenance-window");
  });

  it("draws one bar per mode with a finished round, in minutes, labelled with migrations and downtime", () => {
    const results = withMaintenance(() => 4920);
    expect(allCharts(results).at(-1)?.name).toBe("maintenance-window");
    const rows = maintenanceWindowRows(results);
    expect(rows.map((r) => r.mode)).toEqual(Object.keys(results.modes));
    expect(rows[0]!.minutes).toBe(82);
    const vm = rows.find((r) => results.modes[r.mode]!.kind === "vm")!;
    expect(vm.label).toBe("1.37 h · 12 live migrations · instance downtime 1.5 min");
    const bare = rows.find((r) => results.modes[r.mode]!.kind === "bare")!;
    expect(bare.label).toBe("1.37 h · instance downtime 1.5 min");
  });

  it("says why when no round finished within the horizon", () => {
    const charts = maintenanceCharts(withMaintenance(() => undefined));
    expect(charts).toHaveLength(0);
    expect(charts.skipped.map((s) => s.reason)).toEqual(["no maintenance-window chart: no round of host patches finished within the horizon"]);
  });

  it("adds the maintenance rows and availability to the comparison table only with maintenance", () => {
    const plain = comparisonModel(fixtureResults()).rows.map((r) => r.metric);
    expect(plain.filter((m) => m.startsWith("maintenance.") || m === "availability")).toEqual([]);
    const rows = comparisonModel(withMaintenance(() => 4920)).rows.map((r) => r.metric);
    expect(rows).toEqual(expect.arrayContaining(["maintenance.window", "maintenance.migrations", "maintenance.downtime"]));
  });
});
