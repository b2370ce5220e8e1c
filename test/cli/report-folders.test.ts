/**
 * End to end: report folders. densim replaces only the files its manifest lists, refuses folders
 * it did not write, names variants apart, and survives interrupts (the test-only
 * DENSIM_TEST_PAUSE_*_MS hooks make a signal land at a known step). What a command decides runs
 * in-process (densimHere, in the test's folder); signals and concurrent runs need the built CLI
 * as child processes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { densimHere, densimProcess, ensureBuilt, expectExit, expectNoStack, MAIN, ROOT, type Outcome } from "../helpers/cli.js";
import { tempFolders } from "../helpers/temp.js";
const QUICKSTART = join(ROOT, "scenarios", "quickstart.yaml");
const CONFLICTS = join(ROOT, "scenarios", "runtime-conflicts.yaml");
const LICENSING = join(ROOT, "scenarios", "windows-licensing.yaml");
const MANIFEST = ".densim-manifest.json";
const FAST = ["--replications", "1"];

const freshDir = tempFolders("densim-folders-");

const sha = (b: Buffer): string => createHash("sha256").update(b).digest("hex");

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.DENSIM_DEBUG;
  return env;
}

/** `densim ...args` in `cwd`, in this process. */
const densim = (args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Outcome> => densimHere(args, { cwd, env });


/** A CLI run in the background, and a promise of the moment it reaches a test pause. */
interface Background {
  child: ChildProcess;
  paused: Promise<void>;
  done: Promise<Omit<Outcome, "cwd"> & { signal: NodeJS.Signals | null }>;
}

function start(args: readonly string[], cwd: string, env: Record<string, string>): Background {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd, env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let onPause: () => void = () => {};
  const paused = new Promise<void>((resolve) => (onPause = resolve));
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
    if (stderr.includes("densim: test pause")) onPause();
  });
  const done = new Promise<Omit<Outcome, "cwd"> & { signal: NodeJS.Signals | null }>((resolve) => {
    child.on("close", (status, signal) => {
      onPause(); // a run that ends without pausing must not hang the test
      resolve({ status, signal, stdout, stderr });
    });
  });
  return { child, paused, done };
}

/** Every file in `dir` with the sha256 of its bytes, to compare a folder before and after. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    out[n] = statSync(p).isDirectory() ? "<dir>" : sha(readFileSync(p));
  }
  return out;
}

const densimLeftovers = (dir: string): string[] => readdirSync(dir).filter((n) => n.startsWith(".densim-") && n !== MANIFEST);
const withoutOwn = (s: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(s).filter(([n]) => !n.startsWith(".densim-")));

/** The manifest lists exactly the files it describes, each with its current sha256. */
function expectConsistent(dir: string): void {
  const m = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8")) as { files: { name: string; sha256: string; bytes: number }[] };
  for (const f of m.files) {
    const data = readFileSync(join(dir, f.name));
    expect(sha(data), f.name).toBe(f.sha256);
    expect(data.length, f.name).toBe(f.bytes);
  }
}

beforeAll(ensureBuilt);

describe("a rerun replaces only what densim wrote", () => {
  it("a user's file survives a rerun and a --format change; svgs and csvs of the earlier run go", async () => {
    const cwd = freshDir();
    const dir = join(cwd, "reports", "quickstart");
    expectExit(await densim(["run", QUICKSTART, ...FAST, "--format", "json,vl,svg,csv"], cwd), 0);
    const first = readdirSync(dir);
    expect(first).toEqual(expect.arrayContaining([MANIFEST, "results.json", "density.svg", "instances.csv", "density.vl.json"]));
    writeFileSync(join(dir, "notes.md"), "my notes\n");
    mkdirSync(join(dir, "slides"));
    writeFileSync(join(dir, "slides", "deck.txt"), "deck");

    // A rerun without svg: the user's files stay, the first run's svgs go (the manifest lists them, whatever the format).
    expectExit(await densim(["run", QUICKSTART, ...FAST, "--format", "json,vl,csv"], cwd), 0);
    expect(readFileSync(join(dir, "notes.md"), "utf8")).toBe("my notes\n");
    expect(readdirSync(dir).filter((f) => f.endsWith(".svg"))).toEqual([]);
    expect(readdirSync(dir)).toContain("instances.csv");

    const o = await densim(["run", QUICKSTART, ...FAST, "--format", "json,vl"], cwd);
    expectExit(o, 0);
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith(".svg") || f.endsWith(".csv"))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(["density.vl.json", "results.json", "notes.md", "slides", MANIFEST]));
    expect(readFileSync(join(dir, "notes.md"), "utf8")).toBe("my notes\n");
    expect(readFileSync(join(dir, "slides", "deck.txt"), "utf8")).toBe("deck");
    expect(densimLeftovers(dir)).toEqual([]);
    expectConsistent(dir);
    expect(o.stdout).toContain("Report in reports/quickstart/: results.json");
  });

  it("--out pointing at a folder with other things in it: they all stay", async () => {
    const cwd = freshDir();
    const out = join(cwd, "mine");
    mkdirSync(out);
    writeFileSync(join(out, "budget.xlsx"), "numbers");
    expectExit(await densim(["run", QUICKSTART, ...FAST, "--format", "json", "--out", out], cwd), 0);
    expectExit(await densim(["run", QUICKSTART, ...FAST, "--format", "json", "--out", out], cwd), 0);
    expect(readdirSync(out).sort()).toEqual(["budget.xlsx", "quickstart"]);
    expect(readFileSync(join(out, "budget.xlsx"), "utf8")).toBe("numbers");
  });
});

