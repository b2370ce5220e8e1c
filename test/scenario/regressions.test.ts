/**
 * Regressions from issue 14 and from the fuzzer (test/fuzz): hostile names, degenerate values,
 * hostile files and sizes. Each is exit 2 with a position and "expected ..., found ..." (or a
 * documented working result), never exit 1, a hang or an abort; each finishes within seconds.
 * Commands run in-process (runCli with captured output).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { badLines, checkScenarioText, densimInProcess, type Outcome } from "../fuzz/harness.js";
import { safeText } from "../../sim/cli/io.js";
import { isSafeName, NAME_RULE } from "../../sim/scenario/index.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const QUICKSTART = join(ROOT, "scenarios", "quickstart.yaml");
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function folder(): string {
  const d = mkdtempSync(join(tmpdir(), "densim-reg-"));
  made.push(d);
  return d;
}

/** A small valid scenario; `patch` edits its text. */
const BASE = `version: 1
name: small
title: A small scenario
horizon: 10m
replications: 1
hosts: [ { type: h, count: 2, cores: 16, memory: 64GiB } ]
images: { base: { layers: [ { digest: os, size: 40MiB } ] } }
apps:
  - { name: web, replicas: 4, cpu: 0.5, memory: 512MiB, image: base }
modes: { bare: {}, container: {}, vm: {} }
`;

function write(text: string | Uint8Array, name = "s.yaml", dir = folder()): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function validate(file: string, ...more: string[]): Promise<Outcome> {
  return densimInProcess(["validate", file, ...more]);
}

/** Exit 2, each line positioned with expected/found, and the first issue line matches `re`. */
function expectRefused(o: Outcome, re: RegExp): void {
  expect(o.code, o.stderr).toBe(2);
  expect(badLines(o.stderr), o.stderr).toEqual([]);
  expect(o.stderr).toMatch(re);
}

/** Validate and run agree and obey the fuzzer's property; returns the run. */
async function both(text: string, sets: string[] = []): Promise<Outcome> {
  const r = await checkScenarioText(text, sets);
  expect(r.problems, r.problems.join("\n")).toEqual([]);
  return r.run;
}

