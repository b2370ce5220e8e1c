/** `densim profiles`: the built-in isolation profiles, every parameter and the source of its default. */
import type { Argv } from "yargs";
import type { Distribution } from "../../engine/index.js";
import type { Profile } from "../../model/index.js";

const MiB = 2 ** 20;

const fmtDist = (d: Distribution): string => (d.dist === "constant" ? `${d.value} s` : JSON.stringify(d));

function parameters(p: Profile): [string, string][] {
  const r = p.running;
  const running: [string, string][] = [
    ["running.interference.memoryBandwidth", String(r.interference.memoryBandwidth)],
    ["running.interference.disk", String(r.interference.disk)],
  ];
  if (p.kind === "vm" || p.kind === "microvm")
    running.push(["running.cpuTax", `${r.cpuTax * 100}%`], ["running.ioEfficiency", String(r.ioEfficiency)]);
  if (r.daemonCpuCores > 0) running.push(["running.daemonCpu", `${r.daemonCpuCores} cores`]);
  return [...kindParameters(p), ...running];
}

function kindParameters(p: Profile): [string, string][] {
  const mib = (b: number): string => `${Number((b / MiB).toFixed(3))} MiB`;
  switch (p.kind) {
    case "bare":
      return [["create", fmtDist(p.create)]];
    case "container":
      return [
        ["engine.memory", mib(p.engine.memoryBytes)],
        ["shim.memory", mib(p.shim.memoryBytes)],
        ["maxConcurrentDownloads", String(p.maxConcurrentDownloads)],
        ["extract.rate", `${p.extract.rateBytesPerS / 1e6} MB/s per core`],
        ["extract.expansion", `${p.extract.expansion}x`],
        ["create", fmtDist(p.create)],
      ];
    case "vm":
    case "microvm":
      return [
        ["guestOs.family", p.guestOs.family],
        ["guestOs.memory", mib(p.guestOs.memoryBytes)],
        ["guestOs.idleCpu", `${p.guestOs.idleCpuCores} cores`],
        ["hypervisor.perVm", mib(p.hypervisor.perVmBytes)],
        ["hypervisor.perVcpu", mib(p.hypervisor.perVcpuBytes)],
        ["hypervisor.perGuestMemory", String(p.hypervisor.perGuestMemory)],
        ["hypervisor.perHost", mib(p.hypervisor.perHostBytes)],
        ["provision.copy", mib(p.provision.copyBytes)],
        ["boot.delay", fmtDist(p.boot.delay)],
        ["boot.work", `${fmtDist(p.boot.work)} of one core`],
        ["boot.read", mib(p.boot.readBytes)],
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

export const profilesCommand = {
  command: "profiles",
  describe: "List built-in isolation profiles, their parameters and the source of each default",
  builder: (y: Argv) => y.option("json", { type: "boolean", default: false, describe: "As JSON" }),
  handler: async (args: { json: boolean }): Promise<void> => {
    const { PROFILES, MODE_DEFAULT_SOURCES } = await import("../../model/index.js");
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
    out.push("Mode settings when a scenario sets none (modes.<mode>.<setting>)");
    const w = Math.max(...MODE_DEFAULT_SOURCES.map((d) => d.path.length));
    const wv = Math.max(...MODE_DEFAULT_SOURCES.map((d) => d.value.length));
    const wk = Math.max(...MODE_DEFAULT_SOURCES.map((d) => d.kinds.join(", ").length));
    for (const d of MODE_DEFAULT_SOURCES)
      out.push(`  ${d.path.padEnd(w)}  ${d.value.padEnd(wv)}  ${d.kinds.join(", ").padEnd(wk)}  ${d.source.key}: ${d.source.note}`);
    out.push("");
    const { formatPresets } = await import("../../cost/index.js");
    out.push("Licence presets (scenario: licenses: [ { preset: NAME, ...overrides } ])", "", formatPresets(), "");
    out.push("Sources are keys of CALIBRATION.md; 'judgement' marks a default without a published figure.");
    process.stdout.write(`${out.join("\n")}\n`);
  },
};
