/**
 * A plan as text for the terminal: one line per probe as it runs (mode, size, verdict, the
 * deciding figure) and the answer per mode, ranked. Reads only the plan's results.
 */
import type { ModePlan, PlanFrame, PlanObjective, PlanResults, Probe } from "../experiment/plan.js";
import { PRICE_FIELDS } from "../scenario/priced.js";
import { formatCount, formatMoney, formatSummary, formatValue, plural } from "./format.js";

/** `3 hosts`, `5 hosts (3 r650 + 2 r750)`, or `apps.web.replicas=37`. */
export function probeSize(plan: PlanFrame, value: number, hostCounts?: readonly number[]): string {
  if (plan.search.kind === "vary") return `${plan.search.parameter}=${value}`;
  const types = plan.search.hostTypes ?? [];
  const size = plural(value, "host");
  if (types.length <= 1 || !hostCounts) return size;
  return `${size} (${hostCounts.map((c, k) => `${c} ${types[k]?.type ?? ""}`).join(" + ")})`;
}

const opWord = (op: string, met: boolean): string => (met ? op : op === "<=" ? ">" : "<");

function objectiveText(o: PlanObjective, c: Probe["objectives"][number], strict: boolean): string {
  if (c.judged === undefined) return `${o.metric}: ${c.reason ?? "no figure"}`;
  const figure = strict ? `${formatValue(c.judged, o.unit)} (CI end)` : c.value ? formatSummary(c.value, o.unit) : formatValue(c.judged, o.unit);
  return `${o.metric} ${figure} ${opWord(o.op, c.met)} ${formatValue(o.bound, o.unit)}`;
}

/** Why a probe passed or failed: `placement: 8 of 120 rejected: ...`, `startup.p95 75 s > 1 min`, `tightest: ...`. */
export function decidingText(plan: PlanFrame, p: Probe): string {
  const d = p.deciding;
  if (d.kind === "placement") {
    const parts: string[] = [];
    if (p.placement.rejected > 0) {
      const reasons = p.placement.reasons.slice(0, 2).join("; ") + (p.placement.reasons.length > 2 ? "; ..." : "");
      parts.push(`${formatCount(p.placement.rejected)} of ${formatCount(p.placement.requested)} rejected${reasons ? `: ${reasons}` : ""}`);
    }
    if (p.placement.jobsNeverStarted > 0) parts.push(`${plural(p.placement.jobsNeverStarted, "job")} never started`);
    return `placement: ${parts.join("; ")}`;
  }
  if (d.kind === "placed") return `all ${formatCount(p.placement.requested)} instances placed`;
  const o = plan.search.objectives[d.index] as PlanObjective;
  const c = p.objectives[d.index] as Probe["objectives"][number];
  return `${p.pass ? "tightest: " : ""}${objectiveText(o, c, plan.search.strict)}`;
}

/** One probe as a line: `  container  3 hosts  pass  tightest: startup.p95 22.1 s <= 1 min`. */
export function probeLine(plan: PlanFrame, p: Probe, modeWidth: number): string {
  return `  ${p.mode.padEnd(modeWidth)}  ${probeSize(plan, p.value, p.hostCounts).padEnd(plan.search.kind === "vary" ? 0 : 9)}  ${p.pass ? "pass" : "FAIL"}  ${decidingText(plan, p)}`;
}

/** What the plan looks for, in one sentence. */
export function planHeading(plan: PlanFrame): string {
  const n = plan.search.objectives.length;
  const objectives = n === 0 ? "" : ` and meet ${n === 1 ? `${plan.search.objectives[0]?.text}` : `${n} objectives`}`;
  const basis = plan.search.strict ? "on the pessimistic end of each 95% CI" : "on the mean";
  const reps = `${plural(plan.replications, "replication")} per probe`;
  if (plan.search.kind === "hosts") {
    const types = (plan.search.hostTypes ?? []).map((t) => t.type).join(" + ");
    return `${plan.scenario.name}: the fewest ${types} hosts per mode (1 to ${plan.search.hi}) that place every instance${objectives} (judged ${basis}; ${reps})`;
  }
  return `${plan.scenario.name}: ${plan.search.parameter} from ${plan.search.lo} to ${plan.search.hi}: where every instance is placed${objectives} (judged ${basis}; ${reps})`;
}

/** The answer per mode, best first, and how to reproduce it. */
export function planTable(plan: PlanResults): string {
  const hosts = plan.search.kind === "hosts";
  // Unpriced, the cost column (3) would read $0 everywhere: it is left out and the table says why.
  const cells = (r: string[]): string[] => (plan.priced ? r : r.filter((_, c) => c !== 3));
  const header = cells(["rank", "mode", hosts ? "hosts" : plan.search.parameter, "cost / month", hosts ? "tightest objective at that size" : "holds for"]);
  let rank = 0;
  const rows = plan.ranking.map((name) => {
    const m = plan.modes[name] as ModePlan;
    const p = plan.probes[m.probe] as Probe;
    if (!m.feasible) {
      const where = hosts ? `no size up to ${plural(plan.search.hi, "host")}` : `nowhere in ${plan.search.lo}..${plan.search.hi}`;
      return cells(["-", name, "-", "-", `${where}: ${decidingText(plan, p)}`]);
    }
    rank++;
    const size = hosts ? probeSize(plan, m.value as number, m.hostCounts) : formatCount(m.value as number);
    const cost = m.cost ? formatMoney(m.cost.mean) : "-";
    const note = hosts ? (p.deciding.kind === "objective" ? decidingText(plan, p).replace(/^tightest: /, "") : decidingText(plan, p)) : `${m.holds?.[0]}..${m.holds?.[1]}${m.failsAt !== null && m.failsAt !== undefined ? ` (${m.failsAt}: ${failText(plan, name, m.failsAt)})` : ""}`;
    return cells([String(rank), name, size, cost, note]);
  });
  const table = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...table.map((r) => (r[c] ?? "").length)));
  const right = new Set(plan.priced ? [2, 3] : [2]);
  const line = (r: readonly string[]): string =>
    r.map((v, c) => (c === r.length - 1 ? v : right.has(c) ? v.padStart(widths[c] as number) : v.padEnd(widths[c] as number))).join("  ").trimEnd();
  const best = plan.ranking.find((m) => plan.modes[m]?.feasible);
  const lines = [line(header), ...rows.map(line)];
  if (!plan.priced) lines.push("", `No cost: the scenario prices nothing (no ${PRICE_FIELDS}); ${hosts ? "modes are ranked by hosts" : "the ranking is by the parameter alone"}.`);
  if (best) {
    const m = plan.modes[best] as ModePlan;
    const overrides = [...plan.scenario.overrides.filter((o) => !/^(seed|replications)=/.test(o)), ...(m.sets ?? [])];
    lines.push("", `Reproduce ${best}: densim run ${plan.scenario.file} --mode ${best}${overrides.map((o) => ` --set ${o}`).join("")}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The deciding figure of the probe at `value` for `mode`. */
function failText(plan: PlanResults, mode: string, value: number): string {
  const p = plan.probes.find((q) => q.mode === mode && q.value === value);
  return p ? decidingText(plan, p) : "";
}