describe("a folder densim did not write", () => {
  it("is refused with exit 2 before anything runs, and left byte for byte as it was; --force adopts it", async () => {
    const cwd = freshDir();
    const dir = join(cwd, "reports", "quickstart");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "results.json"), "not densim's");
    writeFileSync(join(dir, "keep.txt"), "keep");
    const before = snapshot(dir);

    const o = await densim(["run", QUICKSTART, ...FAST], cwd);
    expectExit(o, 2);
    expect(o.stdout).toBe("");
    expect(o.stderr).toContain("reports/quickstart");
    expect(o.stderr).toContain("--force");
    expect(o.stderr).toMatch(/another --out or --name/);
    expectNoStack(o.stderr);
    expect(snapshot(dir)).toEqual(before);

    const forced = await densim(["run", QUICKSTART, ...FAST, "--format", "json", "--force"], cwd);
    expectExit(forced, 0);
    expect(readFileSync(join(dir, "keep.txt"), "utf8")).toBe("keep");
    expect(readFileSync(join(dir, "results.json"), "utf8")).toContain('"schemaVersion"');
    expectConsistent(dir);
    expectExit(await densim(["run", QUICKSTART, ...FAST, "--format", "json"], cwd), 0);
  });

  it("with two scenarios, a refused folder for the second runs neither", async () => {
    const cwd = freshDir();
    mkdirSync(join(cwd, "reports", "runtime-conflicts"), { recursive: true });
    writeFileSync(join(cwd, "reports", "runtime-conflicts", "x"), "x");
    expectExit(await densim(["run", QUICKSTART, CONFLICTS, ...FAST], cwd), 2);
    expect(existsSync(join(cwd, "reports", "quickstart"))).toBe(false);
  });
});

