/**
 * Turns Vega-Lite specs into files: SVG through headless Vega, PNG through resvg with the
 * bundled DejaVu fonts, and the spec itself as JSON.
 *
 * Contract: rendering is deterministic — the same spec gives a byte-identical SVG, and the
 * same SVG a byte-identical PNG, whatever else the process renders, concurrently or not,
 * and whatever fonts the machine has. Files are written atomically (temp file + rename),
 * so a crash leaves either the previous file or the complete new one, never half a chart.
 */

import { mkdir, open, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile } from "vega-lite";
import type { TopLevelSpec } from "vega-lite";
import { FONT_FILES, isBold, textWidth } from "./fonts.js";
import { FONT_FAMILY } from "./theme.js";

export type ChartFormat = "svg" | "png" | "json";

/** The order in which `writeChart` writes and lists files. */
export const CHART_FORMATS: readonly ChartFormat[] = ["svg", "png", "json"];

export interface PngOptions {
  /** Zoom factor over the SVG's size; 2 gives crisp slides. */
  readonly scale?: number;
}

/** The parts of a Vega text item that decide its width. */
interface TextItem {
  readonly fontSize?: number;
  readonly fontWeight?: unknown;
}

/** Vega's text measurer: a plain object whose `width` Vega calls for every text it lays out. */
interface TextMetrics {
  width: (item: TextItem, text: unknown) => number;
}

function vegaExport(name: string): unknown {
  return (vega as Record<string, unknown>)[name];
}

function isTextMetrics(value: unknown): value is TextMetrics {
  return typeof value === "object" && value !== null && typeof (value as { width?: unknown }).width === "function";
}

/**
 * Without a canvas package Vega guesses every character at 0.8 em, far wider than DejaVu,
 * which leaves gaps and truncates labels that would fit. Measure with the real font instead
 * (the hook vl-convert uses). The width is of the untruncated text: Vega truncates to a
 * label limit itself by calling this on ever shorter prefixes.
 */
function measureText(item: TextItem, text: unknown): number {
  const value = text === null || text === undefined ? "" : String(text).trim();
  if (value === "") return 0;
  const fontSize = item.fontSize ?? 11;
  return fontSize > 0 ? textWidth(value, fontSize, isBold(item.fontWeight)) : 0;
}

/** Runs `task` with Vega measuring text by DejaVu advance widths, then puts Vega's own back. */
async function withDejaVuMetrics<T>(task: () => Promise<T>): Promise<T> {
  const metrics = vegaExport("textMetrics");
  if (!isTextMetrics(metrics)) return task();
  const previous = metrics.width;
  metrics.width = measureText;
  try {
    return await task();
  } finally {
    metrics.width = previous;
  }
}

/**
 * Vega numbers SVG clip paths and gradients from module-level counters that only ever
 * grow, so the second chart rendered in a process would get different ids from the first.
 * The reset exists at run time but not in vega's typings; look it up defensively.
 */
const resetSvgDefIds: () => void = (() => {
  const reset = vegaExport("resetSVGDefIds");
  return typeof reset === "function" ? () => void reset() : () => undefined;
})();

/**
 * Renders run one at a time: the id counters and the text measurer are global, and two
 * renders interleaving across an await would share them and number their ids by timing.
 */
let renderQueue: Promise<unknown> = Promise.resolve();

function serialized<T>(task: () => Promise<T>): Promise<T> {
  const result = renderQueue.then(task, task);
  renderQueue = result.catch(() => undefined);
  return result;
}

/** Properties of a Vega spec that hold expressions. */
const EXPRESSION_KEYS = new Set(["expr", "signal", "update", "test"]);

/** String literals Vega's expression parser mistakes for signals: `if` and Object.prototype's names. */
const RISKY_LITERALS = new Set(["if", ...Object.getOwnPropertyNames(Object.prototype)]);

/**
 * Vega's expression parser takes a string literal 'if' or 'constructor' (any name on
 * Object.prototype) for a signal name and fails ("Unrecognized signal name", "Operator not
 * defined"), so a mode or app with such a name (a valid name) would break every chart whose
 * sort, labels or titles list the names: in expressions such a literal is written as two
 * joined halves ('c'+'onstructor'), and so is a title of that text.
 */
