/**
 * Output the system refuses: a read-only report folder, a full disk (before the report and in the
 * middle of a streamed CSV), /dev/full as --out or as stdout. Each exits 1 with one line naming the
 * file and the OS error (or 2 for an --out that is not a folder), with no stack trace, the previous
 * report byte for byte as it was, and no temporary file, journal or lock left.
 *
 * Where this sandbox lets an unprivileged user namespace mount (`unshare -rm`: a tmpfs of a few
 * MiB, a read-only bind mount), the faults are real. Everywhere, the same faults are also injected
 * through the writer's seam, DENSIM_TEST_WRITE_FAULT=<ERRNO>:<file>[:<bytes>] (report-files.ts);
 * those runs, and the --out checks, run in-process (densimHere): what they test is what the
 * writer decides, not the process.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { densimHere, MAIN } from "../helpers/cli.js";
import { tempFolders } from "../helpers/temp.js";

const freshDir = tempFolders("densim-faults-");

/** Small and quick, yet its instances.csv (about 100 KB) is streamed in one block after results.json. */
const SCENARIO = `version: 1
name: faults
seed: 1
horizon: 10m
replications: 2
hosts:
  - { type: h, count: 4, cores: 32, memory: 256GiB, cost: { monthly: 100 } }
apps:
  - { name: web, replicas: 120, runtime: java@17, cpu: 0.1, memory: 64MiB, init: 1s }
  - { name: api, replicas: 80, runtime: python@3.11, cpu: 0.2, memory: 128MiB, init: 2s }
modes:
  bare: {}
  container: { profile: docker }
`;

function scenarioIn(dir: string): string {
  const file = join(dir, "faults.yaml");
  writeFileSync(file, SCENARIO);
  return file;
}

/** Every file in `dir` with its bytes (base64): equal snapshots are byte-identical folders. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    out[n] = statSync(p).isDirectory() ? "<folder>" : readFileSync(p).toString("base64");
  }
  return out;
}

const densim = (args: readonly string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> =>
  spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", env: { ...process.env, ...env, DENSIM_DEBUG: "" } });

const FORMATS = ["--format", "json,csv", "--quiet", "--workers", "1"];

/** A previous report in `<root>/faults`, then the run that must fail (in-process); returns both snapshots. */
async function failedRerun(env: Record<string, string>): Promise<{ r: { status: number | null; stderr: string }; before: Record<string, string>; after: Record<string, string>; report: string }> {
  const dir = freshDir();
  const file = scenarioIn(dir);
  const out = join(dir, "reports");
  const first = await densimHere(["run", file, "--out", out, ...FORMATS]);
  expect(first.status, first.stderr).toBe(0);
  const report = join(out, "faults");
  const before = snapshot(report);
  const r = await densimHere(["run", file, "--out", out, ...FORMATS, "--seed", "5", "--name", "faults"], { env });
  return { r, before, after: snapshot(report), report };
}

/** No stack trace, no hint to debug: exactly one line. */
function expectOneLine(stderr: string, line: string): void {
  expect(stderr).toBe(`${line}\n`);
}

describe("a refused report write, injected (DENSIM_TEST_WRITE_FAULT)", () => {
  const cases: [string, string, string][] = [
    ["a full disk at results.json", "ENOSPC:results.json", "results.json: ENOSPC: no space left on device"],
    ["a full disk in the streamed instances.csv (after results.json)", "ENOSPC:instances.csv:0", "instances.csv: ENOSPC: no space left on device"],
    ["a full disk at the manifest (written before the commit)", "ENOSPC:.densim-manifest.json", ".densim-manifest.json: ENOSPC: no space left on device"],
    ["a read-only folder", "EROFS:results.json", "results.json: EROFS: read-only file system"],
    ["an I/O error in the journal", "EIO:.densim-journal.json", ".densim-journal.json: EIO: i/o error"],
  ];
  for (const [what, fault, message] of cases) {
    it(`${what}: exit 1, one line, the previous report byte-identical, nothing temporary left`, async () => {
      const { r, before, after, report } = await failedRerun({ DENSIM_TEST_WRITE_FAULT: fault });
      expect(r.status, r.stderr).toBe(1);
      expectOneLine(r.stderr, `densim: cannot write ${join(report, message)}`);
      expect(after).toEqual(before);
    });
  }
});

/** Whether this sandbox lets us mount a tmpfs in a private user and mount namespace. */
function canMount(): boolean {
  if (process.platform !== "linux") return false;
  const dir = freshDir();
  const r = spawnSync("unshare", ["-rm", "sh", "-c", 'mount -t tmpfs -o size=64k tmpfs "$0"', dir], { encoding: "utf8" });
  return r.status === 0;
}
const MOUNTS = canMount();

/**
 * In a private mount namespace: a tmpfs of 4 MiB at M, a first report there, copied to W/before;
 * then `prepare` (sh), the failing run (code and stderr to W), and the folder copied to W/after.
 */