describe("folder names", () => {
  it("--set writes to <name>@<8 hex digits of the effective scenario hash>, beside the plain report", async () => {
    const cwd = freshDir();
    expectExit(await densim(["run", QUICKSTART, ...FAST, "--format", "json"], cwd), 0);
    const o = await densim(["run", QUICKSTART, ...FAST, "--format", "json", "--set", "apps.orders.replicas=10"], cwd);
    expectExit(o, 0);
    const variant = readdirSync(join(cwd, "reports")).filter((n) => n.startsWith("quickstart@"));
    expect(variant).toHaveLength(1);
    const name = variant[0] as string;
    const results = JSON.parse(readFileSync(join(cwd, "reports", name, "results.json"), "utf8")) as { scenario: { hash: string } };
    expect(name).toBe(`quickstart@${results.scenario.hash.slice(0, 8)}`);
    expect(o.stdout).toContain(`Report in reports/${name}/: `);
    const plain = JSON.parse(readFileSync(join(cwd, "reports", "quickstart", "results.json"), "utf8")) as { scenario: { hash: string } };
    expect(plain.scenario.hash).not.toBe(results.scenario.hash);

    // The same override again lands in the same folder; another value, in another.
    expectExit(await densim(["run", QUICKSTART, ...FAST, "--format", "json", "--set", "apps.orders.replicas=10"], cwd), 0);
    expectExit(await densim(["run", QUICKSTART, ...FAST, "--format", "json", "--set", "apps.orders.replicas=11"], cwd), 0);
    expect(readdirSync(join(cwd, "reports")).filter((n) => n.startsWith("quickstart@"))).toHaveLength(2);
  });

  it("--mode selections get folders of their own", async () => {
    const cwd = freshDir();
    const a = await densim(["run", QUICKSTART, ...FAST, "--format", "json", "--mode", "vm"], cwd);
    const b = await densim(["run", QUICKSTART, ...FAST, "--format", "json", "--mode", "container"], cwd);
    expectExit(a, 0);
    expectExit(b, 0);
    const names = readdirSync(join(cwd, "reports")).sort();
    expect(names).toHaveLength(2);
    for (const n of names) expect(n).toMatch(/^quickstart@[0-9a-f]{8}$/);
  });

  it("--name picks the folder; bad names and --name with two scenarios exit 2 and write nothing", async () => {
    const cwd = freshDir();
    const o = await densim(["run", QUICKSTART, ...FAST, "--format", "json", "--set", "apps.orders.replicas=10", "--name", "Q3 plan"], cwd);
    expectExit(o, 0);
    expect(existsSync(join(cwd, "reports", "Q3 plan", "results.json"))).toBe(true);
    expect(o.stdout).toContain("Report in reports/Q3 plan/: ");
    for (const bad of ["../escape", "a/b", "a\\b", "..", "", "x".repeat(101), "tab\there"]) {
      const r = await densim(["run", QUICKSTART, ...FAST, "--name", bad], cwd);
      expectExit(r, 2);
      expect(r.stderr).toContain("--name");
      expectNoStack(r.stderr);
    }
    const two = await densim(["run", QUICKSTART, CONFLICTS, ...FAST, "--name", "both"], cwd);
    expectExit(two, 2);
    expect(two.stderr).toContain("--name");
    expect(readdirSync(join(cwd, "reports"))).toEqual(["Q3 plan"]);
    expect(existsSync(join(cwd, "escape"))).toBe(false);
  });

  it("sweep: a user's file survives, --set gets its own folder, --name works", async () => {
    const cwd = freshDir();
    const sweep = ["sweep", LICENSING, "--vary", "apps.erp.replicas=20,22", "--metric", "cost.monthly.licenses", ...FAST, "--format", "json"];
    const base = "windows-licensing.sweep-apps.erp.replicas-cost.monthly.licenses";
    expectExit(await densim(sweep, cwd), 0);
    writeFileSync(join(cwd, "reports", base, "notes.md"), "mine");
    expectExit(await densim(sweep, cwd), 0);
    expect(readFileSync(join(cwd, "reports", base, "notes.md"), "utf8")).toBe("mine");
    const s = await densim([...sweep, "--set", "seed=7"], cwd);
    expectExit(s, 0);
    expect(readdirSync(join(cwd, "reports")).filter((n) => n.startsWith(`${base}@`))).toHaveLength(1);
    expectExit(await densim([...sweep, "--name", "erp-sweep"], cwd), 0);
    expect(existsSync(join(cwd, "reports", "erp-sweep", "sweep.json"))).toBe(true);
    expectExit(await densim([...sweep, "--name", "../x"], cwd), 2);
    // A run into the sweep's folder adds its files; each command replaces only its own.
    expectExit(await densim(["run", QUICKSTART, ...FAST, "--format", "json,vl", "--name", "erp-sweep"], cwd), 0);
    expectExit(await densim([...sweep, "--name", "erp-sweep"], cwd), 0);
    expect(readdirSync(join(cwd, "reports", "erp-sweep"))).toEqual(expect.arrayContaining(["sweep.json", "results.json", "density.vl.json"]));
  });
});