export function withSafeLiterals<T>(spec: T): T {
  const fix = (v: unknown, key: string | undefined): unknown => {
    if (typeof v === "string") {
      if (key !== undefined && EXPRESSION_KEYS.has(key))
        return v.replace(/(["'])([A-Za-z_]+)\1/g, (lit: string, _q: string, word: string) => (RISKY_LITERALS.has(word) ? `('${word.slice(0, 1)}'+'${word.slice(1)}')` : lit));
      // A title's text "if" goes the same way.
      return key === "text" && RISKY_LITERALS.has(v) ? { signal: `'${v.slice(0, 1)}'+'${v.slice(1)}'` } : v;
    }
    // Inline data rows and literal tick or legend values are never parsed as expressions, and a data
    // row's fields are not spec properties (a row's "text" is data): left as they are, and not walked.
    if (key === "values" && Array.isArray(v)) return v;
    if (Array.isArray(v)) return v.map((x) => fix(x, key));
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fix(x, k)]));
    return v;
  };
  return fix(spec, undefined) as T;
}

export function renderSvg(spec: TopLevelSpec): Promise<string> {
  // Compile outside the queue so a bad spec throws at once, in the caller's stack.
  const vgSpec = withSafeLiterals(compile(spec).spec);
  return serialized(() =>
    withDejaVuMetrics(async () => {
      const view = new vega.View(vega.parse(vgSpec), { renderer: "none" });
      try {
        resetSvgDefIds();
        return await view.toSVG();
      } finally {
        view.finalize();
      }
    }),
  );
}

/**
 * The PNG renderer's fonts: the bundled DejaVu files only (system fonts would make the PNG
 * depend on the machine). fonts.ts parses their metrics once per process; resvg-js 2.6 takes
 * font files per renderer and has no font database to share between renderers, so each PNG
 * reads the two files again (about 2 ms of CPU each, measured; the rendering costs far more).
 */
const PNG_FONTS = {
  fontFiles: [FONT_FILES.regular, FONT_FILES.bold],
  loadSystemFonts: false,
  defaultFontFamily: FONT_FAMILY,
  sansSerifFamily: FONT_FAMILY,
};

export function renderPng(svg: string, opts: PngOptions = {}): Uint8Array {
  const scale = opts.scale ?? 2;
  if (!(Number.isFinite(scale) && scale > 0)) {
    throw new RangeError(`renderPng: scale must be a positive number, got ${scale}`);
  }
  const resvg = new Resvg(svg, { font: PNG_FONTS, fitTo: { mode: "zoom", value: scale } });
  const png = resvg.render().asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

import { specJson } from "./spec-json.js";
export { specJson };

/** Writes via a sibling temp file and a rename, which is atomic within one file system. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  try {
    const handle = await open(temp, "w");
    try {
      await handle.writeFile(data);
      // Flush before the rename, or a power cut could leave the new name on empty data.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

const EXTENSIONS: Readonly<Record<ChartFormat, string>> = {
  svg: ".svg",
  png: ".png",
  json: ".vl.json",
};

/**
 * Writes `<baseName>.svg`, `<baseName>.png` and/or `<baseName>.vl.json` into `dir`
 * (created if missing) and returns the paths written, in `CHART_FORMATS` order.
 */
export async function writeChart(
  dir: string,
  baseName: string,
  spec: TopLevelSpec,
  formats: ReadonlySet<ChartFormat>,
  opts: PngOptions = {},
): Promise<string[]> {
  if (baseName === "" || /[/\\]/.test(baseName)) {
    throw new Error(`writeChart: base name must be a plain file name, got "${baseName}"`);
  }
  const wanted = CHART_FORMATS.filter((format) => formats.has(format));
  if (wanted.length === 0) return [];
  await mkdir(dir, { recursive: true });
  const svg = formats.has("svg") || formats.has("png") ? await renderSvg(spec) : "";
  const written: string[] = [];
  for (const format of wanted) {
    const path = join(dir, `${baseName}${EXTENSIONS[format]}`);
    const data = format === "svg" ? svg : format === "png" ? renderPng(svg, opts) : specJson(spec);
    await writeFileAtomic(path, data);
    written.push(path);
  }
  return written;
}