describe("prototype names", () => {
  it("modes: { __proto__: {}, constructor: {} } exits 2 with positions", async () => {
    const run = await both(BASE.replace("modes: { bare: {}, container: {}, vm: {} }", "modes: { __proto__: {}, constructor: {} }"));
    expectRefused(run, /s\.yaml:10:\d+: modes\.__proto__: expected a field or a name, found "__proto__"/);
  });

  it("modes.constructor after deleting hosts[0].count (the issue's crash) exits 2", async () => {
    const run = await both(BASE.replace("count: 2, ", "").replace("vm: {} }", "vm: {}, constructor: {} }"));
    expectRefused(run, /modes\.constructor: expected a mode name .*not "constructor", found "constructor"/);
  });

  it("an app named toString exits 2 at the name; one named if works, charts included", async () => {
    const bad = await both(BASE.replace("name: web", "name: toString"));
    expectRefused(bad, /s\.yaml:9:\d+: apps\[0\]\.name: expected an app name of 1 to 100 characters.*found "toString"/);
    const out = join(folder(), "out");
    const ok = await densimInProcess(["run", write(BASE.replace("name: web", "name: if").replace("vm: {} }", "vm: {}, if: { kind: container } }")), "--format", "svg", "--quiet", "--out", out]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(join(out, "small", "cpu-over-time.svg"), "utf8")).toContain(">if</text>");
  });

  it("a constructor key inside a mapping (found by the fuzzer: the schema walk read the prototype) exits 2", async () => {
    const run = await both(BASE.replace("hosts: [ { type: h,", "hosts: [ { constructor: [p5], type: h,"));
    expectRefused(run, /hosts\[0\]\.constructor: expected a field of hosts\[0\] \(one of: type, count/);
  });

  it("images named constructor or __proto__", async () => {
    const ctor = await both(BASE.replace("images: { base:", "images: { constructor:").replace("image: base", "image: constructor"));
    expect(ctor.code, ctor.stderr).toBe(0);
    const proto = await both(BASE.replace("images: { base:", "images: { __proto__:").replace("image: base", "image: __proto__"));
    expectRefused(proto, /images\.__proto__: expected a field or a name, found "__proto__"/);
  });
});

describe("names", () => {
  it("a 300-character scenario name exits 2 at the name, before any report is written", async () => {
    const out = join(folder(), "out");
    const file = write(BASE.replace("name: small", `name: ${"a".repeat(300)}`));
    const run = await densimInProcess(["run", file, "--format", "json", "--quiet", "--out", out]);
    expectRefused(run, /s\.yaml:2:7: name: expected a scenario name of 1 to 100 characters/);
    expect(isSafeName("a".repeat(100))).toBe(true);
    expect(isSafeName("a".repeat(101))).toBe(false);
    expect(NAME_RULE).toContain("100");
  });

  it("a 300-character mode or host type name exits 2", async () => {
    expectRefused(await validate(write(BASE.replace("vm: {} }", `vm: {}, ${"m".repeat(300)}: { kind: vm } }`))), /modes\.m{300}: expected a mode name/);
    expectRefused(await validate(write(BASE.replace("type: h", `type: ${"h".repeat(300)}`))), /hosts\[0\]\.type: expected a host type name of 1 to 100/);
  });

  it("control characters in a title are refused with a position; safeText escapes them on a terminal", async () => {
    expectRefused(await validate(write(BASE.replace("title: A small scenario", 'title: "A \\0 NUL"'))), /s\.yaml:3:8: title: expected a title without control characters/);
    expectRefused(await validate(write(BASE.replace("title: A small scenario", 'title: "\\e[31mred"'))), /title: expected a title without control characters/);
    expect(safeText("a\u001b[2Jb\u0000c\td\ne")).toBe("a\\u{1b}[2Jb\\u{0}c\td\\u{a}e");
  });
});

describe("degenerate values", () => {
  const cases: [string, string, RegExp][] = [
    ["bursty on: 0, off: 0", BASE.replace("image: base }", "image: base, load: { pattern: bursty, base: 0.1, burst: 1, on: 0, off: 0 } }"), /apps\[0\]\.load\.on: expected a duration > 0, found 0/],
    ["interval every: 0", BASE.replace("  - { name: web", "  - { name: j, kind: job, arrivals: { process: interval, every: 0s }, work: 1s, cpu: 1, memory: 1GiB }\n  - { name: web"), /apps\[0\]\.arrivals\.every: expected a duration > 0, found "0s"/],
    ["extract rate 0", BASE.replace("container: {}", "container: { extract: { rate: 0 } }"), /modes\.container\.extract\.rate: expected a bandwidth > 0, found 0/],
    ["horizon 1e400", BASE.replace("horizon: 10m", "horizon: 1e400"), /s\.yaml:4:10: horizon: expected Simulated time \(a duration > 0: .*\), found infinity/],
    ["cores 1e308", BASE.replace("cores: 16", "cores: 1e308"), /hosts\[0\]\.cores: expected a value <= 100000, found 1e\+308/],
    ["cores .nan", BASE.replace("cores: 16", "cores: .nan"), /hosts\[0\]\.cores: expected a number .*, found NaN \(not a number\)/],
    ["diurnal period 0", BASE.replace("image: base }", "image: base, load: { pattern: diurnal, mean: 0.2, peak: 0.4, period: 0 } }"), /apps\[0\]\.load\.period: expected a duration > 0, found 0/],
    ["sampling.step 0", `${BASE}sampling: { step: 0 }\n`, /sampling\.step: expected a duration > 0, found 0/],
    ["network bandwidth 0", BASE.replace("memory: 64GiB }", "memory: 64GiB, network: 0Gbit/s }"), /hosts\[0\]\.network: expected a bandwidth > 0, found "0Gbit\/s"/],
    ["registry bandwidth 0", `${BASE}registry: { bandwidth: 0 }\n`, /registry\.bandwidth: expected a bandwidth > 0, found 0/],
    ["horizon 0", BASE.replace("horizon: 10m", "horizon: 0s"), /horizon: expected a duration > 0, found "0s"/],
    ["spikes every 0", BASE.replace("image: base }", "image: base, load: { pattern: spikes, base: 0, spike: 1, every: 0, duration: 0 } }"), /apps\[0\]\.load\.every: expected a duration > 0/],
    ["a size of 1e308GiB", BASE.replace("memory: 64GiB", "memory: 1e308GiB"), /hosts\[0\]\.memory: expected a size like .*, found "1e308GiB"/],
  ];
  for (const [what, text, re] of cases) {
    it(`${what}: exit 2 with a position`, async () => {
      expectRefused(await both(text), re);
    });
  }
});

describe("resource guards", () => {
  it("a 7.2-million-job scenario is refused at once with the estimate and the flag", async () => {
    const text = BASE.replace("horizon: 10m", "horizon: 2h").replace("  - { name: web", "  - { name: j, kind: job, arrivals: { process: poisson, rate: 1000/s }, work: 1s, cpu: 1, memory: 1GiB }\n  - { name: web");
    const o = await validate(write(text));
    expectRefused(o, /s\.yaml:\d+:\d+: apps\[0\]\.arrivals: expected at most 2,000,000 jobs over the experiment \(raise the limit with --max-jobs\), found an estimated 21,600,000 jobs/);
  });

  it("the limit can be raised; a bad limit is a usage error", async () => {
    const text = BASE.replace("replicas: 4", "replicas: 400");
    expectRefused(await validate(write(text), "--max-instances", "100"), /expected at most 100 service instances .*--max-instances.*found an estimated 1,200 instances/);
    expect((await validate(write(text), "--max-instances", "5000")).code).toBe(0);
    const bad = await validate(write(text), "--max-instances", "lots");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-instances: expected a number >= 0, found NaN/);
  });

  it("replicas: 10000000 and count: 1000000000 are refused with the estimate", async () => {
    expectRefused(await validate(write(BASE.replace("replicas: 4", "replicas: 10000000"))), /apps\[0\]\.replicas: expected at most 2,000,000 service instances .*found an estimated 30,000,000 instances/);
    expectRefused(await validate(write(BASE.replace("count: 2", "count: 1000000000"))), /hosts\[0\]\.count: expected at most 100,000 hosts in one run \(raise the limit with --max-cluster-hosts\), found an estimated 1,000,000,000 hosts/);
  });

  it("a leaking service restarted after every OOM kill over a horizon of 1e12 s is refused, not a hang", async () => {
    const text = BASE.replace("horizon: 10m", "horizon: 1e12").replace("image: base }", "image: base, memoryLimit: 1GiB, grow: { to: 2GiB, over: 10s } }");
    expectRefused(await validate(write(text)), /apps\[0\]\.grow: expected at most 200,000,000 simulation events .*--max-events.*found an estimated/);
  });

  it("poisson 1e6/s and sampling.step 1ms over 10 minutes are refused", async () => {
    expectRefused(await both(BASE.replace("  - { name: web", "  - { name: j, kind: job, arrivals: { process: poisson, rate: 1e6/s }, work: 1s, cpu: 1, memory: 1GiB }\n  - { name: web")), /--max-jobs/);
    expectRefused(await both(`${BASE}sampling: { step: 1ms }\n`), /sampling\.step: expected at most .* time-series rows \(raise the limit with --max-samples\), found an estimated 3,600,006 rows/);
  });

  it("quickstart with --set horizon=7d --set sampling.step=1m runs (no stack overflow in the CPU chart)", async () => {
    const out = join(folder(), "out");
    const o = await densimInProcess(["run", QUICKSTART, "--set", "horizon=7d", "--set", "sampling.step=1m", "--replications", "1", "--mode", "container", "--format", "json,vl", "--quiet", "--out", out]);
    expect(o.code, o.stderr).toBe(0);
    // A run with --set is a variant: its folder is quickstart@<hash>.
    const folderName = readdirSync(out).find((d) => d.startsWith("quickstart")) ?? "";
    const spec = readFileSync(join(out, folderName, "cpu-over-time.vl.json"), "utf8");
    expect(spec.length).toBeGreaterThan(1000);
  });

  it("a YAML alias bomb exits 2 at an alias", async () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let k = 1; k < 9; k++) bomb.push(`${String.fromCharCode(97 + k)}: &${String.fromCharCode(97 + k)} [${Array(10).fill(`*${String.fromCharCode(96 + k)}`).join(", ")}]`);
    expectRefused(await validate(write(`${BASE}${bomb.join("\n")}\n`)), /s\.yaml:12:\d+: \(scenario\): expected aliases \(\*name\) that expand to a bounded document, found an alias bomb/);
    const many = Array.from({ length: 120 }, () => "  - *x").join("\n");
    expectRefused(await validate(write(`${BASE}y: &x 1\nz:\n${many}\n`)), /s\.yaml:\d+:\d+: z\[\d+\]: expected at most 100 aliases/);
    const small = ["a: &a [x, x]", "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]", "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]"];
    expectRefused(await validate(write(`${BASE}${small.join("\n")}\n`)), /expected (aliases|at most 100 aliases)|unknown field "a"/);
  });

  it("nesting thousands deep exits 2 with a position, block or flow", async () => {
    expectRefused(await validate(write(`${BASE}x: ${"[".repeat(5000)}${"]".repeat(5000)}\n`)), /s\.yaml:11:\d+: \(scenario\): expected mappings and lists nested at most 64 deep/);
    let block = "x:\n";
    for (let d = 1; d < 200; d++) block += `${" ".repeat(d)}- \n`;
    const o = await validate(write(`${BASE}${block}`));
    expect(o.code).toBe(2);
    expect(badLines(o.stderr)).toEqual([]);
  });
});

