/**
 * `npm run validate`: runs every validation case (bench/validation.ts) and prints one table row
 * each: the quantity, the published figure, densim's, the relative error and the source. Exits 1
 * when a case misses its tolerance.
 */
import { formatDuration, formatShare, sigFigs } from "../sim/units/format.js";
import { VALIDATIONS, type Validation } from "./validation.js";
import { RUNNING_FIGURES } from "./validation-running.js";

/** Start-up, overhead, interference and queueing cases, then the running-fidelity figures (I/O, CPU tax, memory). */
const ALL: readonly Validation[] = [
  ...VALIDATIONS,
  ...RUNNING_FIGURES.map((f) => ({ quantity: f.quantity, unit: "number" as const, published: f.published, tolerance: f.tolerance, source: f.source, measure: f.compute })),
];

function show(value: number, unit: Validation["unit"]): string {
  switch (unit) {
    case "s":
      return formatDuration(value);
    case "/s":
      return `${sigFigs(value)} /s`;
    case "MiB":
      return `${sigFigs(value, 4)} MiB`;
    case "×":
      return `${sigFigs(value, 4)}×`;
    case "number":
      return sigFigs(value, 4);
  }
}

const header = ["quantity", "published", "densim", "error", "tolerance", "", "source"];
const rows: string[][] = [];
let missed = 0;
for (const v of ALL) {
  const got = v.measure();
  const error = (got - v.published) / v.published;
  const ok = Math.abs(error) <= v.tolerance;
  if (!ok) missed++;
  rows.push([v.quantity, show(v.published, v.unit), show(got, v.unit), `${error >= 0 ? "+" : ""}${formatShare(error)}`, `±${formatShare(v.tolerance)}`, ok ? "ok" : "MISS", v.source]);
}
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] as string).length)));
// Numbers right-aligned, words left-aligned.
const right = new Set([1, 2, 3, 4]);
const line = (cells: readonly string[]): string =>
  cells
    .map((cell, c) => (right.has(c) ? cell.padStart(widths[c] as number) : cell.padEnd(widths[c] as number)))
    .join("  ")
    .trimEnd();
console.log(line(header));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const r of rows) console.log(line(r));
console.log();
console.log(missed === 0 ? `All ${ALL.length} figures within tolerance.` : `${missed} of ${ALL.length} figures outside tolerance.`);
process.exitCode = missed === 0 ? 0 : 1;
