/**
 * Bad input for workload classes, I/O patterns, Windows container profiles and SQL Server
 * licences: `densim run` exits 2 with file:line:col, the field's path and what was expected.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../sim/cli/cli.js";
import { tempFolders } from "../helpers/temp.js";

const dir = tempFolders("densim-fidelity-")();

const HEAD = `version: 1
name: t
replications: 1
horizon: 10m
hosts:
  - { type: h, cores: 24, sockets: 2, memory: 256GiB }
apps:
`;

async function run(name: string, text: string): Promise<{ code: number; stderr: string; stdout: string }> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  let stdout = "";
  let stderr = "";
  const code = await runCli(["run", file, "--out", join(dir, "reports"), "--quiet"], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stderr, stdout };
}

describe("bad input: exit 2 with the position", () => {
  it("an unknown workload class", async () => {
    const r = await run("class", `${HEAD}  - { name: db, replicas: 1, cpu: 1, memory: 1GiB, class: olap }\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/class\.yaml:8:\d+/);
    expect(r.stderr).toMatch(/apps\[0\]\.class/);
    expect(r.stderr).toMatch(/"cpu".*"memory".*"compression".*"database".*"network"/);
    expect(r.stderr).toMatch(/found "olap"/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("an unknown I/O pattern", async () => {
    const r = await run("pattern", `${HEAD}  - { name: db, replicas: 1, cpu: 1, memory: 1GiB, io: { disk: 10MB/s, pattern: zigzag } }\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/pattern\.yaml:8:\d+/);
    expect(r.stderr).toMatch(/apps\[0\]\.io\.pattern/);
  });

  it("host disk IOPS of zero", async () => {
    const r = await run("iops", `version: 1\nname: t\nhosts:\n  - { type: h, cores: 4, memory: 8GiB, disk: { iops: 0 } }\napps:\n  - { name: a, replicas: 1, cpu: 1, memory: 1GiB }\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/iops\.yaml:4:\d+/);
    expect(r.stderr).toMatch(/hosts\[0\]\.disk\.iops/);
  });

  const sqlApp = `  - { name: sql, replicas: 2, os: windows, cpu: 2, memory: 8GiB }\nmodes:\n  vm: { profile: hyperv-windows }\n`;

  it("a SQL Server licence without apps: no cores to count", async () => {
    const r = await run("sql-noapps", `${HEAD}${sqlApp}licenses:\n  - { preset: sql-server-2022-standard }\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sql-noapps\.yaml:12:\d+/);
    expect(r.stderr).toMatch(/licenses\[0\]/);
    expect(r.stderr).toMatch(/expected apps: \[\.\.\.\] naming the apps that run SQL Server.*found a SQL Server licence without cores to count/);
  });

  it("a SQL Server licence with minCores: 0", async () => {
    const r = await run("sql-mincores", `${HEAD}${sqlApp}licenses:\n  - { preset: sql-server-2022-standard, apps: [sql], minCores: 0 }\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sql-mincores\.yaml:12:\d+/);
    expect(r.stderr).toMatch(/licenses\[0\]\.minCores/);
    expect(r.stderr).toMatch(/expected .*>=\s*1|expected a number .*1/);
  });

  it("a SQL Server licence naming an app the scenario does not have", async () => {
    const r = await run("sql-app", `${HEAD}${sqlApp}licenses:\n  - { preset: sql-server-2022-standard, apps: [sqll] }\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/licenses\[0\]\.apps\[0\]/);
    expect(r.stderr).toMatch(/expected an app of the scenario \(one of: sql\), found "sqll"/);
  });

  it("Standard edition cannot license all physical cores for unlimited instances", async () => {
    const r = await run("sql-std-host", `${HEAD}${sqlApp}licenses:\n  - { preset: sql-server-2022-standard, apps: [sql], coverage: host-cores }\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/licenses\[0\]/);
    expect(r.stderr).toMatch(/host-cores .* is Enterprise only/);
  });

  it("a SQL Server rule written out with its kind but no apps", async () => {
    const r = await run("sql-kind", `${HEAD}${sqlApp}licenses:\n  - { kind: sql-server-per-core, edition: enterprise, price: 15123 }\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/without cores to count/);
  });

  it("a Windows app in a container mode with a Linux container profile", async () => {
    const r = await run("win-docker", `${HEAD}  - { name: w, replicas: 1, os: windows, cpu: 1, memory: 1GiB }\nmodes:\n  container: { profile: docker }\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/win-docker\.yaml:10:\d+/);
    expect(r.stderr).toMatch(/modes\.container\.profile/);
    expect(r.stderr).toMatch(/profile docker, which runs linux containers.*windows-process or windows-hyperv/);
  });

  it("a Linux app on a Windows container profile", async () => {
    const r = await run("linux-win", `${HEAD}  - { name: l, replicas: 1, cpu: 1, memory: 1GiB }\nmodes:\n  container: { profile: windows-process }\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/profile windows-process, which runs windows containers, while app "l" needs linux/);
  });

  it("a per-class CPU tax out of range", async () => {
    const r = await run("tax", `${HEAD}  - { name: a, replicas: 1, cpu: 1, memory: 1GiB }\nmodes:\n  vm: { cpuTax: { database: 1.5 } }\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/modes\.vm\.cpuTax/);
  });
});
