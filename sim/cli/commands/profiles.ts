/**
 * `densim profiles`: the built-in isolation profiles, every parameter and the source of its
 * default; `--source KEY` prints that source's entry of docs/calibration.md.
 */
import type { Argv } from "yargs";
import type { Distribution } from "../../engine/index.js";
import type { Profile } from "../../model/index.js";
import { formatBytes, formatDuration, formatMoney, formatRatio, formatShare, formatValue, sigFigs } from "../../report/format.js";
import { UsageError } from "../io.js";

/** "568 ms", or "lognormal: mean 5 s, sd 1.5 s": every parameter through the one formatter. */
function fmtDist(d: Distribution): string {
  if (d.dist === "constant") return formatDuration(d.value);
  const params = Object.entries(d)
    .filter(([k]) => k !== "dist")
    .map(([k, v]) => {
      const one = (x: unknown): string => (typeof x === "number" ? (k === "weights" ? sigFigs(x) : formatDuration(x)) : String(x));
      return `${k} ${Array.isArray(v) ? `[${v.map(one).join(", ")}]` : one(v)}`;
    });
  return `${d.dist}: ${params.join(", ")}`;
}

function parameters(p: Profile): [string, string][] {
  const r = p.running;
  const running: [string, string][] = [
    ["running.interference.memoryBandwidth", sigFigs(r.interference.memoryBandwidth)],
    ["running.interference.disk", sigFigs(r.interference.disk)],
  ];
  if (p.kind === "vm" || p.kind === "microvm")
    running.push(["running.cpuTax", formatShare(r.cpuTax)], ["running.ioEfficiency", sigFigs(r.ioEfficiency)]);
  if (r.daemonCpuCores > 0) running.push(["running.daemonCpu", formatValue(r.daemonCpuCores, "cores")]);
  return [...kindParameters(p), ...running];
}

function kindParameters(p: Profile): [string, string][] {
  switch (p.kind) {
    case "bare":
      return [["create", fmtDist(p.create)]];
    case "container":
      return [
        ["engine.memory", formatBytes(p.engine.memoryBytes)],
        ["shim.memory", formatBytes(p.shim.memoryBytes)],
        ["maxConcurrentDownloads", String(p.maxConcurrentDownloads)],
        ["extract.rate", `${formatBytes(p.extract.rateBytesPerS)}/s per core`],
        ["extract.expansion", formatRatio(p.extract.expansion)],
        ["create", fmtDist(p.create)],
      ];
    case "vm":
    case "microvm":
      return [
        ["guestOs.family", p.guestOs.family],
        ["guestOs.memory", formatBytes(p.guestOs.memoryBytes)],
        ["guestOs.idleCpu", formatValue(p.guestOs.idleCpuCores, "cores")],
        ["hypervisor.perVm", formatBytes(p.hypervisor.perVmBytes)],
        ["hypervisor.perVcpu", formatBytes(p.hypervisor.perVcpuBytes)],
        ["hypervisor.perGuestMemory", `${formatShare(p.hypervisor.perGuestMemory)} of guest memory`],
        ["hypervisor.perHost", formatBytes(p.hypervisor.perHostBytes)],
        ["provision.copy", formatBytes(p.provision.copyBytes)],
        ["boot.delay", fmtDist(p.boot.delay)],
        ["boot.work", `${fmtDist(p.boot.work)} of one core`],
        ["boot.read", formatBytes(p.boot.readBytes)],
        ["guestInit", `${fmtDist(p.guestInit)} of one core`],
      ];
  }
}

/** The source of a parameter: its own entry, else its group's (`hypervisor` for `hypervisor.perVm`). */
function sourceOf(p: Profile, param: string): string {
  const parts = param.split(".");
  const s = p.sources[param] ?? p.sources[parts.slice(0, 2).join(".")] ?? p.sources[parts[0] as string];
  return s ? `${s.key}: ${s.note}` : "";
}

/** One source's entry of docs/calibration.md; an unknown key is a usage error naming the known ones. */
async function printSource(key: string): Promise<void> {
  const { readCalibration } = await import("../calibration.js");
  const entries = readCalibration();
  const entry = entries.get(key);
  if (entry === undefined) {
    const { editDistance } = await import("../../experiment/metric-catalog.js");
    const known = [...entries.keys()];
    const near = known
      .map((k) => ({ k, d: editDistance(key.toLowerCase(), k.toLowerCase()) }))
      .filter((c) => c.d <= Math.max(2, Math.floor(key.length / 3)))
      .sort((a, b) => a.d - b.d || (a.k < b.k ? -1 : 1));
    const hint = near.length > 0 ? ` (did you mean ${near[0]?.k}?)` : "";
    throw new UsageError(`--source: unknown source key ${JSON.stringify(key)}${hint}; known: ${known.join(", ")}`);
  }
  process.stdout.write(`${entry}\n`);
}

export const profilesCommand = {
  command: "profiles",
  describe: "List built-in isolation profiles, their parameters and the source of each default",
  builder: (y: Argv) =>
    y
      .option("json", { type: "boolean", default: false, describe: "As JSON" })
      .option("source", { type: "string", describe: "Print one source's entry of docs/calibration.md, e.g. --source xavier13" }),
  handler: async (args: { json: boolean; source?: string }): Promise<void> => {
    if (args.source !== undefined) return printSource(args.source);
    const { PROFILES } = await import("../../model/index.js");
    if (args.json) {
      process.stdout.write(`${JSON.stringify(PROFILES, null, 2)}\n`);
      return;
    }
    const out: string[] = [];
    for (const p of PROFILES) {
      out.push(`${p.name} (${p.kind}): ${p.description}`);
      const rows = parameters(p);
      const w = Math.max(...rows.map(([k]) => k.length));
      const wv = Math.max(...rows.map(([, v]) => v.length));
      for (const [k, v] of rows) out.push(`  ${k.padEnd(w)}  ${v.padEnd(wv)}  ${sourceOf(p, k)}`.trimEnd());
      out.push("");
    }
    const { formatPresets } = await import("../../cost/index.js");
    out.push("Licence presets (scenario: licenses: [ { preset: NAME, ...overrides } ])", "", formatPresets(formatMoney), "");
    out.push("Sources are keys of docs/calibration.md ('judgement' marks a default without a published figure);");
    out.push("densim profiles --source KEY prints one source: the experiment, its conditions and its limits.");
    process.stdout.write(`${out.join("\n")}\n`);
  },
};