function onTmpfs(prepare: string): { code: number; stderr: string; before: Record<string, string>; after: Record<string, string>; report: string } {
  const w = freshDir();
  const m = join(w, "mnt");
  mkdirSync(m);
  const file = scenarioIn(w);
  const report = join(m, "faults");
  const run = `node "$CLI" run "$S" --out "$M" ${FORMATS.join(" ")}`;
  const script = [
    "set -u",
    'mount -t tmpfs -o size=4m tmpfs "$M" || exit 90',
    `${run} > /dev/null || exit 91`,
    'cp -a "$M/faults" "$W/before"',
    // keep N: fill the disk but for N bytes
    'keep() { avail=$(df -B1 --output=avail "$M" | tail -n 1); head -c $((avail - $1)) /dev/zero > "$M/filler" 2> /dev/null; true; }',
    prepare,
    `${run} --seed 5 --name faults > /dev/null 2> "$W/stderr"; echo $? > "$W/code"`,
    'cp -a "$M/faults" "$W/after"',
  ].join("\n");
  const r = spawnSync("unshare", ["-rm", "sh", "-c", script], { encoding: "utf8", env: { ...process.env, M: m, W: w, CLI: MAIN, S: file, DENSIM_DEBUG: "" } });
  expect(r.status, r.stderr).toBe(0);
  const code = Number(readFileSync(join(w, "code"), "utf8"));
  return { code, stderr: readFileSync(join(w, "stderr"), "utf8"), before: snapshot(join(w, "before")), after: snapshot(join(w, "after")), report };
}

describe.skipIf(!MOUNTS)("a refused report write, for real (tmpfs and a read-only bind mount in a user namespace)", () => {
  it("a full disk before results.json fits: exit 1, one line with ENOSPC, the previous report byte-identical", () => {
    const o = onTmpfs("keep 8192");
    expect(o.code, o.stderr).toBe(1);
    expect(o.stderr).toMatch(new RegExp(`^densim: cannot write ${o.report}/(\\.densim-lock|results\\.json): ENOSPC: no space left on device\\n$`));
    expect(o.after).toEqual(o.before);
  });

  it("a full disk in the middle of instances.csv (results.json written): the same, and the partial CSV removed", () => {
    const o = onTmpfs('keep $(( $(stat -c %s "$M/faults/results.json") + 4 * 4096 + 20000 ))');
    expect(o.code, o.stderr).toBe(1);
    expectOneLine(o.stderr, `densim: cannot write ${o.report}/instances.csv: ENOSPC: no space left on device`);
    expect(o.after).toEqual(o.before);
  });

  it("a read-only report folder: exit 1, one line with EROFS, the previous report byte-identical", () => {
    const o = onTmpfs('mount --bind "$M/faults" "$M/faults" && mount -o remount,ro,bind "$M/faults" || exit 92');
    expect(o.code, o.stderr).toBe(1);
    expectOneLine(o.stderr, `densim: cannot write ${o.report}/.densim-lock: EROFS: read-only file system`);
    expect(o.after).toEqual(o.before);
  });
});

describe("--out that is not a folder: exit 2 saying what was expected", () => {
  it("/dev/full, a file, and a path under a file", async () => {
    const dir = freshDir();
    const file = scenarioIn(dir);
    const cases: [string, string][] = [
      ...(existsSync("/dev/full") ? ([["/dev/full", "/dev/full, a character device"]] as [string, string][]) : []),
      [file, `${file}, a file`],
      [join(file, "deeper"), `${file}, a file`],
    ];
    for (const [out, found] of cases) {
      const r = await densimHere(["run", file, "--out", out, "--format", "json", "--quiet"]);
      expect(r.status, r.stderr).toBe(2);
      expectOneLine(r.stderr, `densim: --out: expected a folder or a path densim can create, found ${found}`);
    }
    expect(readFileSync(file, "utf8")).toBe(SCENARIO);
  });
});

describe.skipIf(!existsSync("/dev/full"))("stdout refused (/dev/full): exit 1 with one line", () => {
  const toFull = (args: readonly string[]): SpawnSyncReturns<string> => {
    const fd = openSync("/dev/full", "w");
    try {
      return spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", stdio: ["ignore", fd, "pipe"], env: { ...process.env, DENSIM_DEBUG: "" } });
    } finally {
      closeSync(fd);
    }
  };
  it("densim profiles, densim schema", () => {
    for (const args of [["profiles"], ["schema"]]) {
      const r = toFull(args);
      expect(r.status, r.stderr).toBe(1);
      expectOneLine(r.stderr, "densim: cannot write standard output: ENOSPC: no space left on device");
    }
  });
  it("densim init /dev/full (a refused file, not stdout): the same line naming the file", () => {
    const r = densim(["init", "/dev/full", "--force"]);
    expect(r.status, r.stderr).toBe(1);
    expectOneLine(r.stderr, "densim: cannot write /dev/full: ENOSPC: no space left on device");
  });
  it("densim run --json: the report is written first, then stdout fails", () => {
    const dir = freshDir();
    const r = toFull(["run", scenarioIn(dir), "--json", "--format", "json", "--quiet", "--out", join(dir, "reports")]);
    expect(r.status, r.stderr).toBe(1);
    expectOneLine(r.stderr, "densim: cannot write standard output: ENOSPC: no space left on device");
    expect(existsSync(join(dir, "reports", "faults", "results.json"))).toBe(true);
  });
});

describe.skipIf(process.platform === "win32")("a closed stdout pipe: exit 0, quietly", () => {
  it("densim run --json | head -c 1", () => {
    const dir = freshDir();
    const cmd = `set -o pipefail; "${process.execPath}" "${MAIN}" run "${scenarioIn(dir)}" --json --format json --quiet --out "${join(dir, "reports")}" 2> "${join(dir, "err")}" | head -c 1 > /dev/null`;
    const r = spawnSync("bash", ["-c", cmd], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, "err"), "utf8")).toBe("");
  });
});