describe("files", () => {
  it("densim run /dev/zero exits 2 at once: not a regular file", async () => {
    expectRefused(await densimInProcess(["run", "/dev/zero", "--quiet"]), /^\/dev\/zero:1:1: \(scenario\): expected a scenario file \(a regular UTF-8 text file of at most 10 MiB\), found a device/);
  });

  it("a FIFO, a folder and an 11 MB file are refused without reading them", async () => {
    const dir = folder();
    const fifo = join(dir, "pipe.yaml");
    execFileSync("mkfifo", [fifo]);
    expectRefused(await validate(fifo), /found a pipe \(FIFO\)/);
    expectRefused(await validate(dir), /found a directory/);
    const big = write("", "big.yaml", dir);
    truncateSync(big, 11 * 1024 * 1024);
    expectRefused(await validate(big), /found 11534336 bytes/);
  });

  it("non-UTF-8 bytes exit 2 at the first bad byte", async () => {
    const bytes = Buffer.concat([Buffer.from(BASE.replace("A small scenario", "Caf")), Buffer.from([])]);
    const text = Buffer.from(BASE.replace("title: A small scenario", "title: Caf\u00e9 X"));
    const at = text.indexOf(Buffer.from("\u00e9"));
    const bad = Buffer.concat([text.subarray(0, at), Buffer.from([0xe9]), text.subarray(at + 2)]);
    void bytes;
    expectRefused(await validate(write(bad)), /s\.yaml:3:11: \(scenario\): expected a scenario file .*, found the byte 0xe9, which is not UTF-8/);
  });

  it("trace files must be regular files inside the scenario's folder", async () => {
    const dir = folder();
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "load.csv"), "time,cores\n0,1\n");
    const traced = (file: string): string =>
      BASE.replace("image: base }", `image: base, load: { pattern: trace, file: ${JSON.stringify(file)} } }`);
    expectRefused(await validate(write(traced("/etc/passwd"), "a.yaml", dir)), /apps\[0\]\.load\.file: expected a CSV file inside the scenario's folder, found an absolute path "\/etc\/passwd"/);
    expectRefused(await validate(write(traced("../../../etc/passwd"), "b.yaml", dir)), /found "\.\.\/\.\.\/\.\.\/etc\/passwd", which is outside the scenario's folder/);
    symlinkSync("/etc/passwd", join(dir, "link.csv"));
    expectRefused(await validate(write(traced("link.csv"), "c.yaml", dir)), /found "link\.csv", a link to a file outside the scenario's folder/);
    execFileSync("mkfifo", [join(dir, "fifo.csv")]);
    expectRefused(await validate(write(traced("fifo.csv"), "d.yaml", dir)), /expected the trace "fifo\.csv" to be a regular UTF-8 text file .*, found a pipe \(FIFO\)/);
    expect((await validate(write(traced("load.csv"), "e.yaml", dir))).code).toBe(0);
    // A scenario in a subfolder may read a trace beside it, not one above it.
    expectRefused(await validate(write(traced("../load.csv"), "f.yaml", join(dir, "sub"))), /outside the scenario's folder/);
  });
});

describe("messages", () => {
  it("missing, duplicate, unknown field, unknown image and cycle all say expected and found", async () => {
    const text = BASE.replace("name: small\n", "")
      .replace("images: { base: { layers: [ { digest: os, size: 40MiB } ] } }", "images: { base: { from: top, layers: [] }, top: { from: base } }")
      .replace("  - { name: web, replicas: 4, cpu: 0.5, memory: 512MiB, image: base }", "  - { name: web, replicas: 4, cpu: 0.5, memory: 512MiB, image: nope, colour: red }\n  - { name: web, replicas: 1, cpu: 0.5, memory: 512MiB }");
    const o = await validate(write(text));
    expectRefused(o, /\(scenario\)|name/);
    expect(o.stderr).toMatch(/: name: expected a string \(Used for reports\/<name>\/\), found nothing: the field is required/);
    expect(o.stderr).toMatch(/apps\[1\]\.name: expected an app name used once, found "web" again \(first at apps\[0\]\)/);
    expect(o.stderr).toMatch(/apps\[0\]\.colour: expected a field of apps\[0\] \(one of: .*\), found unknown field "colour"/);
    expect(o.stderr).toMatch(/apps\[0\]\.image: expected an image defined under images \(one of: base, top\), found "nope"/);
    expect(o.stderr).toMatch(/images\.base\.from: expected base images \(from:\) without a cycle, found the cycle base -> top -> base/);
  });

  it("sweep --format bogus exits 2 before running", async () => {
    const o = await densimInProcess(["sweep", QUICKSTART, "--vary", "apps.orders.replicas=1,2", "--format", "bogus", "--out", join(folder(), "out")]);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/--format: expected some of .*, found unknown format bogus/);
  });

  it("every exit-2 line for the invalid fixtures follows file:line:col: path: expected ..., found ...", async () => {
    for (const f of ["four-errors.yaml", "bad-memory.json"]) {
      const o = await validate(join(ROOT, "test", "fixtures", "invalid", f));
      expect(o.code).toBe(2);
      expect(badLines(o.stderr), o.stderr).toEqual([]);
    }
    const o = await validate(QUICKSTART, "--set", "apps.nosuch.replicas=1", "--set", "novalue", "--set", "hosts.9.cores=1", "--set", "name.x=1", "--set", "__proto__.x=1");
    expect(o.code).toBe(2);
    expect(badLines(o.stderr), o.stderr).toEqual([]);
  });
});

describe("the command line in-process (runCli)", () => {
  it("returns exit codes instead of exiting: usage mistakes 2, --version 0", async () => {
    const unknown = await densimInProcess(["validate", QUICKSTART, "--bogus"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^densim: Unknown argument: bogus\nRun densim --help for usage\.\n$/);
    expect((await densimInProcess(["validate"])).code).toBe(2);
    // yargs prints help and version through console.log, which the test runner keeps for itself.
    expect((await densimInProcess(["--version"])).code).toBe(0);
    expect((await densimInProcess(["run", "--help"])).code).toBe(0);
  });
});
