/**
 * End to end: the command line, each run in a fresh temporary directory so reports/ lands there.
 * Scenario paths are absolute. A few runs are of the built CLI (dist/bin/densim.js) as a child
 * process, for what the process shows (exit code, stdout and stderr of a real run, --help and
 * --version); the rest run in-process in that directory (densimHere), for what a command decides.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { STARTER } from "../../sim/cli/commands/init.js";
import { densimHere as here, densimProcess, ensureBuilt, expectExit, expectNoStack, ROOT, type Outcome } from "../helpers/cli.js";
import { tempFolders } from "../helpers/temp.js";

const QUICKSTART = join(ROOT, "scenarios", "quickstart.yaml");
const CONFLICTS = join(ROOT, "scenarios", "runtime-conflicts.yaml");
const FOUR_ERRORS = join(ROOT, "test", "fixtures", "invalid", "four-errors.yaml");
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

const MODES = ["bare", "container", "vm", "microvm"] as const;
const METRICS = [
  "instances.requested",
  "instances.placed",
  "instances.rejected",
  "hosts.used",
  "density.perHost",
  "memory.app",
  "memory.guestOs",
  "memory.hypervisor",
  "memory.runtime",
  "memory.reserved",
  "memory.free",
  "osInstances",
] as const;
const MEMORY_PARTS = ["memory.app", "memory.guestOs", "memory.hypervisor", "memory.runtime", "memory.reserved", "memory.free"] as const;

interface Summary {
  mean: number;
  sd: number;
  lo: number;
  hi: number;
  n: number;
}
interface ModeResult {
  summary: Record<string, Summary>;
  runs: { seed: number; metrics: Record<string, number> }[];
}
interface Results {
  schemaVersion: number;
  tool: { name: string; version: string };
  scenario: { name: string; title: string; hash: string };
  seed: number;
  replications: number;
  cluster?: { memoryBytes?: number };
  modes: Record<string, ModeResult>;
}

const freshDir = tempFolders("densim-cli-");

/** Runs `densim ...args` as a child process in `cwd` (a fresh temporary directory unless given). */
const densim = (args: readonly string[], cwd: string = freshDir()): Outcome => densimProcess(args, { cwd });

/** Runs `densim ...args` in this process, in `cwd` (a fresh temporary directory unless given). */
const densimHere = (args: readonly string[], cwd: string = freshDir()): Promise<Outcome> => here(args, { cwd });

const readResults = (file: string): Results => JSON.parse(readFileSync(file, "utf8")) as Results;

beforeAll(ensureBuilt);