describe("interrupted runs", () => {
  /** A report to interrupt the rewriting of, with a user's file in it. */
  async function previousReport(): Promise<{ cwd: string; dir: string; before: Record<string, string> }> {
    const cwd = freshDir();
    const dir = join(cwd, "reports", "quickstart");
    expectExit(await densim(["run", QUICKSTART, ...FAST, "--format", "json"], cwd), 0);
    writeFileSync(join(dir, "notes.md"), "mine");
    return { cwd, dir, before: snapshot(dir) };
  }
  // A different seed, so that every new file differs from the old one.
  const rerun = ["run", QUICKSTART, ...FAST, "--seed", "7", "--format", "json,csv"];

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)("%s while files are written: exit %i, the previous report intact, no temporary files", async (signal, code) => {
    const { cwd, dir, before } = await previousReport();
    const bg = start(rerun, cwd, { DENSIM_TEST_PAUSE_BEFORE_COMMIT_MS: "60000" });
    await bg.paused;
    expect(readdirSync(dir).some((n) => n.startsWith(".densim-tmp-"))).toBe(true);
    bg.child.kill(signal);
    const o = await bg.done;
    expectExit(o, code);
    expect(o.stderr).toContain(`interrupted (${signal})`);
    expectNoStack(o.stderr);
    expect(snapshot(dir)).toEqual(before);
  });

  it("SIGINT during the commit lets it finish: exit 130, the new report complete", async () => {
    const { cwd, dir } = await previousReport();
    const bg = start(rerun, cwd, { DENSIM_TEST_PAUSE_BEFORE_MANIFEST_MS: "1000" });
    await bg.paused;
    bg.child.kill("SIGINT");
    const o = await bg.done;
    expectExit(o, 130);
    expect(o.stderr).toContain("complete");
    expect(densimLeftovers(dir)).toEqual([]);
    expectConsistent(dir);
    expect(readdirSync(dir)).toContain("instances.csv");
    expect(readFileSync(join(dir, "notes.md"), "utf8")).toBe("mine");
  });

  it.each(["DENSIM_TEST_PAUSE_BEFORE_COMMIT_MS", "DENSIM_TEST_PAUSE_BEFORE_MANIFEST_MS"])(
    "SIGKILL (at %s): every file is its old or new complete version; the next run cleans up",
    async (pause) => {
      const { cwd, dir, before } = await previousReport();
      const bg = start(rerun, cwd, { [pause]: "60000" });
      await bg.paused;
      bg.child.kill("SIGKILL");
      const o = await bg.done;
      expect(o.signal).toBe("SIGKILL");
      // What the interrupted run would have written, complete, for comparison.
      const whole = freshDir();
      expectExit(await densim(rerun, whole), 0);
      const after = snapshot(join(whole, "reports", "quickstart"));
      for (const [name, bytes] of Object.entries(snapshot(dir))) {
        if (name.startsWith(".densim-")) continue;
        expect([before[name], after[name]], name).toContain(bytes);
      }
      expect(readFileSync(join(dir, "notes.md"), "utf8")).toBe("mine");
      if (pause.includes("COMMIT")) expect(withoutOwn(snapshot(dir)), "before the commit nothing changed").toEqual(withoutOwn(before));

      const next = await densim(["run", QUICKSTART, ...FAST, "--format", "json"], cwd);
      expectExit(next, 0);
      expect(densimLeftovers(dir)).toEqual([]);
      expect(readdirSync(dir).filter((n) => n.endsWith(".csv"))).toEqual([]);
      expect(readFileSync(join(dir, "notes.md"), "utf8")).toBe("mine");
      expectConsistent(dir);
    },
  );
});

describe("concurrent runs of one report", () => {
  it("the second waits for the first's lock, and both end well", async () => {
    const cwd = freshDir();
    const dir = join(cwd, "reports", "quickstart");
    expectExit(await densim(["run", QUICKSTART, ...FAST, "--format", "json"], cwd), 0);
    // Chart specs (vl) rather than SVGs tell the two runs' files apart without rendering charts.
    const a = start(["run", QUICKSTART, ...FAST, "--format", "json,vl"], cwd, { DENSIM_TEST_PAUSE_BEFORE_COMMIT_MS: "1500" });
    await a.paused;
    const b = start(["run", QUICKSTART, ...FAST, "--format", "json,csv"], cwd, {});
    const [oa, ob] = await Promise.all([a.done, b.done]);
    expectExit(oa, 0);
    expectExit(ob, 0);
    expect(densimLeftovers(dir)).toEqual([]);
    expectConsistent(dir);
    // The second finished last: its csvs are there, the first's chart specs gone.
    expect(readdirSync(dir)).toContain("instances.csv");
    expect(readdirSync(dir).filter((n) => n.endsWith(".vl.json"))).toEqual([]);
  });

  it("a second run that cannot get the lock exits 2 cleanly and changes nothing", async () => {
    const cwd = freshDir();
    const dir = join(cwd, "reports", "quickstart");
    expectExit(await densim(["run", QUICKSTART, ...FAST, "--format", "json"], cwd), 0);
    const before = snapshot(dir);
    const a = start(["run", QUICKSTART, ...FAST, "--format", "json,vl"], cwd, { DENSIM_TEST_PAUSE_BEFORE_COMMIT_MS: "60000" });
    await a.paused;
    // The lock is taken when the report is written, after the run: no charts to render first.
    const b = densimProcess(["run", QUICKSTART, ...FAST, "--format", "json"], { cwd, env: { DENSIM_TEST_LOCK_WAIT_MS: "300" } });
    expectExit(b, 2);
    expect(b.stderr).toMatch(/found another densim \(pid \d+\) writing it/);
    expectNoStack(b.stderr);
    a.child.kill("SIGTERM");
    expectExit(await a.done, 143);
    expect(snapshot(dir)).toEqual(before);
  });

  it("two runs started together both end well or one exits 2; the report is consistent", async () => {
    const cwd = freshDir();
    const dir = join(cwd, "reports", "quickstart");
    const runs = [start(["run", QUICKSTART, ...FAST, "--format", "json,vl"], cwd, {}), start(["run", QUICKSTART, ...FAST, "--format", "json,csv"], cwd, {})];
    const outs = await Promise.all(runs.map((r) => r.done));
    for (const o of outs) expect([0, 2], o.stderr).toContain(o.status);
    expect(outs.some((o) => o.status === 0)).toBe(true);
    expect(densimLeftovers(dir)).toEqual([]);
    expectConsistent(dir);
  });
});
