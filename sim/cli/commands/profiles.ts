/** `densim profiles`: the built-in isolation profiles, every parameter and the source of its default. */
import type { Argv } from "yargs";

export const profilesCommand = {
  command: "profiles",
  describe: "List built-in isolation profiles, their parameters and the source of each default",
  builder: (y: Argv) => y.option("json", { type: "boolean", default: false, describe: "As JSON" }),
  handler: async (args: { json: boolean }): Promise<void> => {
    const { PROFILES, profileParameters } = await import("../../model/index.js");
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
    const { formatPresets } = await import("../../cost/index.js");
    out.push("Licence presets (scenario: licenses: [ { preset: NAME, ...overrides } ])", "", formatPresets(), "");
    out.push("Sources are keys of CALIBRATION.md; 'judgement' marks a default without a published figure.");
    process.stdout.write(`${out.join("\n")}\n`);
  },
};
