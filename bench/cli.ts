/**
 * The CLI's own speed (issue 11): the wall time of `densim --help`, `densim profiles`, `densim
 * validate scenarios/quickstart.yaml` and `densim run scenarios/quickstart.yaml --format json` (into
 * a temporary folder), each a fresh process started as a user starts it (`node dist/bin/densim.js`,
 * package.json's bin), five times: best and median. Never asserts.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../bin/densim.js", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TIMES = 5;

/** Wall seconds of `densim args` in a fresh process, TIMES times, sorted. */
function timed(args: readonly string[]): number[] {
  const walls: number[] = [];
  for (let k = 0; k < TIMES; k++) {
    const t0 = process.hrtime.bigint();
    const child = spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, encoding: "utf8" });
    const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
    if (child.status !== 0) throw new Error(`densim ${args.join(" ")}: exit ${child.status}\n${child.stderr}`);
    walls.push(wallS);
  }
  return walls.sort((a, b) => a - b);
}

export async function benchCli(): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), "densim-bench-cli-"));
  try {
    const cases: readonly (readonly string[])[] = [
      ["--help"],
      ["profiles"],
      ["validate", "scenarios/quickstart.yaml"],
      ["run", "scenarios/quickstart.yaml", "--format", "json", "--out", join(out, "report"), "--force"],
    ];
    const rows = ["| command | wall s best | wall s median |", "|---|---:|---:|"];
    for (const args of cases) {
      const walls = timed(args);
      const shown = args.map((a) => (a.startsWith(out) ? "DIR" : a)).join(" ");
      rows.push(`| \`densim ${shown}\` | ${walls[0]!.toFixed(2)} | ${walls[TIMES >> 1]!.toFixed(2)} |`);
    }
    rows.push("", `Each a fresh process (\`node dist/bin/densim.js ...\`, from start to exit), ${TIMES} times; \`run\` writes its report (results.json) into a temporary folder, DIR.`);
    return rows.join("\n");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
