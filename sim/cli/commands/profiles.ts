/** `densim profiles`: the built-in isolation profiles, every parameter and the source of its default. */
import type { Argv } from "yargs";
import type { Profile } from "../../model/index.js";

const MiB = 2 ** 20;

function parameters(p: Profile): [string, string][] {
  const mib = (b: number): string => `${Number((b / MiB).toFixed(3))} MiB`;
  const lat = p.startLatency.dist === "constant" ? `${p.startLatency.value} s` : JSON.stringify(p.startLatency);
  const rows: [string, string][] = [["startLatency", lat]];
  if (p.kind === "container") rows.push(["engine.memory", mib(p.engine.memoryBytes)], ["shim.memory", mib(p.shim.memoryBytes)]);
  if (p.kind === "vm" || p.kind === "microvm") {
    rows.push(
      ["guestOs.family", p.guestOs.family],
      ["guestOs.memory", mib(p.guestOs.memoryBytes)],
      ["guestOs.idleCpu", `${p.guestOs.idleCpuCores} cores`],
      ["hypervisor.perVm", mib(p.hypervisor.perVmBytes)],
      ["hypervisor.perVcpu", mib(p.hypervisor.perVcpuBytes)],
      ["hypervisor.perGuestMemory", String(p.hypervisor.perGuestMemory)],
      ["hypervisor.perHost", mib(p.hypervisor.perHostBytes)],
    );
  }
  return rows;
}

/** The source of a parameter: its own entry, else its group's (`hypervisor` for `hypervisor.perVm`). */
function sourceOf(p: Profile, param: string): string {
  const s = p.sources[param] ?? p.sources[param.split(".")[0] as string];
  return s ? `${s.key}: ${s.note}` : "";
}

export const profilesCommand = {
  command: "profiles",
  describe: "List built-in isolation profiles, their parameters and the source of each default",
  builder: (y: Argv) => y.option("json", { type: "boolean", default: false, describe: "As JSON" }),
  handler: async (args: { json: boolean }): Promise<void> => {
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
    out.push("Sources are keys of CALIBRATION.md; 'judgement' marks a default without a published figure.");
    process.stdout.write(`${out.join("\n")}\n`);
  },
};
