/**
 * `densim profiles`: the built-in isolation profiles, every parameter and the source of its
 * default; `--source KEY` prints that source's entry of docs/calibration.md.
 */
import type { Argv } from "yargs";
import { formatMoney } from "../../report/format.js";
import { UsageError } from "../io.js";

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
    throw new UsageError(`--source: expected a known source key${hint} (known: ${known.join(", ")}), found ${JSON.stringify(key)}`);
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
    const { PROFILES, PROFILE_ALIASES, MODE_DEFAULT_SOURCES, profileParameters } = await import("../../model/index.js");
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
    for (const [name, a] of Object.entries(PROFILE_ALIASES)) out.push(`${name} (${a.kind}): an old name of ${a.profile}, kept so existing scenarios run`);
    out.push("");
    out.push("Mode settings when a scenario sets none (modes.<mode>.<setting>)");
    const w = Math.max(...MODE_DEFAULT_SOURCES.map((d) => d.path.length));
    const wv = Math.max(...MODE_DEFAULT_SOURCES.map((d) => d.value.length));
    const wk = Math.max(...MODE_DEFAULT_SOURCES.map((d) => d.kinds.join(", ").length));
    for (const d of MODE_DEFAULT_SOURCES)
      out.push(`  ${d.path.padEnd(w)}  ${d.value.padEnd(wv)}  ${d.kinds.join(", ").padEnd(wk)}  ${d.source.key}: ${d.source.note}`);
    out.push("");
    const { formatPresets } = await import("../../cost/index.js");
    out.push("Licence presets (scenario: licenses: [ { preset: NAME, ...overrides } ])", "", formatPresets(formatMoney), "");
    out.push("Sources are keys of docs/calibration.md ('judgement' marks a default without a published figure);");
    out.push("densim profiles --source KEY prints one source: the experiment, its conditions and its limits.");
    process.stdout.write(`${out.join("\n")}\n`);
  },
};
