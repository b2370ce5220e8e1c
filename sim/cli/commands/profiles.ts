/** `densim profiles`: the built-in isolation profiles, every parameter and the source of its default. */
import type { Argv } from "yargs";

export const profilesCommand = {
  command: "profiles",
  describe: "List built-in isolation profiles, their parameters and the source of each default",
  builder: (y: Argv) => y.option("json", { type: "boolean", default: false, describe: "As JSON" }),
  handler: async (args: { json: boolean }): Promise<void> => {
    const { PROFILES, MODE_DEFAULT_SOURCES, profileParameters } = await import("../../model/index.js");
    if (args.json) {
      process.stdout.write(`${JSON.stringify(PROFILES, null, 2)}\n`);
      return;
    }
    const out: string[] = [];
    for (const p of PROFILES) {
      out.push(`${p.name} (${p.kind}): ${p.description}`);
      const rows = profileParameters(p);
      const w = Math.max(...rows.map((r) => r.parameter.length));
      const wv = Math.max(...rows.map((r) => r.value.length));
      for (const r of rows) out.push(`  ${r.parameter.padEnd(w)}  ${r.value.padEnd(wv)}  ${r.source}`.trimEnd());
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
