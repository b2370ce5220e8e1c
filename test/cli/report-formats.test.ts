/**
 * `densim run --format html,md`: report.html and report.md beside the other report files. The
 * runs are in-process (densimHere), each in a fresh folder: what is tested is what run writes.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { densimHere, ROOT } from "../helpers/cli.js";
import { tempFolders } from "../helpers/temp.js";

const QUICKSTART = join(ROOT, "scenarios", "quickstart.yaml");
const freshDir = tempFolders("densim-formats-");

async function densim(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string; dir: string }> {
  const cwd = freshDir();
  const r = await densimHere(args, { cwd });
  // `--mode` makes a variant folder (quickstart@<hash>): the one report folder under reports/.
  const reports = join(cwd, "reports");
  const folder = existsSync(reports) ? readdirSync(reports).find((d) => d.startsWith("quickstart")) : undefined;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, dir: join(reports, folder ?? "quickstart") };
}

describe("densim run --format", () => {
  it("writes report.html and report.md by default", async () => {
    const o = await densim(["run", QUICKSTART, "--replications", "1", "--mode", "vm,container"]);
    expect(o.status, o.stderr).toBe(0);
    const files = readdirSync(o.dir);
    expect(files).toEqual(expect.arrayContaining(["results.json", "report.html", "report.md", "density.svg", "instances.csv"]));
    expect(o.stdout).toContain("report.html, report.md");
  });

  it("md implies svg: every chart report.md links is written beside it", async () => {
    const o = await densim(["run", QUICKSTART, "--replications", "1", "--format", "md"]);
    expect(o.status, o.stderr).toBe(0);
    const md = readFileSync(join(o.dir, "report.md"), "utf8");
    const links = Array.from(md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g), (m) => m[1] as string);
    expect(links.length).toBeGreaterThanOrEqual(5);
    for (const link of links) expect(existsSync(join(o.dir, link)), link).toBe(true);
    expect(readdirSync(o.dir)).not.toContain("report.html");
    expect(md).toContain("## Provenance");
    expect(md).toContain(`| Node.js | ${process.version} |`);
  });

  it("html alone: one self-contained file, identical bytes on a second run", async () => {
    const a = await densim(["run", QUICKSTART, "--replications", "1", "--format", "html"]);
    const b = await densim(["run", QUICKSTART, "--replications", "1", "--format", "html"]);
    expect(a.status, a.stderr).toBe(0);
    expect(readdirSync(a.dir).sort()).toEqual([".densim-manifest.json", "report.html", "results.json"]);
    const html = readFileSync(join(a.dir, "report.html"));
    expect(html.equals(readFileSync(join(b.dir, "report.html")))).toBe(true);
    expect(html.toString("utf8")).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });

  it("an unknown format names the ones there are", async () => {
    const o = await densim(["run", QUICKSTART, "--format", "html,pdf"]);
    expect(o.status).toBe(2);
    expect(o.stderr).toContain("--format: expected some of json,vl,svg,png,csv,html,md, found unknown format pdf");
    expect(existsSync(o.dir)).toBe(false);
  });
});
