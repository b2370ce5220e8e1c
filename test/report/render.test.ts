import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TopLevelSpec } from "vega-lite";
import { densityChart, renderPng, renderSvg, specJson, writeChart, writeFileAtomic } from "../../sim/report/index.js";
import { FIXTURE_SHAPES, fixtureResults } from "./fixture.js";
import type { ModeShape } from "./fixture.js";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function svgSize(svg: string): { width: number; height: number } {
  const match = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
  if (match === null) throw new Error("no svg size");
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** Vega draws clipped marks with <clipPath id="clipN">, N from a process-wide counter. */
const clippedSpec: TopLevelSpec = {
  data: { values: [{ a: "x", b: 3 }, { a: "y", b: 12 }] },
  mark: {
    type: "bar",
    clip: true,
    color: { gradient: "linear", stops: [{ offset: 0, color: "white" }, { offset: 1, color: "black" }] },
  },
  encoding: {
    x: { field: "a", type: "nominal" },
    y: { field: "b", type: "quantitative", scale: { domain: [0, 5] } },
  },
};

describe("renderSvg", () => {
  it("draws the title, the panel titles, each mode and the units", async () => {
    const svg = await renderSvg(densityChart(fixtureResults()));
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain(">Web fleet: 48 × 1 GiB on 4 hosts<");
    expect(svg).toContain(">5 replications · seed 42<");
    expect(svg).toContain(">Instances per host<");
    expect(svg).toContain(">Where the memory goes<");
    expect(svg).toContain(">Cluster memory (GiB)<");
    expect(svg).toContain(">24 per host<");
    for (const mode of ["bare", "container", "vm", "microvm"]) expect(svg).toContain(`>${mode}<`);
    for (const part of ["App", "Guest OS", "Hypervisor", "Runtime / engine", "Host OS reserve", "Free"]) {
      expect(svg).toContain(`>${part}<`);
    }
    expect(svg).toContain('font-family="DejaVu Sans"');
  });

  it("escapes markup in titles and mode names, so the SVG stays parseable", async () => {
    const base = fixtureResults();
    const bare = base.modes["bare"]!;
    const results = { ...base, scenario: { ...base.scenario, title: "Tom & Jerry <fleet>" }, modes: { "a&b": bare } };
    const svg = await renderSvg(densityChart(results));
    expect(svg).toContain(">Tom &amp; Jerry &lt;fleet&gt;<");
    expect(svg).toContain(">a&amp;b<");
    expect([...renderPng(svg, { scale: 1 }).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  });

  it("gives byte-identical SVG for the same spec, one after another", async () => {
    const spec = densityChart(fixtureResults());
    const first = await renderSvg(spec);
    const second = await renderSvg(spec);
    expect(second).toBe(first);
  });

  it("keeps clip-path and gradient ids stable across renders in one process", async () => {
    const first = await renderSvg(clippedSpec);
    expect(first).toMatch(/<clipPath id="clip1"/);
    expect(first).toMatch(/id="gradient_0"/);
    const again = await renderSvg(clippedSpec);
    expect(again).toBe(first);
  });

  it("stays deterministic when renders run concurrently", async () => {
    const spec = densityChart(fixtureResults());
    const alone = [await renderSvg(clippedSpec), await renderSvg(spec)];
    const together = await Promise.all([renderSvg(clippedSpec), renderSvg(spec), renderSvg(clippedSpec)]);
    expect(together).toEqual([alone[0], alone[1], alone[0]]);
  });

  it("measures text with DejaVu, so labels that fit are not cut and long ones are", async () => {
    const vm = FIXTURE_SHAPES["vm"] as ModeShape;
    // The band is sized to this name's true width; Vega's 0.8 em guess would cut it.
    const fits = await renderSvg(densityChart(fixtureResults({ ...FIXTURE_SHAPES, "qemu-kvm-hugepages": vm })));
    expect(fits).toContain(">qemu-kvm-hugepages<");
    const long = "a-mode-name-far-too-long-to-fit-under-one-bar-of-the-chart";
    const cut = await renderSvg(densityChart(fixtureResults({ ...FIXTURE_SHAPES, [long]: vm })));
    expect(cut).not.toContain(`>${long}<`);
    expect(cut).toMatch(/>a-mode-name[^<]*…</);
  });

  it("rejects an invalid spec at once", async () => {
    const bad = { mark: "no-such-mark" } as unknown as TopLevelSpec;
    expect(() => renderSvg(bad)).toThrow();
    // The queue is not poisoned by the failure.
    await expect(renderSvg(clippedSpec)).resolves.toMatch(/^<svg/);
  });
});

describe("renderPng", () => {
  it("rasterises at 2x by default into a real PNG", async () => {
    const svg = await renderSvg(densityChart(fixtureResults()));
    const png = renderPng(svg);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(png.byteLength).toBeGreaterThan(30_000);
    const size = svgSize(svg);
    expect(pngSize(png)).toEqual({ width: 2 * size.width, height: 2 * size.height });
    expect(pngSize(renderPng(svg, { scale: 1 }))).toEqual(size);
  });

  it("is deterministic", async () => {
    const svg = await renderSvg(densityChart(fixtureResults()));
    expect(Buffer.from(renderPng(svg)).equals(Buffer.from(renderPng(svg)))).toBe(true);
  });

  it("refuses a nonsensical scale", () => {
    expect(() => renderPng("<svg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/>", { scale: 0 })).toThrow(
      RangeError,
    );
  });
});

describe("writeChart", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "densim-report-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the asked formats and lists them in a stable order", async () => {
    const spec = densityChart(fixtureResults());
    const out = join(dir, "all", "nested");
    const paths = await writeChart(out, "density", spec, new Set(["json", "png", "svg"] as const));
    expect(paths).toEqual([join(out, "density.svg"), join(out, "density.png"), join(out, "density.vl.json")]);
    const svg = await readFile(paths[0]!, "utf8");
    expect(svg).toBe(await renderSvg(spec));
    const png = await readFile(paths[1]!);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const json = await readFile(paths[2]!, "utf8");
    expect(json).toBe(specJson(spec));
    expect(json.endsWith("}\n")).toBe(true);
    expect(json).toContain('\n  "$schema"');
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(spec)));
    expect((await readdir(out)).sort()).toEqual(["density.png", "density.svg", "density.vl.json"]);
  });

  it("writes only what is asked", async () => {
    const out = join(dir, "json-only");
    const paths = await writeChart(out, "density", densityChart(fixtureResults()), new Set(["json"] as const));
    expect(paths).toEqual([join(out, "density.vl.json")]);
    expect(await readdir(out)).toEqual(["density.vl.json"]);
    expect(await writeChart(out, "none", densityChart(fixtureResults()), new Set())).toEqual([]);
  });

  it("refuses a base name that is a path", async () => {
    await expect(writeChart(dir, "../escape", clippedSpec, new Set(["json"] as const))).rejects.toThrow(/base name/);
  });
});

describe("writeFileAtomic", () => {
  it("replaces a file whole and leaves no temp file behind", async () => {
    const dir = await mkdtemp(join(tmpdir(), "densim-atomic-"));
    try {
      const path = join(dir, "chart.svg");
      await writeFile(path, "old");
      await writeFileAtomic(path, "new");
      expect(await readFile(path, "utf8")).toBe("new");
      expect(await readdir(dir)).toEqual(["chart.svg"]);
      // A failed write (the target is a directory) leaves the temp file cleaned up.
      await expect(writeFileAtomic(dir, "x")).rejects.toThrow();
      await expect(readFile(`${dir}.tmp-${process.pid}`)).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
