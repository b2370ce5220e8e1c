/**
 * Workers and shards end to end (the built CLI): a sweep is byte-identical for any --workers,
 * and --shard 0/3, 1/3, 2/3 merged equals the unsharded sweep byte for byte; bad shards,
 * worker counts and mismatched partials exit 2 with the reason. Commands run in-process
 * (densimHere) but for those on two worker threads (child processes: the threads need the compiled
 * worker).
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { densimHere, densimProcess, ensureBuilt, reportFiles as files, type Outcome } from "../helpers/cli.js";

const SCENARIO = resolve("scenarios/quickstart.yaml");
const densim = (args: string[], cwd: string): Promise<Outcome> => densimHere(args, { cwd });
/** On two worker threads, in a child process. */
const densimTwoWorkers = (args: string[], cwd: string): Outcome => densimProcess([...args, "--workers", "2"], { cwd });
// Small points: 8 of them, one replication, one mode, a 1 h horizon.
const SWEEP = ["sweep", SCENARIO, "--vary", "apps.orders.replicas=4,8,12,16", "--vary", "apps.catalog.replicas=2,4", "--mode", "container", "--replications", "1", "--set", "horizon=20m", "--metric", "hosts.used,cost.monthly.total"];

// Two points, chart specs only: for the refusals.
const SMALL = ["sweep", SCENARIO, "--vary", "apps.orders.replicas=4,8", "--mode", "container", "--replications", "1", "--set", "horizon=10m", "--format", "json"];

describe("sweep --workers and --shard, densim merge", () => {
  let cwd = "";
  let whole: Record<string, string> = {};
  beforeAll(async () => {
    ensureBuilt();
    cwd = mkdtempSync(join(tmpdir(), "densim-shards-"));
    const r = await densim([...SWEEP, "--workers", "1", "--out", "one"], cwd);
    expect(r.status, r.stderr).toBe(0);
    whole = files(join(cwd, "one"));
  });

  it("writes the same sweep.json and charts with 2 workers as with 1", async () => {
    expect(Object.keys(whole)).toEqual(["sweep-cost.monthly.total.svg", "sweep-cost.monthly.total.vl.json", "sweep-hosts.used.svg", "sweep-hosts.used.vl.json", "sweep.json"]);
    const r = densimTwoWorkers([...SWEEP, "--out", "two"], cwd);
    expect(r.status, r.stderr).toBe(0);
    expect(files(join(cwd, "two"))).toEqual(whole);
  });

  it("merges --shard 0/3, 1/3 and 2/3 into exactly the unsharded sweep", async () => {
    for (const s of ["2/3", "0/3", "1/3"]) {
      const r = await densim([...SWEEP, "--shard", s, "--out", "parts"], cwd);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Shard ${s}: [23] of 8 points`));
    }
    const parts = readdirSync(join(cwd, "parts")).sort();
    expect(parts.map((p) => p.replace(/.*\.shard-/, "shard-"))).toEqual(["shard-0-of-3", "shard-1-of-3", "shard-2-of-3"]);
    const m = await densim(["merge", ...parts.map((p) => join("parts", p)), "--out", "merged"], cwd);
    expect(m.status, m.stderr).toBe(0);
    expect(m.stdout).toMatch(/hosts\.used/);
    expect(files(join(cwd, "merged"))).toEqual(whole);
    // The merged folder is the one the unsharded sweep writes.
    expect(readdirSync(join(cwd, "merged"))).toEqual(readdirSync(join(cwd, "one")));

    // Missing and repeated shards.
    const missing = await densim(["merge", join("parts", parts[0] as string), join("parts", parts[2] as string), "--out", "x"], cwd);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/shard 1\/3 missing/);
    const twice = await densim(["merge", ...parts.map((p) => join("parts", p)), join("parts", parts[1] as string), "--out", "x"], cwd);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toMatch(/found shard 1\/3 twice/);
  });

  it("refuses to merge shards of different seeds or scenarios, and folders without a partial", async () => {
    const a = await densim([...SMALL, "--shard", "0/2", "--out", "s1"], cwd);
    const b = await densim([...SMALL, "--shard", "1/2", "--seed", "7", "--out", "s7"], cwd);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    const dirA = join("s1", readdirSync(join(cwd, "s1"))[0] as string);
    const dirB = join("s7", readdirSync(join(cwd, "s7"))[0] as string);
    const seeds = await densim(["merge", dirA, dirB, "--out", "x"], cwd);
    expect(seeds.status).toBe(2);
    expect(seeds.stderr).toMatch(/with different seeds/);

    // Another scenario: the same file with one field changed.
    const other = join(cwd, "other.yaml");
    writeFileSync(other, readFileSync(SCENARIO, "utf8").replace("name: quickstart", "name: quickstart2"));
    const c = await densim([...SMALL.map((x) => (x === SCENARIO ? other : x)), "--shard", "1/2", "--out", "o"], cwd);
    expect(c.status, c.stderr).toBe(0);
    const dirC = join("o", readdirSync(join(cwd, "o"))[0] as string);
    const scenarios = await densim(["merge", dirA, dirC, "--out", "x"], cwd);
    expect(scenarios.status).toBe(2);
    expect(scenarios.stderr).toMatch(/with different scenarios: "quickstart" and "quickstart2"/);

    // The same scenario name, a different scenario: the hash tells.
    cpSync(join(cwd, dirA), join(cwd, "forged"), { recursive: true });
    const forged = JSON.parse(readFileSync(join(cwd, "forged", "sweep-shard.json"), "utf8")) as { hash: string; shard: { index: number } };
    forged.hash = "0".repeat(64);
    forged.shard.index = 1;
    writeFileSync(join(cwd, "forged", "sweep-shard.json"), JSON.stringify(forged));
    const hashes = await densim(["merge", dirA, "forged", "--out", "x"], cwd);
    expect(hashes.status).toBe(2);
    expect(hashes.stderr).toMatch(/scenario hashes/);

    const none = await densim(["merge", cwd, "--out", "x"], cwd);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/sweep-shard\.json: expected a partial sweep written by densim sweep --shard, found no such file/);
  });

  it.each([
    [["--shard", "3/3"], /--shard 3\/3: expected a shard index below 3/],
    [["--shard", "1/0"], /--shard 1\/0: expected at least one shard/],
    [["--shard", "a/b"], /--shard a\/b: expected i\/n/],
    [["--workers", "0"], /--workers: expected an integer >= 1, found 0/],
    [["--workers", "1.5"], /--workers: expected an integer >= 1, found 1.5/],
  ])("%j exits 2 with the reason", async (flags, message) => {
    const r = await densim([...SMALL, ...flags, "--out", "bad"], cwd);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/at .*\.js/);
  });

  it("run --workers 0 exits 2; run gives the same results.json for 1 and 2 workers", async () => {
    const bad = await densim(["run", SCENARIO, "--workers", "0", "--format", "json"], cwd);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--workers: expected an integer >= 1, found 0/);
    const run = async (w: string) => {
      const args = ["run", SCENARIO, "--replications", "2", "--set", "horizon=20m", "--format", "json,csv", "--json", "--quiet", "--out", `run${w}`];
      const r = w === "2" ? densimTwoWorkers(args, cwd) : await densim([...args, "--workers", w], cwd);
      expect(r.status, r.stderr).toBe(0);
      return { stdout: r.stdout, files: files(join(cwd, `run${w}`)) };
    };
    expect(await run("2")).toEqual(await run("1"));
  });
});