describe("densim run scenarios/quickstart.yaml", () => {
  let out: Outcome;
  let dir: string;
  let results: Results;

  beforeAll(() => {
    out = densim(["run", QUICKSTART]);
    dir = join(out.cwd, "reports", "quickstart");
    if (out.status === 0) results = readResults(join(dir, "results.json"));
  });

  it("exits 0 and prints nothing on stderr (not a terminal: no progress bar)", () => {
    expectExit(out, 0);
    expect(out.stderr).toBe("");
  });

  it("prints the comparison table with the four modes and their profiles", () => {
    const lines = out.stdout.split("\n");
    expect(lines[0]).toBe("quickstart: Java and Python services on four 32-core hosts");
    const header = lines.find((l) => l.includes("bare (bare)"));
    expect(header).toBeDefined();
    for (const m of ["bare (bare)", "container (docker)", "vm (kubevirt)", "microvm (firecracker)"]) expect(header).toContain(m);
    expect(out.stdout).toMatch(/^instances placed\s+\d/m);
    expect(out.stdout).toMatch(/^hosts used\s+\d/m);
    // The overcommit ratios in force, and bare's partial placement marked on its cost.
    expect(lines[1]).toContain("CPU overcommit 1:1 in every mode");
    expect(out.stdout).toMatch(/^instances placed\s+12\/120\s+120\s+112\/120\s+112\/120$/m);
    expect(out.stdout).toMatch(/^cost: total \/ month\s+\$[\d,]+ \*\s+\$[\d,]+\s/m);
    expect(out.stdout).toContain("* bare places 12 of 120 requested: its cost covers only what was placed.");
    expect(out.stdout).toMatch(/Report in .*quickstart\/: results.json, density.svg/);
  });

  it("writes reports/quickstart/results.json and density.svg", () => {
    expect(existsSync(join(dir, "results.json"))).toBe(true);
    const svg = readFileSync(join(dir, "density.svg"), "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
  });

  it("results.json has the header of the results contract", () => {
    expect(results.schemaVersion).toBe(2);
    expect(results.tool).toEqual({ name: "densim", version: PACKAGE_VERSION });
    expect(results.scenario).toMatchObject({
      name: "quickstart",
      title: "Java and Python services on four 32-core hosts",
      hash: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(results.seed).toBe(42);
    expect(results.replications).toBe(5);
    expect(Object.keys(results.modes)).toEqual([...MODES]);
  });

  it("every mode has a summary {mean, sd, lo, hi, n} of every contract metric", () => {
    for (const mode of MODES) {
      const summary = results.modes[mode]?.summary ?? {};
      for (const metric of METRICS) {
        const s = summary[metric];
        expect(s, `${mode} ${metric}`).toEqual({ mean: expect.any(Number), sd: expect.any(Number), lo: expect.any(Number), hi: expect.any(Number), n: 5 });
        if (!s) continue;
        expect(s.sd, `${mode} ${metric}`).toBeGreaterThanOrEqual(0);
        expect(s.lo, `${mode} ${metric}`).toBeLessThanOrEqual(s.mean);
        expect(s.hi, `${mode} ${metric}`).toBeGreaterThanOrEqual(s.mean);
      }
    }
  });

  it("every mode has one run per replication with a seed and every metric; the summary is their mean", () => {
    for (const mode of MODES) {
      const m = results.modes[mode] as ModeResult;
      expect(m.runs).toHaveLength(5);
      for (const run of m.runs) {
        expect(Number.isInteger(run.seed)).toBe(true);
        for (const metric of METRICS) expect(typeof run.metrics[metric], `${mode} ${metric}`).toBe("number");
      }
      expect(new Set(m.runs.map((r) => r.seed)).size).toBe(5);
      for (const metric of METRICS) {
        const mean = m.runs.reduce((a, r) => a + (r.metrics[metric] ?? NaN), 0) / m.runs.length;
        expect(m.summary[metric]?.mean, `${mode} ${metric}`).toBeCloseTo(mean, 6);
      }
    }
  });

  it("counts add up: placed + rejected = requested, memory parts = cluster memory", () => {
    const clusterBytes = 4 * 256 * 2 ** 30;
    if (results.cluster?.memoryBytes !== undefined) expect(results.cluster.memoryBytes).toBe(clusterBytes);
    for (const mode of MODES) {
      for (const run of results.modes[mode]?.runs ?? []) {
        const mt = run.metrics;
        expect(mt["instances.requested"]).toBe(120);
        expect((mt["instances.placed"] ?? NaN) + (mt["instances.rejected"] ?? NaN)).toBe(120);
        const memory = MEMORY_PARTS.reduce((a, p) => a + (mt[p] ?? NaN), 0);
        expect(memory / clusterBytes, mode).toBeCloseTo(1, 9);
      }
    }
  });

  it("modes differ where the model says they must", () => {
    const mean = (mode: string, metric: string): number => results.modes[mode]?.summary[metric]?.mean ?? NaN;
    expect(mean("bare", "memory.guestOs")).toBe(0);
    expect(mean("container", "memory.guestOs")).toBe(0);
    expect(mean("vm", "memory.guestOs")).toBeGreaterThan(mean("microvm", "memory.guestOs"));
    expect(mean("vm", "osInstances")).toBeGreaterThan(mean("container", "osInstances"));
    expect(mean("container", "memory.runtime")).toBeGreaterThan(0);
  });
});

describe("densim run options", () => {
  it("--json prints only the results JSON, equal to results.json", async () => {
    const o = await densimHere(["run", QUICKSTART, "--json", "--replications", "2", "--format", "json"]);
    expectExit(o, 0);
    const printed = JSON.parse(o.stdout) as Results;
    expect(printed).toEqual(readResults(join(o.cwd, "reports", "quickstart", "results.json")));
    expect(printed.replications).toBe(2);
  });

  it("--json with two scenarios prints a list of two results", async () => {
    const o = await densimHere(["run", QUICKSTART, CONFLICTS, "--json", "--replications", "1", "--format", "json"]);
    expectExit(o, 0);
    const printed = JSON.parse(o.stdout) as Results[];
    expect(printed.map((r) => r.scenario.name)).toEqual(["quickstart", "runtime-conflicts"]);
  });

  it("--set apps.orders.replicas=10 changes instances.requested", async () => {
    const o = await densimHere(["run", QUICKSTART, "--json", "--replications", "1", "--set", "apps.orders.replicas=10", "--format", "json"]);
    expectExit(o, 0);
    const r = JSON.parse(o.stdout) as Results;
    for (const mode of MODES) expect(r.modes[mode]?.summary["instances.requested"]?.mean).toBe(10 + 40 + 20);
  });

  it("--mode vm,container yields exactly those modes", async () => {
    const o = await densimHere(["run", QUICKSTART, "--mode", "vm,container", "--replications", "1", "--format", "json"]);
    expectExit(o, 0);
    // A mode selection is a variant: its own folder, quickstart@<hash>.
    const [folder] = readdirSync(join(o.cwd, "reports"));
    expect(folder).toMatch(/^quickstart@[0-9a-f]{8}$/);
    const r = readResults(join(o.cwd, "reports", folder as string, "results.json"));
    expect(Object.keys(r.modes).sort()).toEqual(["container", "vm"]);
    expect(o.stdout).toContain("vm (kubevirt)");
    expect(o.stdout).not.toContain("bare (bare)");
    expect(o.stdout).not.toContain("microvm");
  });

  it("--seed 9 --replications 2 are reflected in the results", async () => {
    const o = await densimHere(["run", QUICKSTART, "--json", "--seed", "9", "--replications", "2", "--format", "json"]);
    expectExit(o, 0);
    const r = JSON.parse(o.stdout) as Results;
    expect(r.seed).toBe(9);
    expect(r.replications).toBe(2);
    const seeds = r.modes.bare?.runs.map((run) => run.seed);
    expect(seeds).toHaveLength(2);
    for (const mode of MODES) {
      expect(r.modes[mode]?.runs).toHaveLength(2);
      expect(r.modes[mode]?.summary["instances.placed"]?.n).toBe(2);
      // Common random numbers: replication i of every mode uses the same seed.
      expect(r.modes[mode]?.runs.map((run) => run.seed)).toEqual(seeds);
    }
    const other = JSON.parse((await densimHere(["run", QUICKSTART, "--json", "--seed", "10", "--replications", "2", "--format", "json"])).stdout) as Results;
    expect(other.modes.bare?.runs.map((run) => run.seed)).not.toEqual(seeds);
    expect(other.scenario.hash).not.toBe(r.scenario.hash);
  });

  it("is deterministic: two runs write byte-identical results.json", async () => {
    // One as a child process with the default workers, one in this process's main thread alone.
    const a = densim(["run", QUICKSTART, "--replications", "3", "--format", "json,csv"]);
    const b = await densimHere(["run", QUICKSTART, "--replications", "3", "--format", "json,csv", "--workers", "1"]);
    expectExit(a, 0);
    expectExit(b, 0);
    const fa = readFileSync(join(a.cwd, "reports", "quickstart", "results.json"));
    const fb = readFileSync(join(b.cwd, "reports", "quickstart", "results.json"));
    expect(fa.length).toBeGreaterThan(0);
    expect(fa.equals(fb)).toBe(true);
    for (const csv of ["instances.csv", "timeseries.csv"])
      expect(readFileSync(join(a.cwd, "reports", "quickstart", csv)).equals(readFileSync(join(b.cwd, "reports", "quickstart", csv)))).toBe(true);
  });

  it("--out DIR writes under DIR/quickstart and nothing under reports/", async () => {
    const cwd = freshDir();
    const outDir = join(freshDir(), "elsewhere");
    const o = await densimHere(["run", QUICKSTART, "--out", outDir, "--replications", "1", "--format", "json,svg"], cwd);
    expectExit(o, 0);
    expect(readdirSync(join(outDir, "quickstart"))).toEqual(expect.arrayContaining(["results.json", "density.svg"]));
    expect(existsSync(join(cwd, "reports"))).toBe(false);
  });

  it("--format png writes density.png and no svg", async () => {
    const o = await densimHere(["run", QUICKSTART, "--format", "png", "--replications", "1"]);
    expectExit(o, 0);
    const files = readdirSync(join(o.cwd, "reports", "quickstart"));
    expect(files).toEqual(expect.arrayContaining(["results.json", "density.png"]));
    expect(files).not.toContain("density.svg");
    const png = readFileSync(join(o.cwd, "reports", "quickstart", "density.png"));
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  });
});

// In-process: these test what the commands decide; the process itself is tested above and below.
describe("densim run: mistakes exit 2 and write nothing", () => {
  it("an invalid scenario", async () => {
    const o = await densimHere(["run", FOUR_ERRORS]);
    expectExit(o, 2);
    expect(existsSync(join(o.cwd, "reports"))).toBe(false);
    expect(o.stdout).toBe("");
    expect(o.stderr).toContain(`${FOUR_ERRORS}:13:15: apps[0].replicas: `);
    expectNoStack(o.stderr);
  });

  it("a valid and an invalid scenario together: neither is run", async () => {
    const o = await densimHere(["run", QUICKSTART, FOUR_ERRORS]);
    expectExit(o, 2);
    expect(existsSync(join(o.cwd, "reports"))).toBe(false);
  });

  it("an unknown --mode", async () => {
    const o = await densimHere(["run", QUICKSTART, "--mode", "vm,nope"]);
    expectExit(o, 2);
    expect(o.stderr).toContain("nope");
    expect(existsSync(join(o.cwd, "reports"))).toBe(false);
    expectNoStack(o.stderr);
  });

  it("a bad --set", async () => {
    const o = await densimHere(["run", QUICKSTART, "--set", "apps.nope.replicas=3"]);
    expectExit(o, 2);
    expect(o.stderr).toMatch(/^--set apps\.nope\.replicas=3: /m);
    expect(o.stderr).toContain('expected an index or the name of an item of apps, found "nope"');
    expect(existsSync(join(o.cwd, "reports"))).toBe(false);
  });

  it.each([
    ["--seed", "-1"],
    ["--seed", "1.5"],
    ["--replications", "0"],
    ["--format", "pdf"],
  ])("a bad %s %s", async (option, value) => {
    const o = await densimHere(["run", QUICKSTART, option, value]);
    expectExit(o, 2);
    expect(o.stderr).toContain(option);
    expect(existsSync(join(o.cwd, "reports"))).toBe(false);
    expectNoStack(o.stderr);
  });

  it("a missing scenario file, with a clear message", async () => {
    const missing = join(freshDir(), "nothere.yaml");
    const o = await densimHere(["run", missing]);
    expectExit(o, 2);
    expect(o.stderr).toContain(missing);
    expect(o.stderr).toContain("no such file");
    expectNoStack(o.stderr);
  });
});

describe("densim usage errors", () => {
  it("an unknown option exits 2", async () => {
    const o = await densimHere(["run", QUICKSTART, "--bogus"]);
    expectExit(o, 2);
    expect(o.stderr).toMatch(/Unknown argument: bogus/);
    expect(existsSync(join(o.cwd, "reports"))).toBe(false);
  });

  it("an unknown command exits 2", async () => {
    const o = await densimHere(["frobnicate"]);
    expectExit(o, 2);
    expect(o.stderr).toContain("frobnicate");
  });

  it("no command exits 2 and names the commands", async () => {
    const o = await densimHere([]);
    expectExit(o, 2);
    expect(o.stderr).toMatch(/run.*validate.*schema.*init.*profiles/);
  });
});

describe("densim validate", () => {
  it("a good file exits 0 and says ok", async () => {
    const o = await densimHere(["validate", QUICKSTART, CONFLICTS]);
    expectExit(o, 0);
    expect(o.stdout).toContain(`${QUICKSTART}: ok`);
    expect(o.stdout).toContain(`${CONFLICTS}: ok`);
  });

  it("a bad file exits 2 with one file:line:col line per problem on stderr, and no stack trace", () => {
    // A child process: the exit code and stderr of the executable itself.
    const o = densim(["validate", FOUR_ERRORS]);
    expectExit(o, 2);
    expect(o.stdout).toBe("");
    const lines = o.stderr.trimEnd().split("\n");
    const located = lines.filter((l) => l.startsWith(`${FOUR_ERRORS}:`));
    expect(located).toHaveLength(4);
    for (const l of located) expect(l).toMatch(/^.+:\d+:\d+: \S+: .+$/);
    expect(located.map((l) => l.slice(FOUR_ERRORS.length + 1).split(": ")[0])).toEqual(["9:14", "13:15", "16:12", "18:18"]);
    expect(lines.at(-1)).toBe("densim: 4 problems found; nothing was run");
    expectNoStack(o.stderr);
  });

  it("a YAML syntax error exits 2 with its position", async () => {
    const dir = freshDir();
    const file = join(dir, "broken.yaml");
    writeFileSync(file, "version: 1\nname: t\nhosts: [ { type: h, cores: 8, memory: 32GiB }\napps: []\n");
    const o = await densimHere(["validate", file], dir);
    expectExit(o, 2);
    expect(o.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+: \\(scenario\\): expected valid YAML, found a syntax error: `, "m"));
    expectNoStack(o.stderr);
  });

  it("checks --set too", async () => {
    const o = await densimHere(["validate", QUICKSTART, "--set", "apps.orders.memory=1Gb"]);
    expectExit(o, 2);
    expect(o.stderr).toMatch(/^--set apps\.orders\.memory=1Gb: apps\[0\]\.memory: expected a size/m);
  });
});

describe("densim schema", () => {
  it("prints the JSON Schema, the same as schema/scenario.schema.json", async () => {
    const o = await densimHere(["schema"]);
    expectExit(o, 0);
    const schema = JSON.parse(o.stdout) as Record<string, unknown>;
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(o.stdout).toBe(readFileSync(join(ROOT, "schema", "scenario.schema.json"), "utf8"));
  });
});

describe("densim init", () => {
  it("writes a starter that validates, and refuses to overwrite it without --force", async () => {
    const dir = freshDir();
    const file = join(dir, "s.yaml");
    const first = await densimHere(["init", file], dir);
    expectExit(first, 0);
    expect(readFileSync(file, "utf8")).toBe(STARTER);
    expectExit(await densimHere(["validate", file], dir), 0);

    writeFileSync(file, "# mine\n");
    const again = await densimHere(["init", file], dir);
    expectExit(again, 2);
    expect(again.stderr).toContain("--force");
    expectNoStack(again.stderr);
    expect(readFileSync(file, "utf8")).toBe("# mine\n");

    expectExit(await densimHere(["init", file, "--force"], dir), 0);
    expect(readFileSync(file, "utf8")).toBe(STARTER);
  });

  it("writes scenario.yaml in the current directory by default, and it runs", async () => {
    const dir = freshDir();
    expectExit(await densimHere(["init"], dir), 0);
    expect(existsSync(join(dir, "scenario.yaml"))).toBe(true);
    const run = await densimHere(["run", "scenario.yaml", "--replications", "1"], dir);
    expectExit(run, 0);
    expect(existsSync(join(dir, "reports", "my-estate", "results.json"))).toBe(true);
  });
});

describe("densim profiles", () => {
  it("lists every built-in profile with the source keys of its defaults", async () => {
    const o = await densimHere(["profiles"]);
    expectExit(o, 0);
    for (const [name, kind] of [
      ["docker", "container"],
      ["kvm-linux", "vm"],
      ["kvm-qemu", "vm"],
      ["kubevirt", "vm"],
      ["windows-process", "container"],
      ["windows-hyperv", "container"],
      ["vmware-linux", "vm"],
      ["hyperv-windows", "vm"],
      ["firecracker", "microvm"],
    ]) {
      expect(o.stdout).toMatch(new RegExp(`^${name} \\(${kind}\\): `, "m"));
    }
    for (const key of ["vsphere65", "firecracker-spec", "kubevirt", "dockerrun26"]) expect(o.stdout).toContain(`${key}: `);
    // The mode settings that shape a comparison, with their defaults and sources.
    expect(o.stdout).toMatch(/^  overcommit\.cpu\s+1:1\s+bare, container, vm, microvm\s+judgement: /m);
    expect(o.stdout).toMatch(/^  overcommit\.memory\s+1:1\s+vm, microvm\s+judgement: /m);
  });

  it("writes every number through the one formatter: none with more than 4 significant figures", async () => {
    const o = await densimHere(["profiles"]);
    expectExit(o, 0);
    // Issue references (moby#21737) are names, not figures; list prices ($15,123) are exact.
    const numbers = o.stdout.replace(/#\d+/g, "").replace(/\$[\d,]+/g, "").match(/\d[\d,]*(?:\.\d+)?/g) ?? [];
    const significant = (n: string): number => n.replace(/[,.]/g, "").replace(/^0+/, "").length;
    expect(numbers.filter((n) => significant(n) > 4)).toEqual([]);
    expect(o.stdout).toContain("568 ms");
    expect(o.stdout).toContain("14.4 MiB");
    expect(o.stdout).toContain("docs/calibration.md");
    expect(o.stdout).not.toContain("CALIBRATION.md");
  });

  it("--source KEY prints that source's entry of docs/calibration.md", async () => {
    const o = await densimHere(["profiles", "--source", "xavier13"]);
    expectExit(o, 0);
    expect(o.stdout).toMatch(/^### xavier13\n/);
    expect(o.stdout).toContain("88%");
    expect(o.stdout).toContain("**Limits:**");
    expect(o.stdout.match(/^#+ /gm)).toEqual(["### "]);
    const judgement = await densimHere(["profiles", "--source", "judgement"]);
    expectExit(judgement, 0);
    expect(judgement.stdout).toContain("swap penalty");
  });

  it("--source with an unknown key exits 2 naming the known keys and the nearest", async () => {
    const o = await densimHere(["profiles", "--source", "xavier"]);
    expectExit(o, 2);
    expectNoStack(o.stderr);
    expect(o.stdout).toBe("");
    expect(o.stderr).toContain("expected a known source key (did you mean xavier13?)");
    expect(o.stderr).toContain('found "xavier"');
    expect(o.stderr).toMatch(/known: .*felter15.*judgement/);
  });

  it("--json lists the same profiles as data", async () => {
    const o = await densimHere(["profiles", "--json"]);
    expectExit(o, 0);
    const profiles = JSON.parse(o.stdout) as { name: string; kind: string }[];
    expect(profiles.map((p) => p.name)).toEqual(
      expect.arrayContaining(["bare", "docker", "windows-process", "windows-hyperv", "kvm-qemu", "kubevirt", "vmware-linux", "hyperv-windows", "firecracker"]),
    );
  });
});

describe("densim --help and --version", () => {
  it("--help exits 0 and lists the commands and exit codes", () => {
    const o = densim(["--help"]);
    expectExit(o, 0);
    for (const c of ["run <scenario...>", "plan <scenario>", "validate <scenario...>", "schema", "init [file]", "profiles"]) expect(o.stdout).toContain(`densim ${c}`);
    expect(o.stdout.replace(/\s+/g, " ")).toContain("Exit codes: 0 ok, 1 failure while running, 2 bad usage or invalid scenario, 3 an SLO missed under --check, 130 interrupted");
  });

  it("--version prints the package version", () => {
    const o = densim(["--version"]);
    expectExit(o, 0);
    expect(o.stdout.trim()).toBe(PACKAGE_VERSION);
  });
});

describe("densim run scenarios/runtime-conflicts.yaml", () => {
  let out: Outcome;
  let results: Results;

  beforeAll(async () => {
    // The table and results.json are what is checked: no charts needed.
    out = await densimHere(["run", CONFLICTS, "--format", "json"]);
    if (out.status === 0) results = readResults(join(out.cwd, "reports", "runtime-conflicts", "results.json"));
  });

  it("bare rejects instances or uses more hosts than container and vm", () => {
    expectExit(out, 0);
    const mean = (mode: string, metric: string): number => results.modes[mode]?.summary[metric]?.mean ?? NaN;
    for (const other of ["container", "vm"]) {
      const worse = mean("bare", "instances.rejected") > mean(other, "instances.rejected") || mean("bare", "hosts.used") > mean(other, "hosts.used");
      expect(worse, `bare vs ${other}`).toBe(true);
    }
  });

  it("prints rejection reasons that name runtime conflicts", () => {
    expectExit(out, 0);
    const rejected = out.stdout.split("\n").filter((l) => /^\s+bare: \d+ x /.test(l));
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.some((l) => l.includes("runtime conflict"))).toBe(true);
    expect(out.stdout).toMatch(/runtime conflict java@\d+/);
  });
});
