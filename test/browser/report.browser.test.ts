/**
 * report.html in a real browser: every scenario's report (one replication) opened from disk in
 * Debian's headless Chromium (playwright-core drives /usr/bin/chromium, or $CHROMIUM) with every
 * non-file request aborted and recorded. Asserts no console error, no request leaving the file,
 * every chart drawn live as an SVG with marks; saves a 1280x720 screenshot per scenario to
 * reports/screenshots/<scenario>.png (a CI artefact). Also: report.html is byte-identical across
 * two runs of one scenario.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const MAIN = join(ROOT, "dist", "sim", "cli", "main.js");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const SCREENSHOTS = join(ROOT, "reports", "screenshots");
const SCENARIOS = readdirSync(join(ROOT, "scenarios"))
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((f) => ({ name: f.replace(/\.yaml$/, ""), file: join(ROOT, "scenarios", f) }));

/** The little of the DOM the checks use (the project compiles without the DOM library). */
interface El {
  readonly classList: { contains(name: string): boolean };
  readonly scrollWidth: number;
  getAttribute(name: string): string | null;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): { readonly length: number };
  getBoundingClientRect(): { readonly width: number };
}

const made: string[] = [];
let out = "";
let context: BrowserContext | undefined;

function densim(args: readonly string[]): void {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`densim ${args.join(" ")} exited ${String(r.status)}\n${r.stdout}\n${r.stderr}`);
}

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "densim-browser-"));
  made.push(dir);
  return dir;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium) or set CHROMIUM`);
  if (!existsSync(MAIN)) throw new Error(`${MAIN} not found: npm run build first`);
  out = freshDir();
  densim(["run", ...SCENARIOS.map((s) => s.file), "--replications", "1", "--format", "html", "--quiet", "--out", out]);
  context = await chromium.launchPersistentContext(freshDir(), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 720 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

afterAll(async () => {
  await context?.close();
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe.each(SCENARIOS)("report.html of $name", ({ name }) => {
  it("opens from disk with no network, no console error, every chart drawn; screenshot saved", async () => {
    const page = await (context as BrowserContext).newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
      requests.push(url);
      return route.abort();
    });
    const file = join(out, name, "report.html");
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector("body[data-charts=done]", { timeout: 60_000 });

    const charts = await page.$$eval("figure.chart", (figures) =>
      (figures as unknown as El[]).map((f) => {
        const svg = f.querySelector(".view svg.marks");
        return {
          name: f.getAttribute("data-name"),
          live: f.classList.contains("live"),
          marks: svg ? svg.querySelectorAll('g[class*="mark-"] path, g[class*="mark-"] line, g[class*="mark-"] text').length : 0,
          groups: svg ? svg.querySelectorAll('g[class*="mark-"]').length : 0,
          width: svg ? svg.getBoundingClientRect().width : 0,
        };
      }),
    );
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(charts.length).toBeGreaterThan(0);
    expect(charts.length).toBe((readFileSync(file, "utf8").match(/<figure class="chart"/g) ?? []).length);
    for (const c of charts) {
      expect(c.live, `${c.name} drawn`).toBe(true);
      expect(c.groups, `${c.name} mark groups`).toBeGreaterThan(0);
      expect(c.marks, `${c.name} marks`).toBeGreaterThan(5);
      expect(c.width, `${c.name} width`).toBeGreaterThan(100);
      expect(c.width, `${c.name} fits the page`).toBeLessThanOrEqual(1280);
    }
    // The comparison table is there and the page does not scroll sideways at 1280 px.
    expect(await page.locator("table.comparison tbody tr").count()).toBeGreaterThan(5);
    expect(await page.$eval("html", (html) => (html as unknown as El).scrollWidth)).toBeLessThanOrEqual(1280);

    mkdirSync(SCREENSHOTS, { recursive: true });
    const shot = join(SCREENSHOTS, `${name}.png`);
    await page.screenshot({ path: shot });
    console.log(`screenshot: ${shot}`);
    await page.close();
  });
});

describe("report.html tooltips", () => {
  it("hovering a bar of quickstart's cost chart shows its figures", async () => {
    const page = await (context as BrowserContext).newPage();
    await page.goto(pathToFileURL(join(out, "quickstart", "report.html")).href);
    await page.waitForSelector("body[data-charts=done]", { timeout: 60_000 });
    await page.locator("#chart-cost").scrollIntoViewIfNeeded();
    const bars = page.locator('#chart-cost .view svg.marks g[class*="mark-rect"] path');
    const tooltip = page.locator("#vg-tooltip-element.visible");
    let shown = "";
    for (let i = 0; i < Math.min(await bars.count(), 40) && shown === ""; i++) {
      const box = await bars.nth(i).boundingBox();
      if (!box || box.width < 4 || box.height < 4) continue;
      await page.mouse.move(box.x + box.width / 2 - 1, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      if ((await tooltip.count()) > 0) shown = await tooltip.innerText();
    }
    expect(shown).toMatch(/USD per month/);
    expect(shown).toMatch(/\$[\d,]+/);
    await page.close();
  });
});

describe("report.html is deterministic", () => {
  it("two runs of one scenario write the same bytes", () => {
    const quickstart = SCENARIOS.find((s) => s.name === "quickstart") ?? (SCENARIOS[0] as (typeof SCENARIOS)[number]);
    const again = freshDir();
    densim(["run", quickstart.file, "--replications", "1", "--format", "html", "--quiet", "--out", again]);
    const a = readFileSync(join(out, quickstart.name, "report.html"));
    const b = readFileSync(join(again, quickstart.name, "report.html"));
    expect(a.length).toBeGreaterThan(100_000);
    expect(a.equals(b)).toBe(true);
  });
});
