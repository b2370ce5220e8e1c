/**
 * A run that goes host group by host group, end to end (the built CLI): on two worker threads its
 * chunks run on both and merge on the main thread; every file (results.json, instances.csv,
 * timeseries.csv) is byte for byte the one a single thread writes.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { densimHere, densimProcess, ensureBuilt, reportFiles as files } from "../helpers/cli.js";

// 600 hosts, one mode: 10 groups of 64 hosts in 3 chunks, services on every host (worst-fit).
const SCENARIO = `version: 1
name: groups
seed: 5
horizon: 30m
replications: 2
hosts: [ { type: h, count: 600, cores: 8, memory: 32GiB } ]
apps:
  - { name: web, replicas: 1200, cpu: 0.5, memory: 2GiB, init: 2s, load: { pattern: diurnal, mean: 0.3, peak: 0.9, period: 20m, steps: 6, jitter: 5m } }
  - { name: db, replicas: 300, cpu: 2, memory: 8GiB, init: 5s, start: { stagger: 500ms } }
modes: { vm: {} }
placement: { policy: worst-fit }
`;

describe("a run in host groups on the worker pool", () => {
  let cwd = "";
  beforeAll(() => {
    ensureBuilt();
    cwd = mkdtempSync(join(tmpdir(), "densim-groups-"));
    writeFileSync(join(cwd, "groups.yaml"), SCENARIO);
  });

  it("writes the same results.json, instances.csv and timeseries.csv with 2 workers as with 1", async () => {
    const args = ["run", "groups.yaml", "--format", "json,csv", "--quiet"];
    const one = await densimHere([...args, "--workers", "1", "--out", "one"], { cwd });
    expect(one.status, one.stderr).toBe(0);
    const two = densimProcess([...args, "--workers", "2", "--out", "two"], { cwd });
    expect(two.status, two.stderr).toBe(0);
    const a = files(join(cwd, "one"));
    expect(Object.keys(a)).toEqual(["instances.csv", "results.json", "timeseries.csv"]);
    expect(a["instances.csv"]!.split("\n").length).toBeGreaterThan(2 * 1500);
    expect(files(join(cwd, "two"))).toEqual(a);
  });
});
