/**
 * `densim explore` in a real browser: starts `densim explore scenarios/quickstart.yaml --port 0`,
 * opens the printed URL in Debian's headless Chromium (playwright-core, /usr/bin/chromium or
 * $CHROMIUM) with every request that does not go to the server's 127.0.0.1 address aborted and
 * recorded, moves the orders replicas slider, and checks that the comparison table and the chart
 * shown become what `densim run --set` gives. Prints (does not assert) the time from the slider
 * change to the updated table; saves reports/screenshots/explore-quickstart.png (and docs/explore.png
 * when DENSIM_DOCS_SCREENSHOT=1).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Results } from "../../sim/experiment/results.js";
import { allCharts, comparisonModel } from "../../sim/report/index.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const MAIN = join(ROOT, "dist", "sim", "cli", "main.js");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const SCREENSHOTS = join(ROOT, "reports", "screenshots");
const SCENARIO = "scenarios/quickstart.yaml";

interface El {
  readonly textContent: string | null;
  querySelectorAll(selector: string): ArrayLike<El>;
}

const made: string[] = [];
let server: ChildProcess | undefined;
let url = "";
let context: BrowserContext | undefined;

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "densim-explore-browser-"));
  made.push(dir);
  return dir;
}

/** results.json of `densim run quickstart --set ...`, as the CLI writes it. */
function cliResults(sets: readonly string[]): Results {
  const out = freshDir();
  const r = spawnSync(process.execPath, [MAIN, "run", SCENARIO, ...sets.flatMap((s) => ["--set", s]), "--format", "json", "--quiet", "--out", out], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`densim run exited ${String(r.status)}: ${r.stderr}`);
  const folder = readdirSync(out).find((d) => !d.startsWith(".")) as string;
  return JSON.parse(readFileSync(join(out, folder, "results.json"), "utf8")) as Results;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium) or set CHROMIUM`);
  if (!existsSync(MAIN)) throw new Error(`${MAIN} not found: npm run build first`);
  server = spawn(process.execPath, [MAIN, "explore", SCENARIO, "--port", "0", "--out", freshDir()], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  url = await new Promise<string>((resolve, reject) => {
    let text = "";
    server?.stdout?.on("data", (c: Buffer) => {
      text += c.toString("utf8");
      const m = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text);
      if (m) resolve(m[1] as string);
    });
    server?.on("exit", (code) => reject(new Error(`densim explore exited ${String(code)} before printing its URL: ${text}`)));
  });
  process.stdout.write(`densim explore serves ${url}\n`);
  context = await chromium.launchPersistentContext(freshDir(), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 720 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

afterAll(async () => {
  await context?.close();
  server?.kill("SIGINT");
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe("densim explore in Chromium", () => {
  it("a slider change updates the table and the chart to what densim run --set gives, with no console error and no request beyond the server", async () => {
    const page = await (context as BrowserContext).newPage();
    const errors: string[] = [];
    const outside: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.route("**/*", (route) => {
      const u = route.request().url();
      if (u.startsWith(url) || u.startsWith("data:")) return route.continue();
      outside.push(u);
      return route.abort();
    });
    await page.goto(url);
    await page.waitForSelector("body[data-state=ready][data-run='1']", { timeout: 60_000 });

    const table = () =>
      page.$$eval("#comparison table tbody tr", (rows) => (rows as unknown as El[]).map((r) => Array.from(r.querySelectorAll("th, td")).map((c) => (c.textContent ?? "").trim())));
    const chartSvg = () => page.$eval("#chart svg", (svg) => (svg as unknown as El).textContent ?? "");
    const before = await table();
    const beforeSvg = await chartSvg();
    const base = comparisonModel(cliResults([]));
    expect(before).toEqual(base.rows.map((r) => [r.label, ...r.cells]));

    // Drag the slider (an input event: a one-replication preview), then let it rest (change: a full run).
    const slider = page.locator('input[data-path="apps.orders.replicas"]');
    const fire = (value: string, events: readonly string[]) =>
      slider.evaluate(
        (el, a) => {
          const input = el as unknown as { value: string; dispatchEvent(e: unknown): boolean };
          const Ev = (globalThis as unknown as { Event: new (t: string, o: unknown) => unknown }).Event;
          input.value = a.value;
          for (const type of a.events) input.dispatchEvent(new Ev(type, { bubbles: true }));
        },
        { value, events },
      );
    const pageMs = () => page.evaluate(() => (globalThis as unknown as { densimExplore: { lastMs: number } }).densimExplore.lastMs);
    let started = Date.now();
    await fire("80", ["input"]);
    await page.waitForSelector("body[data-state=ready][data-quick=true][data-run='2']", { timeout: 60_000 });
    const previewMs = Date.now() - started;
    const previewPageMs = await pageMs();
    started = Date.now();
    await fire("80", ["change"]);
    await page.waitForSelector("body[data-state=ready][data-quick=false][data-run='3']", { timeout: 60_000 });
    const fullMs = Date.now() - started;
    process.stdout.write(
      `explore: slider moved -> table and chart updated: preview (1 replication) ${previewMs} ms (page's own measure ${Math.round(previewPageMs)} ms); ` +
        `slider rests -> full run (${base.subtitle.match(/(\d+) replications/)?.[1] ?? "?"} replications) ${fullMs} ms (page ${Math.round(await pageMs())} ms)\n`,
    );

    const cli = cliResults(["apps.orders.replicas=80"]);
    const after = await table();
    expect(after).not.toEqual(before);
    expect(after).toEqual(comparisonModel(cli).rows.map((r) => [r.label, ...r.cells]));
    // The chart shown is the CLI's first chart for those values, drawn anew.
    const shownSpec = await page.evaluate(() => {
      const x = (globalThis as unknown as { densimExplore: { charts(): { spec: unknown }[]; current(): number } }).densimExplore;
      return JSON.stringify(x.charts()[x.current()]?.spec);
    });
    expect(shownSpec).toBe(JSON.stringify(allCharts(cli)[0]?.spec));
    expect(await chartSvg()).not.toBe(beforeSvg);
    expect(await page.textContent("#command")).toBe("densim run scenarios/quickstart.yaml --set apps.orders.replicas=80");
    expect(new URL(page.url()).searchParams.get("apps.orders.replicas")).toBe("80");

    // Key 2 switches the chart; the URL keeps it.
    await page.locator("body").press("2");
    await page.waitForFunction(() => (globalThis as unknown as { densimExplore: { current(): number } }).densimExplore.current() === 1);
    await page.locator("body").press("1");

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, "explore-quickstart.png") });
    if (process.env.DENSIM_DOCS_SCREENSHOT === "1") await page.screenshot({ path: join(ROOT, "docs", "explore.png") });

    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });
});
