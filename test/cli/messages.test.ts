/**
 * Every exit-2 message of the command line's own checks (flags, report folders, the lock) says
 * what was expected and what was found, like the scenario's issues: `densim: <where>: expected
 * ..., found ...`. In-process (runCli); none of these runs a simulation. yargs' own parse errors
 * keep yargs' wording (unknown option), but for a missing argument, said in densim's words.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { densimInProcess, ISSUE_LINE } from "../fuzz/harness.js";
import { tempFolders } from "../helpers/temp.js";

const freshDir = tempFolders("densim-msgs-");

const SCENARIO = `version: 1
name: msgs
horizon: 10m
replications: 1
hosts: [ { type: h, count: 2, cores: 16, memory: 64GiB } ]
apps:
  - { name: web, replicas: 4, cpu: 0.5, memory: 512MiB }
modes: { bare: {}, container: {} }
`;

/** A flag or folder message: `densim: [where: ]expected ..., found ...[; what to do]`. */
const CLI_LINE = /^densim: (?:.+?: )?expected .+, found \S.*$/;
const SUMMARY = /^densim: \d+ problems? found; nothing was run$/;

describe("exit-2 messages of the command line", () => {
  it("each says what was expected and what was found", async () => {
    const dir = freshDir();
    const file = join(dir, "msgs.yaml");
    writeFileSync(file, SCENARIO);
    const out = join(dir, "reports");
    // A folder densim did not write, where the report would go.
    mkdirSync(join(dir, "foreign", "msgs"), { recursive: true });
    writeFileSync(join(dir, "foreign", "msgs", "notes.md"), "mine");
    const vary = ["--vary", "apps.web.replicas=1,2"];
    const cases: string[][] = [
      ["run", file, "--seed", "-1"],
      ["run", file, "--replications", "0"],
      ["run", file, "--workers", "0"],
      ["run", file, "--format", "pdf"],
      ["run", file, file, "--name", "x"],
      ["run", file, "--name", "../x"],
      ["run", file, "--mode", "nosuch", "--out", out],
      ["run", file, file, "--out", out],
      ["run", file, "--out", file],
      ["run", file, "--out", join(dir, "foreign")],
      ["sweep", file, "--vary", "apps.web.replicas"],
      ["sweep", file, "--vary", "apps.web.replicas=1,1"],
      ["sweep", file, ...vary, "--vary", "apps.web.replicas=3,4"],
      ["sweep", file, ...vary, "--metric", "cost.monthly.licences", "--out", out],
      ["sweep", file, ...vary, "--format", "bogus"],
      ["sweep", file, ...vary, "--mode", "nosuch", "--out", out],
      ["sweep", file, ...vary, "--shard", "5/2"],
      ["plan", file, "--max-hosts", "0"],
      ["plan", file, "--vary", "apps.web.replicas"],
      ["plan", file, "--vary", "apps.web.replicas=1..4", "--max-hosts", "8"],
      ["plan", file, "--format", "pdf"],
      ["plan", file, "--mode", "nosuch", "--out", out],
      ["init", file],
      ["profiles", "--source", "xavier"],
      ["diff", join(dir, "nothing-here"), join(dir, "nothing-here")],
      ["explore", file, "--port", "70000"],
      ["validate", file, "--max-jobs", "-1"],
    ];
    for (const args of cases) {
      const o = await densimInProcess(args);
      expect(o.code, `densim ${args.join(" ")}\n${o.stderr}`).toBe(2);
      const lines = o.stderr.split("\n").filter((l) => l !== "");
      expect(lines.length, `densim ${args.join(" ")}`).toBeGreaterThan(0);
      for (const l of lines) expect(CLI_LINE.test(l) || SUMMARY.test(l) || ISSUE_LINE.test(l), `densim ${args.join(" ")}\n${l}`).toBe(true);
    }
    expect(existsSync(out)).toBe(false);
  });

  it("a command without its arguments says which it expected, and its usage", async () => {
    const cases: [string[], string][] = [
      [["run"], "densim: run: expected <scenario...>, found no argument; usage: densim run <scenario...> [options]"],
      [["diff", "a"], "densim: diff: expected <a> <b>, found 1 argument (missing <b>); usage: densim diff <a> <b> [options]"],
      [["merge"], "densim: merge: expected <dirs...>, found no argument; usage: densim merge <dirs...> [options]"],
    ];
    for (const [args, line] of cases) {
      const o = await densimInProcess(args);
      expect(o.code, `densim ${args.join(" ")}`).toBe(2);
      const first = o.stderr.split("\n")[0] ?? "";
      expect(first).toBe(line);
      expect(CLI_LINE.test(first)).toBe(true);
    }
  });
});
