/**
 * The --max-* limits in plan and sweep: every probe of a plan and every point of a sweep is
 * estimated before it runs; one over a limit exits 2 with the estimate and the flag that raises
 * it, and writes no report. In-process (runCli), each case well under a second of CPU.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { densimInProcess } from "../fuzz/harness.js";
import { tempFolders } from "../helpers/temp.js";

const freshDir = tempFolders("densim-limits-");

/** Twelve 4-core replicas on one 8-core host: the host search needs more hosts than one. */
const SCENARIO = `version: 1
name: limits
seed: 3
horizon: 10m
replications: 1
hosts:
  - { type: h, count: 1, cores: 8, memory: 64GiB, cost: { monthly: 100 } }
apps:
  - { name: web, replicas: 12, runtime: java@17, cpu: 4, memory: 1GiB, init: 1s }
modes:
  bare: {}
  container: { profile: docker }
`;

function setup(): { file: string; out: string } {
  const dir = freshDir();
  const file = join(dir, "limits.yaml");
  writeFileSync(file, SCENARIO);
  return { file, out: join(dir, "reports") };
}

describe("densim plan: each probe is estimated before it runs", () => {
  it("a host-search probe over --max-cluster-hosts stops the plan with exit 2, the estimate and the flag; no report", async () => {
    const { file, out } = setup();
    const o = await densimInProcess(["plan", file, "--mode", "bare", "--max-cluster-hosts", "3", "--out", out]);
    expect(o.code, o.stderr).toBe(2);
    expect(o.stdout).toMatch(/bare\s+2 hosts\s+FAIL/); // the probes under the limit ran
    expect(o.stderr).toBe(
      "plan probe hosts.0.count=4: hosts[0].count: expected at most 3 hosts in one run (raise the limit with --max-cluster-hosts), found an estimated 4 hosts\n" +
        "densim: the plan's probe at hosts.0.count=4 is refused, so the plan stopped there; lower --max-hosts or raise the limit named above\n",
    );
    expect(existsSync(out)).toBe(false);
    // Raised, the same plan runs to its answer.
    const raised = await densimInProcess(["plan", file, "--mode", "bare", "--max-cluster-hosts", "100", "--out", out, "--json", "--format", "json"]);
    expect(raised.code, raised.stderr).toBe(0);
  });

  it("a probe is estimated for the one mode it runs, not every mode", async () => {
    const { file, out } = setup();
    // 12 replicas x 1 replication x 1 mode = 12 instances per probe (the experiment would be 24).
    const o = await densimInProcess(["plan", file, "--max-instances", "12", "--out", out, "--json", "--format", "json"]);
    expect(o.code, o.stderr).toBe(0);
    const refused = await densimInProcess(["plan", file, "--max-instances", "11", "--out", out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/limits\.yaml:\d+:\d+: apps\[0\]\.replicas: expected at most 11 service instances over one probe \(one mode\) \(raise the limit with --max-instances\), found an estimated 12 instances/);
    expect(refused.stderr).toMatch(/nothing was run\n$/);
  });

  it("--vary: the range's ends are estimated before any probe runs", async () => {
    const { file, out } = setup();
    const o = await densimInProcess(["plan", file, "--vary", "apps.web.replicas=1..500", "--target", "instances.rejected<=0", "--max-instances", "100", "--out", out]);
    expect(o.code, o.stderr).toBe(2);
    expect(o.stdout).toBe("");
    expect(o.stderr).toMatch(/^--vary apps\.web\.replicas=1\.\.500 \(at 500\): apps\[0\]\.replicas: expected at most 100 service instances over one probe \(one mode\) \(raise the limit with --max-instances\), found an estimated 500 instances/);
  });
});

describe("densim sweep: each point is estimated before any runs", () => {
  it("a point over --max-instances exits 2 naming the point's --set, before anything runs; no report", async () => {
    const { file, out } = setup();
    const o = await densimInProcess(["sweep", file, "--vary", "apps.web.replicas=2,400", "--metric", "hosts.used", "--max-instances", "100", "--out", out, "--quiet"]);
    expect(o.code, o.stderr).toBe(2);
    expect(o.stdout).toBe("");
    expect(o.stderr).toMatch(/^--set apps\.web\.replicas=400: apps\[0\]\.replicas: expected at most 100 service instances over the experiment \(raise the limit with --max-instances\), found an estimated 800 instances \(replicas x 2 modes x 1 replication\)\n/);
    expect(existsSync(out)).toBe(false);
  });
});

describe("a job scenario over --max-jobs (issue 14's 7.2 million jobs, scaled down to run in seconds)", () => {
  const JOBS = `version: 1
name: jobs
seed: 7
horizon: 100s
replications: 1
hosts: [ { type: h, count: 2, cores: 64, memory: 512GiB } ]
apps:
  - { name: j, kind: job, arrivals: { process: poisson, rate: 100/s }, work: 0.2s, cpu: 0.5, memory: 256MiB }
modes: { bare: {} }
`;
  it("is refused at once with the estimate and the flag; raised, it runs to the end and streams every job to instances.csv", async () => {
    const { out } = setup();
    const file = join(out, "..", "jobs.yaml");
    writeFileSync(file, JOBS);
    const refused = await densimInProcess(["run", file, "--max-jobs", "5000", "--out", out, "--quiet", "--format", "json,csv"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/jobs\.yaml:8:\d+: apps\[0\]\.arrivals: expected at most 5,000 jobs over the experiment \(raise the limit with --max-jobs\), found an estimated 10,000 jobs/);
    expect(existsSync(out)).toBe(false);
    const raised = await densimInProcess(["run", file, "--max-jobs", "20000", "--out", out, "--quiet", "--format", "json,csv", "--workers", "1"]);
    expect(raised.code, raised.stderr).toBe(0);
    const rows = readFileSync(join(out, "jobs", "instances.csv"), "utf8").trimEnd().split("\n").length - 1;
    expect(rows).toBeGreaterThan(9_000); // a Poisson count around 10,000
    expect(rows).toBeLessThan(11_000);
  });
});
