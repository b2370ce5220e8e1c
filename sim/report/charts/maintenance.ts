/**
 * The maintenance-window figure: per mode, how long one round of host patches took from the first
 * drain to the last host back (mean over replications, with its 95% interval), labelled with the
 * live migrations it took and the instance downtime it caused.
 *
 * Contract: pure; reads only the results contract. Drawn only when the results have a window
 * (`maintenanceWindowReason` says why not otherwise).
 */

import type { TopLevelSpec } from "vega-lite";
import type { Results } from "../../experiment/results.js";
import { formatCount, formatDuration } from "../format.js";
import { INK, panelTitle } from "../theme.js";
import { colorEncoding, colorsFor, niceStep, onePanelFigure } from "./common.js";

export interface WindowRow {
  readonly mode: string;
  /** Minutes. */
  readonly minutes: number;
  readonly loMinutes: number;
  readonly hiMinutes: number;
  readonly label: string;
}

/** One row per mode with a finished maintenance round, in the results' mode order. */
export function maintenanceWindowRows(results: Results): WindowRow[] {
  return Object.entries(results.modes).flatMap(([mode, r]) => {
    const w = r.summary["maintenance.window"];
    if (!w || w.n === 0 || !Number.isFinite(w.mean)) return [];
    const migrations = r.summary["maintenance.migrations"]?.mean ?? 0;
    const down = r.summary["maintenance.downtime"]?.mean ?? 0;
    const parts = [formatDuration(w.mean)];
    if (migrations > 0) parts.push(`${formatCount(migrations)} live migration${migrations === 1 ? "" : "s"}`);
    parts.push(`instance downtime ${formatDuration(down)}`);
    const sure = w.n > 1 && Number.isFinite(w.lo) && Number.isFinite(w.hi);
    return [{ mode, minutes: w.mean / 60, loMinutes: (sure ? w.lo : w.mean) / 60, hiMinutes: (sure ? w.hi : w.mean) / 60, label: parts.join(" · ") }];
  });
}

/** Why there is no maintenance-window chart, or undefined when there is one. */
export function maintenanceWindowReason(results: Results): string | undefined {
  return maintenanceWindowRows(results).length > 0 ? undefined : "no maintenance-window chart: no round of host patches finished within the horizon";
}

export function maintenanceWindowChart(results: Results): TopLevelSpec {
  const rows = maintenanceWindowRows(results);
  const colors = colorsFor(
    results,
    rows.map((r) => r.mode),
  );
  const top = Math.max(...rows.map((r) => r.hiMinutes), 1e-9);
  // Room on the right for the labels: the axis runs to twice the longest bar.
  const step = niceStep(top * 2, 5);
  const domain: [number, number] = [0, Math.ceil((top * 2) / step) * step];
  const y = { field: "mode", type: "nominal" as const, title: null, sort: rows.map((r) => r.mode), axis: { labelFontWeight: "bold" as const } };
  const x = { type: "quantitative" as const, title: "Window, minutes (first drain to last host back; mean, 95% interval)", scale: { domain, nice: false } };
  return onePanelFigure(results, {
    title: panelTitle("Maintenance window per mode", "One round of rolling host patches; labels: live migrations and instance downtime from maintenance (summed, guest reboots included)"),
    width: 560,
    height: Math.max(60, 34 * rows.length),
    data: { values: rows.map((r) => ({ ...r })) },
    layer: [
      { mark: { type: "bar", height: 20 }, encoding: { y, x: { ...x, field: "minutes" }, color: colorEncoding("mode", colors) } },
      { mark: { type: "rule", color: INK }, encoding: { y, x: { ...x, field: "loMinutes" }, x2: { field: "hiMinutes" } } },
      { mark: { type: "text", align: "left", dx: 6, color: INK, fontSize: 12 }, encoding: { y, x: { ...x, field: "hiMinutes" }, text: { field: "label", type: "nominal" } } },
    ],
  });
}
