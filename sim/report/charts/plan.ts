/**
 * The plan chart: one horizontal bar per mode, best first. For a host plan the bar is the cost per
 * month at the mode's planned size (its host count when the scenario prices nothing), labelled
 * with the size and the tightest objective's margin; for a `--vary` plan it is the boundary value,
 * labelled with where the objective stops holding. A mode with no passing size gets no bar and
 * says why. Pure: PlanResults in, Vega-Lite spec out.
 */
import type { TopLevelSpec } from "vega-lite";
import type { ModePlan, PlanObjective, PlanResults, Probe } from "../../experiment/plan.js";
import { textWidth } from "../fonts.js";
import { formatCount, formatMoney, formatShare, formatValue, plural } from "../format.js";
import { decidingText, probeSize } from "../plan.js";
import { CHART_CONFIG, FONT_FAMILY, INK, MUTED, modeColors } from "../theme.js";

export interface PlanBarRow {
  readonly mode: string;
  /** The bar's length: USD per month (host plan) or the parameter's value (vary); 0 for an infeasible mode. */
  readonly value: number;
  /** Bold, just past the bar: the amount. */
  readonly headline: string;
  /** Grey, after the headline: the size and the margin, or why nothing passed. */
  readonly note: string;
  readonly feasible: boolean;
}

const WIDTH = 640;
const BAND = 44;
const FONT_SIZE = 13;

/** The tightest objective at the answer as "startup.p95 22.1 s of 1 min (63% to spare)". */
function marginText(plan: PlanResults, m: ModePlan): string {
  const checks = m.margins ?? [];
  let best = -1;
  checks.forEach((c, k) => {
    if (c.relativeMargin === undefined) return;
    if (best < 0 || c.relativeMargin < (checks[best]?.relativeMargin ?? Infinity)) best = k;
  });
  if (best < 0) return checks.length > 0 ? `all ${plural(checks.length, "objective")} met` : "every instance placed";
  const o = plan.search.objectives[best] as PlanObjective;
  const c = checks[best] as NonNullable<ModePlan["margins"]>[number];
  const limit = o.op === "<=" ? "limit" : "floor";
  return `${o.metric} ${formatValue(c.judged as number, o.unit)} (${limit} ${formatValue(o.bound, o.unit)}, ${formatShare(c.relativeMargin as number)} margin)`;
}

export function planRows(plan: PlanResults): PlanBarRow[] {
  const hosts = plan.search.kind === "hosts";
  return plan.ranking.map((mode) => {
    const m = plan.modes[mode] as ModePlan;
    if (!m.feasible) {
      const p = plan.probes[m.probe] as Probe;
      const where = hosts ? `no size up to ${plural(plan.search.hi, "host")}` : `nowhere in ${plan.search.lo}..${plan.search.hi}`;
      return { mode, value: 0, headline: where, note: decidingText(plan, p), feasible: false };
    }
    if (hosts && !plan.priced) {
      // Unpriced: the bar is the host count, not a $0 cost.
      return { mode, value: m.value as number, headline: probeSize(plan, m.value as number, m.hostCounts), note: marginText(plan, m), feasible: true };
    }
    if (hosts) {
      const cost = m.cost?.mean ?? 0;
      return { mode, value: cost, headline: `${formatMoney(cost)} / month`, note: `${probeSize(plan, m.value as number, m.hostCounts)} · ${marginText(plan, m)}`, feasible: true };
    }
    const holds = m.holds ? `holds for ${m.holds[0]}..${m.holds[1]}` : "";
    return { mode, value: m.value as number, headline: `${plan.search.parameter} = ${formatCount(m.value as number)}`, note: `${holds} · ${marginText(plan, m)}`, feasible: true };
  });
}

export function planChart(plan: PlanResults): TopLevelSpec {
  const rows = planRows(plan);
  const hosts = plan.search.kind === "hosts";
  // The bars are USD only for a host plan of a priced scenario (planRows).
  const money = hosts && plan.priced;
  const colors = modeColors({ modes: Object.fromEntries(plan.ranking.map((m) => [m, { kind: plan.modes[m]?.kind ?? "" }])) });
  // Room past the longest bar for its labels: the x scale reaches beyond the data by their width.
  const labelPx = Math.max(0, ...rows.map((r) => Math.max(textWidth(r.headline, FONT_SIZE, true), textWidth(r.note, FONT_SIZE - 1)))) + 16;
  const barPx = Math.max(120, WIDTH - Math.min(labelPx, WIDTH - 120));
  const max = Math.max(0, ...rows.map((r) => r.value));
  const domainMax = max > 0 ? (max * WIDTH) / barPx : 1;
  const y = { field: "mode", type: "nominal" as const, sort: plan.ranking, title: null, axis: { labelFontSize: FONT_SIZE, labelFontWeight: "bold" as const, ticks: false, domain: false } };
  const x = {
    field: "value",
    type: "quantitative" as const,
    scale: { domain: [0, domainMax], nice: false },
    title: !hosts ? plan.search.parameter : money ? "USD per month at the planned size" : "hosts at the planned size",
    axis: { values: ticks(max), format: money ? "$,.0f" : ",d", grid: true, gridColor: "#e5e5e5" },
  };
  const objectives = plan.search.objectives.map((o) => o.text).join(", ");
  const basis = plan.search.strict ? "judged on the 95% CI's pessimistic end" : "judged on the mean";
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    config: CHART_CONFIG,
    title: {
      text: !hosts
        ? `${plan.search.parameter}: where the objectives hold`
        : money
          ? "Cost per month at the fewest hosts that meet the objectives"
          : "The fewest hosts that meet the objectives (no cost: the scenario prices nothing)",
      subtitle: [
        `${plan.scenario.name}: ${plan.scenario.title}`,
        `${objectives || "every instance placed"} · ${basis}`,
        `${plural(plan.replications, "replication")} per probe · seed ${plan.seed} · ${plural(plan.probes.length, "probe")} · best first`,
      ],
      anchor: "start",
      font: FONT_FAMILY,
    },
    width: WIDTH,
    height: { step: BAND },
    data: { values: rows.map((r) => ({ ...r })) },
    layer: [
      {
        mark: { type: "bar", height: BAND * 0.6 },
        encoding: {
          y,
          x,
          color: { field: "mode", type: "nominal", scale: { domain: colors.domain, range: colors.range }, legend: null },
          opacity: { condition: { test: "datum.feasible", value: 1 }, value: 0 },
        },
      },
      {
        mark: { type: "text", align: "left", baseline: "middle", dx: 6, dy: -8, fontWeight: "bold", fontSize: FONT_SIZE, color: INK },
        encoding: { y, x, text: { field: "headline" } },
      },
      {
        mark: { type: "text", align: "left", baseline: "middle", dx: 6, dy: 9, fontSize: FONT_SIZE - 1, color: MUTED },
        encoding: { y, x, text: { field: "note" } },
      },
    ],
  } as TopLevelSpec;
}

/** About five round ticks from 0 to `max`. */
function ticks(max: number): number[] {
  if (!(max > 0)) return [0];
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? raw);
  const out: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}
