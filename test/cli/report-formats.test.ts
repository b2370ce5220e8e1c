/** `densim run --format html,md`: report.html and report.md beside the other report files. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const MAIN = join(ROOT, "dist", "sim", "cli", "main.js");
const QUICKSTART = join(ROOT, "scenarios", "quickstart.yaml");
const made: string[] = [];

function densim(args: readonly string[]): { status: number | null; stdout: string; stderr: string; dir: string } {
  const cwd = mkdtempSync(join(tmpdir(), "densim-formats-"));
  made.push(cwd);
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: "utf8" });
  // `--mode` makes a variant folder (quickstart@<hash>): the one report folder under reports/.
  const reports = join(cwd, "reports");
  const folder = existsSync(reports) ? readdirSync(reports).find((d) => d.startsWith("quickstart")) : undefined;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, dir: join(reports, folder ?? "quickstart") };
}

beforeAll(() => {
  if (existsSync(MAIN)) return;
  const r = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}\n${r.stderr}`);
});

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe("densim run --format", () => {
  it("writes report.html and report.md by default", () => {
    const o = densim(["run", QUICKSTART, "--replications", "1", "--mode", "vm,container"]);
    expect(o.status, o.stderr).toBe(0);
    const files = readdirSync(o.dir);
    expect(files).toEqual(expect.arrayContaining(["results.json", "report.html", "report.md", "density.svg", "instances.csv"]));
    expect(o.stdout).toContain("report.html, report.md");
  });

  it("md implies svg: every chart report.md links is written beside it", () => {
    const o = densim(["run", QUICKSTART, "--replications", "1", "--format", "md"]);
    expect(o.status, o.stderr).toBe(0);
    const md = readFileSync(join(o.dir, "report.md"), "utf8");
    const links = Array.from(md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g), (m) => m[1] as string);
    expect(links.length).toBeGreaterThanOrEqual(5);
    for (const link of links) expect(existsSync(join(o.dir, link)), link).toBe(true);
    expect(readdirSync(o.dir)).not.toContain("report.html");
    expect(md).toContain("## Provenance");
    expect(md).toContain(`| Node.js | ${process.version} |`);
  });

  it("html alone: one self-contained file, identical bytes on a second run", () => {
    const a = densim(["run", QUICKSTART, "--replications", "1", "--format", "html"]);
    const b = densim(["run", QUICKSTART, "--replications", "1", "--format", "html"]);
    expect(a.status, a.stderr).toBe(0);
    expect(readdirSync(a.dir).sort()).toEqual([".densim-manifest.json", "report.html", "results.json"]);
    const html = readFileSync(join(a.dir, "report.html"));
    expect(html.equals(readFileSync(join(b.dir, "report.html")))).toBe(true);
    expect(html.toString("utf8")).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });

  it("an unknown format names the ones there are", () => {
    const o = densim(["run", QUICKSTART, "--format", "html,pdf"]);
    expect(o.status).toBe(2);
    expect(o.stderr).toContain("--format: expected some of json,vl,svg,png,csv,html,md, found unknown format pdf");
    expect(existsSync(o.dir)).toBe(false);
  });
});
