/**
 * Slowdown factors on chart axes and labels: how densim writes one ("1.66×"), the linear axis
 * the contention charts share, starting at 1× (unaffected), and the layers drawn at 1× on it.
 *
 * Contract: pure functions of their arguments. Tick values are exact numbers the axis is given as
 * `values`; `labelExpr` writes each as `formatRatio` (sim/report/format.ts) does.
 */

import { INK, MUTED } from "../theme.js";
import { formatRatio } from "../format.js";
import { niceStep } from "./common.js";
import { tickLabelExpr } from "./time.js";

/** The axis never ends below this, so a 4% slowdown does not fill the plot and look dramatic. */
export const MIN_FACTOR_END = 1.25;

/** A slowdown as densim writes every factor: `formatRatio` ("1.00×", "1.66×", "12.3×", "150×"). */
export const formatFactor = formatRatio;

export interface FactorAxis {
  /** Scale domain, [1, end]. */
  readonly domain: readonly [number, number];
  /** Tick values, ascending, starting at 1. */
  readonly ticks: readonly number[];
  /** A Vega expression turning a tick's `datum.value` into its label, as `formatRatio` writes it: "1.00×", "1.50×". */
  readonly labelExpr: string;
}

/**
 * A linear factor axis from 1 to at least `max` (and at least `MIN_FACTOR_END`), ending on a
 * tick: ticks at 1 and at the multiples of a 1-2-2.5-5 step above it (one too close to 1 left
 * out, so "1×" and "2×" not "1×" and "1.2×" crowd at a 0.5 step from 1.2).
 */
export function factorAxis(max: number, intervals = 5): FactorAxis {
  const top = Math.max(MIN_FACTOR_END, Number.isFinite(max) ? max : 1);
  const step = niceStep(top - 1, intervals);
  const end = Number((Math.ceil(top / step - 1e-9) * step).toPrecision(12));
  const ticks = [1];
  for (let k = Math.ceil(1 / step + 1e-9); k * step <= end * (1 + 1e-12); k += 1) {
    const tick = Number((k * step).toPrecision(12));
    if (tick - 1 >= 0.4 * step) ticks.push(tick);
  }
  return { domain: [1, end], ticks, labelExpr: tickLabelExpr(ticks, ticks.map(formatRatio), false) };
}

/**
 * The factor axis for `width` pixels on which every item's label, drawn `labelPx` pixels wide
 * right of its value, stays inside the plot.
 */
export function factorAxisFitting(items: readonly { readonly value: number; readonly labelPx: number }[], width: number): FactorAxis {
  let need = 1;
  for (const { value, labelPx } of items) {
    if (!Number.isFinite(value)) continue;
    const room = Math.max(width / 2, width - labelPx);
    need = Math.max(need, 1 + ((Math.max(1, value) - 1) * width) / room);
  }
  return factorAxis(need);
}

/** The 1× reference (unaffected): a rule across the plot at 1 on `x`, the chart's factor x encoding. */
export function unaffectedRuleLayer<X extends object>(x: X) {
  return {
    data: { values: [{ at: 1 }] },
    mark: { type: "rule" as const, color: INK, strokeWidth: 1.5 },
    encoding: { x: { ...x, field: "at" } },
  };
}

/** Muted notes just right of 1×, in the bands of modes without a value: each row's `label`. */
export function noDataLayer<Y, X extends object>(rows: readonly object[], y: Y, x: X, fontSize: number) {
  return {
    data: { values: rows.map((row) => ({ ...row, at: 1 })) },
    mark: { type: "text" as const, align: "left" as const, baseline: "middle" as const, dx: 8, fontSize, color: MUTED },
    encoding: { y, x: { ...x, field: "at" }, text: { field: "label", type: "nominal" as const } },
  };
}
